"""The learning curve of `complaint-monitor learn` on a brand the model never saw.

    PYTHONPATH=. .venv/bin/python bench/learning_curve.py [--sizes 0,50,100,200,500]
                                   [--seeds 3] [--weights 3] [--models DIR]

The brand: the airline tweets (../shared/data/airline-tweets.csv, confidence 1.0, the text
leak undone and duplicates dropped by bench/_airline.py). Nothing shipped was trained on them
(their CC BY-NC-SA licence allows measuring only). Their labels, as a reviewer would give
them: each negative tweet's hand label (tests/data/fix_vs_vent_labels.csv: fix_request or
venting), positive -> praise, neutral -> neutral. The airline data does not tell a question
from a neutral post (its neutral tweets are mostly questions), so question and neutral are
scored as one label: macro-F1 over fix_request, venting, praise and neutral-or-question.

The tweets are split by a hash of the tweet id (bench/_airline.split_of): reviewer labels are
drawn from the `tune` half, and every figure is measured on the whole `test` half. For each
seed, one random order of the tune half; N reviewer labels are its first N, so each size
extends the one before, as labels accumulate. At each N the bench runs what `learn` runs
(monitor.classify.learn.compare: a fifth of the N held back by text hash, the head fitted on
the shipped training posts plus the rest, brand rows weighted, kept only if it beats the
current head on the held-back fifth), and reports on the test half:
  - in use: the head the brand classifies with after `learn` (the new one if it switched,
    else the packaged one);
  - new head: the head `learn` fitted, switched or not;
  - all N: a head fitted on all N labels with none held back (what the held-back fifth costs).
N = 0 is the packaged head (and, below the table, a head refitted as `learn` fits it on the
shipped posts alone, to tell the brand's labels' part from the refit's). With several
--weights, the new head is fitted at each weight (the check that chose
monitor.classify.learn.BRAND_WEIGHT). Figures are the head's most probable label on the
encoder's embeddings and the rules' features, as `learn` compares.
It reads the data in place and writes nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _airline
from _common import command_line

from monitor.classify import build_classifier
from monitor.classify import learn as L
from monitor.classify.encoder import HEAD_FILE, MODELS
from monitor.classify.head import Head
from monitor.classify.rules import RulesClassifier
from monitor.config import Settings

MERGE = {"question": "neutral"}


def airline_brand() -> tuple[list[L.Example], list[L.Example]]:
    """(pool, test): the confident airline tweets with a reviewer's label, by split."""
    hand = {h.tweet_id: h.label for h in _airline.hand_labels()}
    pool: list[L.Example] = []
    test: list[L.Example] = []
    for t in _airline.load():
        label = hand.get(t.tweet_id) if t.label == "complaint" else t.label
        if label is None:
            continue
        (test if _airline.split_of(t.tweet_id) == "test" else pool).append(
            L.Example(t.text, label))
    return pool, test


def f1_on(head: Head, vectors: L.Vectors, test: Sequence[L.Example]) -> float:
    predicted = L.predict(head, vectors, [r.text for r in test])
    return L.score([r.label for r in test], predicted, merge=MERGE).macro_f1


def mean_sd(values: Sequence[float]) -> str:
    if not values:
        return "-"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.fmean(values):.3f} ± {sd:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="0,50,100,200,500")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--weights", default=str(L.BRAND_WEIGHT),
                    help="brand row weights to fit the new head at (comma-separated); the "
                         "first is the one `learn` decides with")
    ap.add_argument("--models", default=str(MODELS),
                    help="the folder of the encoder and packaged head (default: the package's)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    weights = [float(w) for w in args.weights.split(",")]
    print(f"$ {command_line()}")
    start = time.perf_counter()
    from monitor.classify.tuned import load_model

    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    folder = Path(args.models)
    model = load_model(rules, folder / HEAD_FILE, folder=folder)
    vectors = L.Vectors(model)
    shipped = L.shipped_examples()
    pool, test = airline_brand()
    mix = Counter(MERGE.get(r.label, r.label) for r in test)
    print(f"brand: airline tweets; reviewer labels drawn from {len(pool)} (tune half), "
          f"measured on {len(test)} (test half: {dict(sorted(mix.items()))}); "
          f"{len(shipped)} shipped training posts")
    vectors.of([r.text for r in test])
    vectors.of([r.text for r in shipped])
    packaged = f1_on(model.head, vectors, test)
    refit = f1_on(L.fit_brand(vectors, shipped, []), vectors, test)
    in_use: dict[int, list[float]] = {n: [] for n in sizes}
    new: dict[tuple[int, float], list[float]] = {}
    everything: dict[int, list[float]] = {n: [] for n in sizes}
    switched: dict[int, int] = dict.fromkeys(sizes, 0)
    for seed in range(args.seeds):
        order = list(pool)
        random.Random(seed).shuffle(order)
        for n in sizes:
            if n == 0:
                in_use[n].append(packaged)
                continue
            drawn = order[:n]
            for w in weights:
                c = L.compare(vectors, model.head, shipped, drawn, weight=w)
                new.setdefault((n, w), []).append(f1_on(c.head, vectors, test))
                if w == weights[0]:
                    switched[n] += c.better
                    in_use[n].append(new[(n, w)][-1] if c.better else packaged)
            head = L.fit_brand(vectors, shipped, drawn, weight=weights[0])
            everything[n].append(f1_on(head, vectors, test))
            print(f"  seed {seed}, {n} labels: done ({time.perf_counter() - start:.0f} s)",
                  file=sys.stderr, flush=True)
    print()
    print(f"macro-F1 on the test half (fix_request, venting, praise, neutral+question), mean ± "
          f"sd over {args.seeds} seeds; brand rows weighted x{weights[0]:g}")
    head_cols = "".join(f" | new head x{w:g}" for w in weights)
    print(f"| reviewer labels | in use after learn | switched{head_cols} | all N, none held "
          "back |")
    print("|---:|---:|---:|" + "---:|" * len(weights) + "---:|")
    for n in sizes:
        cols = "".join(f" | {mean_sd(new.get((n, w), []))}" for w in weights)
        sw = "-" if n == 0 else f"{switched[n]}/{args.seeds}"
        print(f"| {n} | {mean_sd(in_use[n])} | {sw}{cols} | {mean_sd(everything[n])} |")
    print(f"\n0 labels is the packaged head; refitted as `learn` fits, on the shipped posts "
          f"alone (no brand labels): {refit:.3f}")
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
