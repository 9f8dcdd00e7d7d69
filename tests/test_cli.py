"""The command line as a user runs it: real processes, real exit codes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None,
        ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_MONITOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args], cwd=cwd, env=full_env, input=stdin,
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def db_env(db_url: str) -> dict[str, str]:
    return {"COMPLAINT_MONITOR_DATABASE_URL": db_url}


def test_demo_quick_start_fills_the_queue_once(tmp_path: Path, db_env: dict[str, str]) -> None:
    first = run(tmp_path, "poll", env=db_env)
    assert first.returncode == 0, first.stderr
    line = first.stdout.strip().splitlines()[0]
    assert line.startswith("demo: fetched 70, new 69, duplicates 0, errors 0")
    listed = run(tmp_path, "queue", "list", "--status", "all", "--limit", "1000", "--format",
                 "json", env=db_env)
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert len(items) == 69
    assert {i["label"] for i in items} == {"fix_request", "venting", "question", "praise",
                                           "neutral"}
    for item in items:
        assert set(item) >= {"id", "status", "label", "confidence", "language", "check_label",
                             "priority", "topic", "sentiment", "reasons", "mention", "draft"}
        assert 0.0 <= item["priority"] <= 1.0 and 0.0 <= item["confidence"] <= 1.0
        if item["label"] != "neutral":  # questions too: pending, with a draft
            assert item["status"] == "pending"
            assert item["draft"] and item["draft"]["template"]
            if item["draft"]["template"].startswith("by_hand/"):  # a language not drafted in
                assert item["language"] not in ("en", "es", "fr", "de", "pt")
                assert item["draft"]["violations"][0].startswith("Reply by hand")
            else:
                assert item["draft"]["text"]
        else:
            assert item["status"] == "skipped"
    again = run(tmp_path, "poll", env=db_env)
    assert again.returncode == 0
    assert "new 0" in again.stdout


def test_sqlite_default_file_in_working_directory(tmp_path: Path) -> None:
    result = run(tmp_path, "poll")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "complaint-monitor.db").is_file()


def test_bad_config_names_key_and_file_and_exits_2(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[brand]\nname = "Acme"\ncolour = "red"\n')
    result = run(tmp_path, "--config", str(cfg), "poll")
    assert result.returncode == 2
    assert "brand.colour" in result.stderr and str(cfg) in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    feed = tmp_path / "feed.toml"
    feed.write_text('[[feeds]]\nname = "m"\nkind = "jsonl"\npath = "x.jsonl"\nspeed = 3\n')
    result = run(tmp_path, "--config", str(feed), "run")
    assert result.returncode == 2 and "feeds[m].speed" in result.stderr


@pytest.mark.parametrize(("feed", "key", "words"), [
    ('name = "demo"\nkind = "demo"\nevry = "2m"\n', "feeds[demo].evry", "did you mean 'every'"),
    ('name = "demo"\nkind = "dmeo"\n', "feeds[demo].kind", "did you mean 'demo'"),
    ('name = "m"\nkind = "jsonl"\npath = "x.jsonl"\nspeed = 3\n', "feeds[m].speed",
     "keys every feed takes: name, kind, every"),
])
def test_a_feed_level_mistake_stops_poll_before_anything_runs(
        tmp_path: Path, feed: str, key: str, words: str) -> None:
    """Issue 16, item 10: a typo'd feed key or an unknown kind ran the poll and reported a
    FAILED feed (exit 3); now it is refused up front like every other config error."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[feeds]]\nname = "ok"\nkind = "demo"\n[[feeds]]\n' + feed)
    for args in (("poll",), ("poll", "--feed", "ok")):
        result = run(tmp_path, "--config", str(cfg), *args)
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stdout == ""  # no feed ran, not even the good one
        assert key in result.stderr and str(cfg) in result.stderr and words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "complaint-monitor.db").exists()  # nothing ran, nothing was made


def test_failing_feed_exits_3_and_others_still_poll(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[[feeds]]\nname = "demo"\nkind = "demo"\n'
        '[[feeds]]\nname = "missing"\nkind = "jsonl"\npath = "nowhere.jsonl"\n'
    )
    result = run(tmp_path, "--config", str(cfg), "poll")
    assert result.returncode == 3
    assert "demo: fetched 70, new 69" in result.stdout
    assert "missing:" in result.stdout and "file not found" in result.stdout
    feeds = run(tmp_path, "--config", str(cfg), "feeds", "list", "--format", "json")
    states = {f["name"]: f for f in json.loads(feeds.stdout)}
    assert states["demo"]["state"] == "ok"
    assert states["missing"]["state"] == "failing"
    assert "file not found" in states["missing"]["last_error"]
    table = run(tmp_path, "--config", str(cfg), "feeds", "list")
    assert "failing" in table.stdout and "NAME" in table.stdout


