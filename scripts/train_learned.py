"""Train the optional learned scorer from ../shared/data into a model file (never committed).

    PYTHONPATH=. .venv/bin/python scripts/train_learned.py [--out models/learned.pkl]
                                                          [--split tune|all]
                                                          [--extra-labels FILE]

Features: TF-IDF word 1-2-grams and character 2-5-grams of the text (handles and links
masked, so no brand is learned) plus VADER's four scores and the rules' cue weights.
Model: logistic regression, praise / neutral / complaint. Training data: the airline tweets
(leak undone, de-duplicated, confidence 1.0) of the `tune` split by default, so that
bench/classify_quality.py --model can report it on the untouched `test` split; `--split all`
trains on everything for production use.

A second logistic regression splits complaints into fix-request / venting: word 1-2-grams,
VADER's scores, the cue weights and the rules' own verdict, trained on the hand labels in
tests/data/fix_vs_vent_labels.csv (every confident airline complaint, read by hand; only
their `tune` half by default, so the held-back half stays unseen; all of them with
`--split all`). Figures: bench/classify_quality.py --model (the README's table); `--cv`
cross-validates it on the tune half.

`--extra-labels FILE` (repeatable) adds your team's own corrections to the fix / vent
model's rows: the JSON lines of `complaint-monitor labels export` (reviewers' relabels and
approvals of your brand's mentions; rows labelled fix_request or venting are used, at
`--extra-weight`, default 1.0 like a hand label). This trains on your own data: the model
file then holds what your reviewers decided, and bench/classify_quality.py's held-back
airline figures no longer describe it alone; measure it on a later export instead
(`complaint-monitor eval --input FILE --label-field label`).

Then set `[classifier] kind = "learned"` and `model_path` to the file written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _airline
from extra_labels import fix_vent_rows
from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from monitor.classify import build_classifier
from monitor.classify.learned import dense_features, fix_vent_features, prepare, save
from monitor.classify.rules import RulesClassifier
from monitor.config import Settings

ROOT = Path(__file__).resolve().parent.parent
def fix_vent_data(split: str) -> tuple[list[str], list[str], list[float]]:
    """(texts, labels, sample weights) of the hand labels of `split`."""
    rows = _airline.hand_labels(split)
    return [r.text for r in rows], [r.label for r in rows], [1.0] * len(rows)


def fit_fix_vent(rules: RulesClassifier, texts: list[str], labels: list[str],
                 weights: list[float], c: float) -> tuple[Any, Any]:
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    words = vectorizer.fit_transform([prepare(t) for t in texts])
    dense = csr_matrix([fix_vent_features(rules, rules.analyse(t)) for t in texts])
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(hstack([words, dense]).tocsr(), labels, sample_weight=weights)
    return vectorizer, model


def cross_validate(rules: RulesClassifier, c: float) -> None:
    """Five-fold macro-F1 of the fix / vent model on the tune half of the hand labels."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    texts, labels, weights = fix_vent_data("tune")
    pred = [""] * len(texts)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, held in folds.split(texts, labels):
        vec, model = fit_fix_vent(rules, [texts[i] for i in train],
                                  [labels[i] for i in train],
                                  [weights[i] for i in train], c)
        x = hstack([vec.transform([prepare(texts[i]) for i in held]),
                    csr_matrix([fix_vent_features(rules, rules.analyse(texts[i]))
                                for i in held])]).tocsr()
        for i, p in zip(held, model.predict(x), strict=True):
            pred[i] = str(p)
    rules_pred = [rules.complaint_kind(rules.analyse(t).cues).value for t in texts]
    print(f"fix/vent 5-fold CV on the tune half ({len(texts)} hand labels, C={c}): macro-F1 "
          f"{f1_score(labels, pred, average='macro'):.3f}; rules on the same rows "
          f"{f1_score(labels, rules_pred, average='macro'):.3f} (rules were tuned on them)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "models" / "learned.pkl"))
    ap.add_argument("--split", choices=["tune", "all"], default="tune")
    ap.add_argument("--c", type=float, default=4.0, help="inverse regularisation strength")
    ap.add_argument("--fix-c", type=float, default=1.0,
                    help="inverse regularisation strength of the fix / vent model")
    ap.add_argument("--extra-labels", action="append", default=[], metavar="FILE",
                    help="`complaint-monitor labels export` JSON lines: your reviewers' "
                         "fix_request / venting labels join the fix / vent training rows")
    ap.add_argument("--extra-weight", type=float, default=1.0,
                    help="sample weight of --extra-labels rows")
    ap.add_argument("--cv", action="store_true",
                    help="only cross-validate the fix / vent model on the tune half")
    args = ap.parse_args()

    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    if args.cv:
        cross_validate(rules, args.fix_c)
        return
    rows = _airline.split(_airline.load(), args.split)
    start = time.perf_counter()
    vectorizer = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                  sublinear_tf=True, max_features=60_000)),
    ])
    words = vectorizer.fit_transform([prepare(t.text) for t in rows])
    dense = csr_matrix([dense_features(rules.analyse(t.text)) for t in rows])
    model = LogisticRegression(C=args.c, max_iter=3000, class_weight="balanced")
    model.fit(hstack([words, dense]).tocsr(), [t.label for t in rows])
    fv_texts, fv_labels, fv_weights = fix_vent_data(args.split)
    extra = fix_vent_rows(Path(path) for path in args.extra_labels)
    fv_texts += [text for text, _ in extra]
    fv_labels += [label for _, label in extra]
    fv_weights += [args.extra_weight] * len(extra)
    fix_vent = fit_fix_vent(rules, fv_texts, fv_labels, fv_weights, args.fix_c)
    out = Path(args.out)
    save(out, vectorizer, model, list(model.classes_),
         {"trained_on": f"airline-tweets.csv split={args.split}", "rows": len(rows),
          "C": args.c, "fix_vent_rows": len(fv_texts),
          "fix_C": args.fix_c, "extra_labels": [str(p) for p in args.extra_labels],
          "extra_rows": len(extra), "extra_weight": args.extra_weight}, fix_vent)
    print(f"trained on {len(rows)} rows ({args.split}), fix/vent on {len(fv_texts)} "
          f"({len(extra)} from --extra-labels) "
          f"in {time.perf_counter() - start:.1f} s -> {out}")


if __name__ == "__main__":
    main()
