"""How far the hand labels themselves can be trusted: the twcs rows of
tests/data/other_brands_labels.csv read again, blind, by two more readers
(tests/data/other_brands_second_reading.csv), and each reading scored against the first
exactly as bench/triage_quality.py scores the classifier.

    PYTHONPATH=. .venv/bin/python bench/label_agreement.py [--split test|tune|all] [--json]

Prints, per half: the share of posts each second reader gave the first reading's label, and
the two readers' share with each other; each reader's five labels / complaint or not /
fix-request or venting macro-F1 with the first reading as the answer (the figures the
classifier's targets are set in, so a reader's figure is the ceiling to read the model's
against); Cohen's kappa; and how many posts both second readers put under the same other
label. Nothing here reads the texts or any classifier: labels only.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# The classifier's own scorer, so a reader's figures and the model's are computed alike.
from triage_quality import label_figures as figures  # noqa: E402

DATA = ROOT / "tests" / "data"


def load() -> list[dict[str, str]]:
    """One row per twcs post: its split, the first reading and the two second readings."""
    with (DATA / "other_brands_labels.csv").open(encoding="utf-8", newline="") as fh:
        first = {(r["source"], r["id"]): r for r in csv.DictReader(fh)}
    with (DATA / "other_brands_second_reading.csv").open(encoding="utf-8",
                                                        newline="") as fh:
        second = list(csv.DictReader(fh))
    out = []
    for r in second:
        base = first[(r["source"], r["id"])]
        out.append({"split": base["split"], "first": base["label"],
                    "a": r["reader_a"], "b": r["reader_b"]})
    return out


def kappa(x: Sequence[str], y: Sequence[str]) -> float:
    """Cohen's kappa: agreement beyond what the two label mixes give by chance."""
    n = len(x)
    seen = sum(a == b for a, b in zip(x, y, strict=True)) / n
    cx, cy = Counter(x), Counter(y)
    chance = sum(cx[k] * cy[k] for k in set(cx) | set(cy)) / (n * n)
    return round((seen - chance) / (1 - chance), 3) if chance < 1 else 1.0


def report(rows: Sequence[dict[str, str]]) -> dict[str, object]:
    first = [r["first"] for r in rows]
    a = [r["a"] for r in rows]
    b = [r["b"] for r in rows]
    n = len(rows)

    def same(x: Sequence[str], y: Sequence[str]) -> float:
        return round(sum(p == q for p, q in zip(x, y, strict=True)) / n, 3)

    both_other = Counter(f"{r['first']} -> {r['a']}" for r in rows
                         if r["a"] == r["b"] != r["first"])
    return {"n": n,
            "agree": {"a_first": same(a, first), "b_first": same(b, first), "a_b": same(a, b)},
            "kappa": {"a_first": kappa(a, first), "b_first": kappa(b, first),
                      "a_b": kappa(a, b)},
            "reader_a": figures(first, a), "reader_b": figures(first, b),
            "both_second_readers_differ": sum(both_other.values()),
            "how": dict(both_other.most_common())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["test", "tune", "all"], default="test")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [r for r in load() if args.split in ("all", r["split"])]
    res = report(rows)
    if args.json:
        print(json.dumps({"split": args.split, **res}, indent=2))
        return
    agree, kap = res["agree"], res["kappa"]
    assert isinstance(agree, dict) and isinstance(kap, dict)
    print(f"twcs posts, {args.split} half ({res['n']}), read three times, blind")
    print(f"  same label as the first reading: reader A {agree['a_first']:.1%} "
          f"(kappa {kap['a_first']:.2f}), reader B {agree['b_first']:.1%} "
          f"(kappa {kap['b_first']:.2f}); A and B {agree['a_b']:.1%} (kappa {kap['a_b']:.2f})")
    for name in ("reader_a", "reader_b"):
        f = res[name]
        assert isinstance(f, dict)
        print(f"  {name} scored as a classifier: five labels {f['five_labels']:.3f}  "
              f"complaint/not {f['complaint_or_not']:.3f}  fix/vent {f['fix_vent']:.3f}")
    print(f"  both second readers chose the same other label: {res['both_second_readers_differ']}")
    how = res["how"]
    assert isinstance(how, dict)
    for k, v in how.items():
        print(f"    {k}: {v}")


if __name__ == "__main__":
    main()
