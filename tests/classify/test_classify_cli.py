"""`classify` and `eval` through the real click group (CliRunner on monitor.cli.cli) and one
subprocess run of `python -m monitor`: output shapes per contract.md, bad input -> exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import monitor.cli as cli_module

ROOT = Path(__file__).resolve().parents[2]
Invoke = Callable[..., tuple[int, str, str]]
SHAPE_KEYS = {"id", "label", "confidence", "language", "check_label", "sentiment", "topic",
              "priority", "reasons"}


@pytest.fixture(scope="module")
def run() -> Invoke:
    cli_module._register()
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(cli_module.cli, list(args), input=stdin)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _lines(path: Path, rows: list[object]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_classify_jsonl_shape_and_order(run: Invoke, tmp_path: Path) -> None:
    path = _lines(tmp_path / "in.jsonl", [
        {"id": "a1", "text": "my order #4521 never arrived, I want a refund"},
        {"text": "thank you, the team was brilliant"},
        {"id": 7, "text": "worst company ever, never again #fail",
         "author_followers": 100000, "age_hours": 30},
    ])
    code, out, _ = run("classify", "--input", path, "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a1", 2, 7]  # as given, else the line number
    assert all(set(r) == SHAPE_KEYS for r in rows)
    assert [r["label"] for r in rows] == ["fix_request", "praise", "venting"]
    assert set(rows[0]["sentiment"]) == {"neg", "neu", "pos", "compound"}
    assert rows[0]["topic"] == "delivery"
    assert "asks for a refund" in rows[0]["reasons"]
    assert rows[0]["priority"] > rows[2]["priority"] > rows[1]["priority"]


def test_classify_json_array_from_stdin(run: Invoke) -> None:
    code, out, _ = run("classify", "--input", "-", "--format", "json",
                       stdin='{"text": "is the app down?"}\n\n{"text": "hello"}\n')
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    assert [d["id"] for d in data] == [1, 3]  # blank lines still count
    assert data[0]["label"] == "fix_request" and data[0]["topic"] == "outage"


def test_classify_text_arguments(run: Invoke) -> None:
    code, out, _ = run("classify", "where is my parcel", "love it, thanks")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1\tfix_request") and "where is my" in lines[0]
    assert lines[1].startswith("2\tpraise")


@pytest.mark.parametrize(("content", "needle"), [
    ('{"text": "ok"}\nnot json\n', "line 2: not valid JSON"),
    ('{"id": 1}\n', "line 1: \"text\" is missing"),
    ('["text"]\n', "line 1: expected a JSON object"),
    ('{"text": "x", "author_followers": "many"}\n', "author_followers"),
])
def test_classify_bad_input_exits_2(run: Invoke, tmp_path: Path, content: str,
                                    needle: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    code, out, err = run("classify", "--input", str(path), "--format", "jsonl")
    assert code == 2
    assert out == ""  # nothing half-written
    assert needle in err and len(err.strip().splitlines()) == 1


def test_classify_missing_file_and_no_input(run: Invoke, tmp_path: Path) -> None:
    code, _, err = run("classify", "--input", str(tmp_path / "nope.jsonl"))
    assert code == 2 and "no such file" in err
    code, _, err = run("classify")
    assert code == 2 and "nothing to classify" in err


def test_classify_not_utf8(run: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"text": "caf\xe9"}\n'.encode("latin-1"))
    code, _, err = run("classify", "--input", str(path))
    assert code == 2 and "not UTF-8" in err


def test_eval_four_labels_json(run: Invoke, tmp_path: Path) -> None:
    path = _lines(tmp_path / "gold.jsonl", [
        {"text": "my parcel never arrived, where is it?", "gold": "fix_request"},
        {"text": "worst service ever, never again", "gold": "venting"},
        {"text": "thank you so much, brilliant help", "gold": "praise"},
        {"text": "heading to the shop later", "gold": "neutral"},
        {"text": "thanks for nothing", "gold": "praise"},
    ])
    code, out, _ = run("eval", "--input", path, "--label-field", "gold", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["n"] == 5 and report["labels"] == ["fix_request", "venting", "question",
                                                     "praise", "neutral"]
    assert report["accuracy"] == pytest.approx(0.8)
    # "thanks for nothing" is not praise, whatever the gold says: one praise row missed.
    assert sum(n for label, n in report["confusion"]["praise"].items()
               if label != "praise") == 1
    assert report["per_label"]["praise"]["recall"] == pytest.approx(0.5)
    assert 0 < report["macro_f1"] < 1


def test_eval_collapsed_labels_text(run: Invoke, tmp_path: Path) -> None:
    path = _lines(tmp_path / "gold.jsonl", [
        {"text": "my parcel never arrived", "s": "complaint"},
        {"text": "you are wonderful", "s": "not_complaint"},
    ])
    code, out, _ = run("eval", "--input", path, "--label-field", "s")
    assert code == 0
    assert "accuracy=1.000" in out and "macro-F1=1.000" in out
    assert "not_complaint" in out


def test_eval_bad_labels_exit_2(run: Invoke, tmp_path: Path) -> None:
    path = _lines(tmp_path / "gold.jsonl", [{"text": "x", "gold": "angry"}])
    code, _, err = run("eval", "--input", path, "--label-field", "gold")
    assert code == 2 and "unknown gold label" in err and "'angry'" in err
    code, _, err = run("eval", "--input", path, "--label-field", "nope")
    assert code == 2 and "line 1: label field 'nope'" in err


def test_python_dash_m_end_to_end(tmp_path: Path) -> None:
    path = _lines(tmp_path / "in.jsonl", [{"id": "z", "text": "charged twice, refund please"}])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "monitor", "classify", "--input", path,
                           "--format", "jsonl"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert row["id"] == "z" and row["label"] == "fix_request" and row["topic"] == "billing"
    bad = subprocess.run([sys.executable, "-m", "monitor", "classify", "--input", "-"],
                         input="{oops\n", capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=60, check=False)
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("Error: --input: line 1: not valid JSON")


@pytest.mark.parametrize("rid", [1, "a\"b", None, 3.5, "é😀", ["x"]])
def test_fast_jsonl_line_equals_generic_encoder(rid: object) -> None:
    from monitor.classify import build_classifier
    from monitor.cli.classify_cmds import as_json, jsonl_line
    from monitor.config import Settings

    clf = build_classifier(Settings())
    for text in ("my order #4521 never arrived, I want a refund", "", "love it 😀"):
        c = clf.classify(text)
        line = jsonl_line(rid, c)
        assert json.loads(line) == as_json(rid, c)
        assert line == json.dumps(as_json(rid, c), ensure_ascii=False)


def test_lone_surrogates_in_text_and_id_print_cleanly(run: Invoke) -> None:
    line = '{"id": "x\\ud800", "text": "help \\ud800 where is my order"}\n'
    for fmt in ("text", "json", "jsonl"):
        code, out, err = run("classify", "--input", "-", "--format", fmt, stdin=line)
        assert code == 0, err
        assert "where is my" in out or "fix_request" in out
        out.encode("utf-8")  # nothing unencodable reached the output
