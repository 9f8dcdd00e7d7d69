"""How often everyday posts that ask nothing of any brand are called complaints: the held-back
half of 4,140 ordinary tweets (the VADER paper's tweet set, MIT; tests/data/ordinary_tweets.md)
read by two blind readers with the five-label rubric, the posts both labelled alike.

    PYTHONPATH=. .venv/bin/python bench/ordinary_tweets.py [--split test|tune|all]
                                                           [--kinds rules,model] [--json]

Prints, per classifier kind: the share of the readers' non-complaints it calls a complaint
(fix-request or venting), complaint against not macro-F1, the five labels' macro-F1 and the
label mix. A brand's feeds bring such posts whenever a search term is also an everyday word or
a post names the brand in passing (Reddit, Hacker News, RSS), and an independent corpus with
ordinary tweets found a third of them called complaints by an early version; the tune half of
this set is the only part any shipped model may see. Reads tests/data, writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from triage_quality import COMPLAINTS, classify, label_figures  # noqa: E402

from monitor.classify import build_classifier  # noqa: E402
from monitor.config import ClassifierSettings, Settings  # noqa: E402

DATA = ROOT / "tests" / "data" / "ordinary_tweets.jsonl"


def agreed(split: str) -> list[tuple[str, str]]:
    """(text, label) of the posts in `split` both readers labelled alike."""
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["reader_a"] == r["reader_b"] and split in ("all", r["split"]):
            out.append((r["text"], r["reader_a"]))
    return out


def figures(gold: list[str], pred: list[str]) -> dict[str, object]:
    calm = [p for g, p in zip(gold, pred, strict=True) if g not in COMPLAINTS]
    figs = label_figures(gold, pred)
    return {"n": len(gold),
            "non_complaints_called_complaints": round(
                sum(p in COMPLAINTS for p in calm) / max(1, len(calm)), 3),
            "complaint_or_not": figs["complaint_or_not"], "five_labels": figs["five_labels"],
            "labels": dict(Counter(pred).most_common())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["test", "tune", "all"], default="test")
    ap.add_argument("--kinds", default="rules,model")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = agreed(args.split)
    gold = [label for _, label in data]
    report: dict[str, object] = {"split": args.split, "readers": dict(Counter(gold))}
    for kind in args.kinds.split(","):
        clf = build_classifier(Settings(classifier=ClassifierSettings(kind=kind)))
        report[kind] = figures(gold, [c.label.value for c in classify(clf, [t for t, _ in data])])
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"ordinary tweets, {args.split} half: {len(data)} posts both readers labelled alike "
          f"{report['readers']}")
    for kind in args.kinds.split(","):
        s = report[kind]
        assert isinstance(s, dict)
        print(f"  {kind:6s} non-complaints called complaints "
              f"{s['non_complaints_called_complaints']:.1%}  complaint/not "
              f"{s['complaint_or_not']:.3f}  five labels {s['five_labels']:.3f}  {s['labels']}")


if __name__ == "__main__":
    main()
