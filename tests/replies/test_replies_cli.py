"""`replies import`, `replies list` and `replies answers` as a user runs them: past pairs
from CSV or JSON lines, errors that name the line (and nothing imported), a second import that
adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli.replies_cmds import read_pairs
from monitor.errors import InputError
from tests.test_cli import run

CSV = (
    "post,reply,label,author,date\n"
    "\"my order #1234 never came,\nstill waiting\",@jo Sorry! Send us a DM with your address. ^AB,"
    "fix-request,@jo,2026-11-03\n"
    "love the new kettle thank you so much!,@al Thank you! That made our day.,,@al,\n"
)


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    return {"COMPLAINT_MONITOR_DATABASE_URL": db_url}


def test_import_a_csv_then_again_then_list(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "past.csv"
    path.write_text(CSV, encoding="utf-8")
    dry = run(tmp_path, "replies", "import", str(path), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "2 pairs read (fix_request 1, praise 1); nothing imported" in dry.stdout
    first = run(tmp_path, "replies", "import", str(path), env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (f"{path}: 2 pairs read (fix_request 1, praise 1); "
                                    "2 added to reply memory")
    again = run(tmp_path, "replies", "import", str(path), env=env)
    assert again.returncode == 0 and "0 added to reply memory, 2 already there" in again.stdout
    listed = run(tmp_path, "replies", "list", "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["counts"] == {"fix_request": 1, "praise": 1}
    fix = next(r for r in data["replies"] if r["label"] == "fix_request")
    assert fix["post"] == "my order #1234 never came,\nstill waiting"
    assert fix["author"] == "@jo" and fix["replied_at"].startswith("2026-11-03")
    assert fix["source"] == "imported"
    text = run(tmp_path, "replies", "list", env=env)
    assert text.stdout.startswith("2 replies remembered (fix_request 1, praise 1)")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.csv", CSV + "where is it,,,,\n", "line 5: the reply is missing or empty"),
    ("bad.csv", CSV + "where is it,Sorry.,angry,,\n", "line 5: label 'angry' is not one of"),
    ("bad.csv", CSV + "where is it,Sorry.,,,yesterday\n", "line 5: date 'yesterday' is not"),
    ("bad.csv", CSV + "where is it,Sorry.\n", "line 5: 2 cells where the header has 5"),
    ("bad.csv", "text,answer\nx,y\n", "line 1: the first line must name the columns"),
    ("bad.jsonl", '{"post": "a", "reply": "b"}\n{"post": "a", "reply"\n',
     "line 2: not valid JSON"),
    ("bad.jsonl", '{"post": "a", "reply": "b"}\n\n["a", "b"]\n', "line 3: expected a JSON"),
    ("bad.jsonl", '{"post": "a", "reply": "b", "lable": "x"}\n', "line 1: unknown key 'lable'"),
    ("bad.jsonl", '{"post": "a", "reply": 3}\n', "line 1: the reply must be text, not int"),
])
def test_a_bad_line_is_named(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_pairs(path)
    assert str(err.value).startswith(f"{path}: {message}")
    assert "nothing was imported" in str(err.value)


def test_every_bad_line_is_listed_and_the_cli_imports_nothing(tmp_path: Path,
                                                              sqlite_url: str) -> None:
    env = {"COMPLAINT_MONITOR_DATABASE_URL": sqlite_url}
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "where is it,,,,\nand this,ok,maybe,,\n", encoding="utf-8")
    result = run(tmp_path, "replies", "import", str(path), env=env)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"error: {path}: line 5: the reply is missing or empty "
                                    "(and 1 more bad lines); nothing was imported\n")
    assert "line 6: label 'maybe' is not one of" in result.stderr
    listed = run(tmp_path, "replies", "list", "--format", "json", env=env)
    assert json.loads(listed.stdout)["counts"] == {}


def test_import_json_lines_and_a_missing_file(tmp_path: Path, sqlite_url: str) -> None:
    env = {"COMPLAINT_MONITOR_DATABASE_URL": sqlite_url}
    path = tmp_path / "past.jsonl"
    path.write_text(json.dumps({"post": "the app will not log me in",
                                "reply": "Sorry about that, which phone are you on?"}) + "\n"
                    + json.dumps({"post": "does it come with a UK plug?", "reply": "It does.",
                                  "label": "question"}) + "\n", encoding="utf-8")
    done = run(tmp_path, "replies", "import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert "2 added to reply memory" in done.stdout and "question 1" in done.stdout
    missing = run(tmp_path, "replies", "import", str(tmp_path / "nope.csv"), env=env)
    assert missing.returncode == 2 and "file not found" in missing.stderr


def test_answers_lists_the_file_and_prints_toml(tmp_path: Path, sqlite_url: str) -> None:
    (tmp_path / "answers.toml").write_text(
        '[[answer]]\nid = "hours"\nexamples = ["When are you open?"]\n'
        'text = "We answer every day from 8 to 20."\n', encoding="utf-8")
    (tmp_path / "config.toml").write_text(
        f'[database]\nurl = "{sqlite_url}"\n[replies]\nanswers_file = "answers.toml"\n'
        '[[feeds]]\nname = "demo"\nkind = "demo"\n', encoding="utf-8")
    listed = run(tmp_path, "replies", "answers", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [answer] = json.loads(listed.stdout)
    assert answer["id"] == "hours" and answer["source"] == "answers.toml"
    assert run(tmp_path, "replies", "answers", "--format", "toml").stdout == ""
    forgot = run(tmp_path, "replies", "forget-answer", "saved-9")
    assert forgot.returncode == 1 and "no saved answer 'saved-9'" in forgot.stderr
