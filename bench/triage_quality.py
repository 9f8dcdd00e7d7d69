"""The default classifier on brands nothing was tuned on: the held-back half of the other
brands' hand labels (tests/data/other_brands_labels.csv, five labels, texts read in place from
../shared/data), beside the rules in the same run.

    PYTHONPATH=. .venv/bin/python bench/triage_quality.py [--split test|tune] [--head FILE]
                                                         [--kinds rules,model] [--json]

Prints, per source (twcs-reply-pairs: 70 brands; ibm-care: 25 brands) and for both together:
the five labels' macro-F1, complaint against not-complaint macro-F1, fix-request against
venting macro-F1 among the posts the readers called complaints, and the share of items below
the "check the label" confidence. The shipped model saw the *tune* half of the IBM rows only
(and none of twcs); report the held-back half (`--split test`, the default).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classify_quality import _other_by_id  # noqa: E402

from monitor.classify import BatchClassifier, Classifier, build_classifier  # noqa: E402
from monitor.classify import evaluate as E  # noqa: E402
from monitor.config import ClassifierSettings, Settings  # noqa: E402
from monitor.model import CHECK_LABEL_BELOW, Classification  # noqa: E402

LABELS = ("fix_request", "venting", "question", "praise", "neutral")
COMPLAINTS = ("fix_request", "venting")
SOURCES = {"twcs": "twcs-reply-pairs", "ibm": "ibm-care"}


def rows(split: str) -> list[tuple[str, str, str]]:
    texts = _other_by_id()
    with (ROOT / "tests" / "data" / "other_brands_labels.csv").open(
            encoding="utf-8", newline="") as fh:
        return [(r["source"], texts[(r["source"], r["id"])], r["label"])
                for r in csv.DictReader(fh) if split == "all" or r["split"] == split]


def classify(clf: Classifier, texts: Sequence[str]) -> list[Classification]:
    if isinstance(clf, BatchClassifier):
        return clf.classify_many(texts)
    return [clf.classify(t) for t in texts]


def label_figures(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """The three macro-F1 figures the targets are set in, `gold` as the answer: the five
    labels, complaint against not, and fix-request against venting among the gold complaints
    (a complaint read as anything but venting counts as a fix-request reading)."""
    two = lambda xs: ["complaint" if x in COMPLAINTS else "not" for x in xs]  # noqa: E731
    comp = [(g, p) for g, p in zip(gold, pred, strict=True) if g in COMPLAINTS]
    fv = E.score([g for g, _ in comp], ["venting" if p == "venting" else "fix_request"
                                        for _, p in comp], labels=COMPLAINTS)
    return {"five_labels": round(E.score(list(gold), list(pred), labels=LABELS).macro_f1, 3),
            "complaint_or_not": round(E.score(two(gold), two(pred),
                                              labels=("complaint", "not")).macro_f1, 3),
            "fix_vent": round(fv.macro_f1, 3)}


def scores(gold: Sequence[str], out: Sequence[Classification]) -> dict[str, float]:
    return {"n": len(gold), **label_figures(gold, [c.label.value for c in out]),
            "check_label_share": round(sum(c.confidence < CHECK_LABEL_BELOW for c in out)
                                       / max(1, len(out)), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["test", "tune", "all"], default="test")
    ap.add_argument("--head", help="a head file from `complaint-monitor learn` or training")
    ap.add_argument("--kinds", default="rules,model")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = rows(args.split)
    report: dict[str, object] = {"split": args.split}
    for kind in args.kinds.split(","):
        settings = Settings(classifier=ClassifierSettings(
            kind=kind, model_path=args.head if kind == "model" else None))
        clf = build_classifier(settings)
        start = time.perf_counter()
        out = classify(clf, [t for _, t, _ in data])
        took = time.perf_counter() - start
        res: dict[str, object] = {"seconds": round(took, 1)}
        for source, name in [*SOURCES.items(), ("all", "both")]:
            idx = [i for i, (s, _, _) in enumerate(data) if source in ("all", s)]
            res[name] = scores([data[i][2] for i in idx], [out[i] for i in idx])
        report[kind] = res
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"other brands' hand labels, {args.split} half ({len(data)} posts)")
    for kind in args.kinds.split(","):
        res = report[kind]
        assert isinstance(res, dict)
        for name in [*SOURCES.values(), "both"]:
            s = res[name]
            print(f"  {kind:6s} {name:17s} n={s['n']:5d}  five labels {s['five_labels']:.3f}  "
                  f"complaint/not {s['complaint_or_not']:.3f}  fix/vent {s['fix_vent']:.3f}  "
                  f"check-label {s['check_label_share']:.0%}")


if __name__ == "__main__":
    main()
