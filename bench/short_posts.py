"""Short, plain posts about products and services (tests/data/short_posts.jsonl, 240 posts
the project wrote, five labels): how many short fault statements each classifier kind reads
as chatter or praise, beside the three macro-F1 figures.

    PYTHONPATH=. .venv/bin/python bench/short_posts.py [--kinds rules,model] [--json]

A check, not a held-back measurement (see tests/data/short_posts.md). Reads tests/data,
writes nothing.
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

from triage_quality import classify, label_figures  # noqa: E402

from monitor.classify import build_classifier  # noqa: E402
from monitor.config import Settings  # noqa: E402

DATA = ROOT / "tests" / "data" / "short_posts.jsonl"


def posts() -> list[tuple[str, str]]:
    return [(r["text"], r["label"]) for r in map(json.loads, DATA.read_text(
        encoding="utf-8").splitlines())]


def figures(gold: list[str], pred: list[str]) -> dict[str, object]:
    faults = [p for g, p in zip(gold, pred, strict=True) if g == "fix_request"]
    return {"n": len(gold), **label_figures(gold, pred),
            "faults_read_as_chatter_or_praise": sum(p in ("neutral", "praise") for p in faults),
            "faults": len(faults), "labels": dict(Counter(pred).most_common())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kinds", default="rules,model")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = posts()
    report = {}
    for kind in args.kinds.split(","):
        clf = build_classifier(Settings(), kind=kind)
        report[kind] = figures([g for _, g in data],
                               [c.label.value for c in classify(clf, [t for t, _ in data])])
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"short posts: {len(data)} ({dict(Counter(g for _, g in data))})")
    for kind, f in report.items():
        print(f"  {kind:6s} five labels {f['five_labels']:.3f}  complaint/not "
              f"{f['complaint_or_not']:.3f}  fix/vent {f['fix_vent']:.3f}  faults read as "
              f"chatter or praise {f['faults_read_as_chatter_or_praise']} of {f['faults']}")


if __name__ == "__main__":
    main()