def test_queue_show_approve_reject_exit_codes(tmp_path: Path) -> None:
    assert run(tmp_path, "poll").returncode == 0
    items = json.loads(run(tmp_path, "queue", "list", "--label", "fix_request", "--format",
                           "json").stdout)
    first, second = items[0]["id"], items[1]["id"]
    shown = run(tmp_path, "queue", "show", str(first))
    assert shown.returncode == 0 and "draft" in shown.stdout and "history" in shown.stdout
    assert run(tmp_path, "queue", "show", "99999").returncode == 1
    approved = run(tmp_path, "queue", "approve", str(first), "--by", "sam")
    assert approved.returncode == 0, approved.stderr
    again = run(tmp_path, "queue", "approve", str(first))
    assert again.returncode == 1 and "cannot approve" in again.stderr
    rejected = run(tmp_path, "queue", "reject", str(second), "--reason", "spam")
    assert rejected.returncode == 0
    detail = json.loads(run(tmp_path, "queue", "show", str(second), "--format", "json").stdout)
    assert detail["status"] == "rejected" and detail["reject_reason"] == "spam"
    assert [h["action"] for h in detail["history"]] == ["queued", "reject"]
    csv_out = run(tmp_path, "queue", "list", "--status", "all", "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,status,label")
    jsonl_out = run(tmp_path, "queue", "list", "--format", "jsonl", "--limit", "3").stdout
    assert len([json.loads(x) for x in jsonl_out.splitlines()]) == 3


def test_init_writes_example_and_refuses_overwrite(tmp_path: Path) -> None:
    result = run(tmp_path, "init", "my.toml")
    assert result.returncode == 0
    assert (tmp_path / "my.toml").read_text() == (ROOT / "config.example.toml").read_text()
    assert run(tmp_path, "init", "my.toml").returncode == 1
    assert run(tmp_path, "init", "my.toml", "--force").returncode == 0
    check = run(tmp_path, "--config", "my.toml", "db", "upgrade")
    assert check.returncode == 0, check.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(tmp_path, "queue", "list", "--status", "bogus").returncode == 2
    assert run(tmp_path, "no-such-command").returncode == 2


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "complaint-monitor"
    if not exe.exists():
        pytest.skip("console script not installed (package not pip-installed)")
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "version" in out.stdout.lower()


def test_queue_list_says_on_stderr_how_many_more_and_show_has_the_reject_reason(
        tmp_path: Path, db_env: dict[str, str]) -> None:
    """Issue 16, items 13 and 14: the list stopped at 50 in silence; the text form of
    `queue show` hid the reject reason."""
    assert run(tmp_path, "poll", env=db_env).returncode == 0
    cut = run(tmp_path, "queue", "list", "--status", "all", "--format", "json", env=db_env)
    assert cut.returncode == 0 and len(json.loads(cut.stdout)) == 50
    assert "showing 50 of 69 items; 19 more: use --limit 69 or --all" in cut.stderr
    every = run(tmp_path, "queue", "list", "--status", "all", "--all", "--format", "json",
                env=db_env)
    assert len(json.loads(every.stdout)) == 69 and "more" not in every.stderr
    exact = run(tmp_path, "queue", "list", "--status", "all", "--limit", "69", env=db_env)
    assert "more" not in exact.stderr
    some = run(tmp_path, "queue", "list", "--status", "all", "--limit", "3", env=db_env)
    assert "showing 3 of 69 items; 66 more" in some.stderr
    item = json.loads(cut.stdout)[0]["id"]
    assert run(tmp_path, "queue", "reject", str(item), "--reason", "a bot reposting us",
               "--by", "sam", env=db_env).returncode == 0
    shown = run(tmp_path, "queue", "show", str(item), env=db_env)
    assert "reject reason: a bot reposting us" in shown.stdout
    assert "rejected by sam" in shown.stdout


def test_a_database_in_a_missing_folder_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "typo" / "monitor.db"
    result = run(tmp_path, "poll", env={"COMPLAINT_MONITOR_DATABASE_URL": f"sqlite:///{bad}"})
    assert result.returncode == 2 and "database.url" in result.stderr
    assert str(bad.parent) in result.stderr and "Traceback" not in result.stderr
    assert not bad.parent.exists()
