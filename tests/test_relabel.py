"""`queue relabel` and `labels export` as a user runs them, on both databases: the corrected
label, the stale-version refusal, and an export that `eval` and the training script read."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import ROOT, run


@pytest.fixture
def db_env(db_url: str) -> dict[str, str]:
    return {"COMPLAINT_MONITOR_DATABASE_URL": db_url}


def _items(tmp_path: Path, env: dict[str, str], *args: str) -> list[dict[str, Any]]:
    listed = run(tmp_path, "queue", "list", "--limit", "1000", "--format", "json", *args,
                 env=env)
    assert listed.returncode == 0, listed.stderr
    out: list[dict[str, Any]] = json.loads(listed.stdout)
    return out


def test_relabel_then_export_then_eval(tmp_path: Path, db_env: dict[str, str]) -> None:
    assert run(tmp_path, "poll", env=db_env).returncode == 0
    vent = _items(tmp_path, db_env, "--label", "venting")[0]
    done = run(tmp_path, "queue", "relabel", str(vent["id"]), "fix_request", "--version",
               str(vent["version"]), "--by", "alice", env=db_env)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith(f"#{vent['id']} relabelled venting -> fix_request  pending")
    assert "draft fix_request/" in line and "classifier: venting" in line

    stale = run(tmp_path, "queue", "relabel", str(vent["id"]), "praise", "--version",
                str(vent["version"]), env=db_env)
    assert stale.returncode == 1 and "changed by someone else" in stale.stderr
    same = run(tmp_path, "queue", "relabel", str(vent["id"]), "fix_request", env=db_env)
    assert same.returncode == 1 and "already labelled" in same.stderr
    bad = run(tmp_path, "queue", "relabel", str(vent["id"]), "angry", env=db_env)
    assert bad.returncode == 2

    skipped = _items(tmp_path, db_env, "--status", "skipped")[0]
    as_json = run(tmp_path, "queue", "relabel", str(skipped["id"]), "venting", "--format",
                  "json", env=db_env)
    assert as_json.returncode == 0, as_json.stderr
    item = json.loads(as_json.stdout)
    assert (item["status"], item["label"], item["classifier_label"]) == (
        "pending", "venting", "neutral")
    assert item["draft"]["template"].startswith("venting/")
    assert item["relabelled"]["by"] == "cli" and item["relabelled"]["from"] == "neutral"

    approved = _items(tmp_path, db_env, "--label", "praise")[0]
    assert run(tmp_path, "queue", "approve", str(approved["id"]), "--by", "bob",
               env=db_env).returncode == 0

    exported = run(tmp_path, "labels", "export", env=db_env)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(x) for x in exported.stdout.splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {vent["id"], skipped["id"], approved["id"]}
    assert by_id[vent["id"]] | {"at": None} == {
        "id": vent["id"], "text": vent["mention"]["text"], "label": "fix_request",
        "classifier_label": "venting", "by": "alice", "at": None}
    assert by_id[approved["id"]]["label"] == by_id[approved["id"]]["classifier_label"] == "praise"
    assert by_id[approved["id"]]["by"] == "bob" and by_id[approved["id"]]["at"]

    as_csv = run(tmp_path, "labels", "export", "--format", "csv", env=db_env)
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [int(r["id"]) for r in table] == [r["id"] for r in rows]
    assert list(table[0]) == ["id", "text", "label", "classifier_label", "by", "at"]

    # The export is eval's input as it stands: the classifier gets 1 of 3 right (both
    # corrections are its misses, the approved praise its hit).
    path = tmp_path / "labels.jsonl"
    path.write_text(exported.stdout, encoding="utf-8")
    scored = run(tmp_path, "eval", "--input", str(path), "--label-field", "label", "--format",
                 "json", env=db_env)
    assert scored.returncode == 0, scored.stderr
    report = json.loads(scored.stdout)
    assert report["label_field"] == "label"
    assert report["accuracy"] == pytest.approx(1 / 3, abs=0.01)


def _extra_labels_module() -> Any:
    spec = importlib.util.spec_from_file_location("extra_labels",
                                                  ROOT / "scripts" / "extra_labels.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_scripts_refuse_a_malformed_export_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"text": "fine", "label": "venting"}\n{"text": "no label"}\n',
                    encoding="utf-8")
    with pytest.raises(SystemExit, match=r"labels.jsonl: line 2: label field 'label'"):
        _extra_labels_module().read_extra_labels(path)


def test_training_script_reads_exported_labels(tmp_path: Path) -> None:
    module = _extra_labels_module()
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": 1, "text": "fix my order please", "label": "fix_request",
         "classifier_label": "venting", "by": "alice", "at": None},
        {"id": 2, "text": "worst airline ever", "label": "venting",
         "classifier_label": "venting", "by": "bob", "at": None},
        {"id": 3, "text": "lovely crew", "label": "praise", "classifier_label": "praise",
         "by": "bob", "at": None},
        {"id": 4, "text": "", "label": "venting"},
    ]) + "\n\n", encoding="utf-8")
    assert module.read_extra_labels(path) == [
        ("fix my order please", "fix_request"), ("worst airline ever", "venting"),
        ("lovely crew", "praise")]


def test_latest_relabel_reads_the_last_relabel_among_events_already_read() -> None:
    from datetime import UTC, datetime

    from monitor.store.labels import latest_relabel
    from monitor.store.queue import Event

    t = [datetime(2026, 11, 24, h, tzinfo=UTC) for h in (9, 10, 11)]
    events = [
        Event(t[0], "system", "queued", None, "pending", None),
        Event(t[1], "ann", "relabel", "pending", "pending",
              {"from_label": "venting", "to_label": "fix_request"}),
        Event(t[2], "bob", "relabel", "pending", "pending",
              {"from_label": "fix_request", "to_label": "praise"}),
    ]
    latest = latest_relabel(events)
    assert latest is not None
    assert latest.as_dict() == {"by": "bob", "at": t[2].isoformat(), "from": "fix_request",
                                "to": "praise"}
    assert latest_relabel(events[:1]) is None
