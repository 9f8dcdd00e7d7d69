"""Train the optional learned scorer from ../shared/data into a model file (never committed).

    PYTHONPATH=. .venv/bin/python scripts/train_learned.py [--out models/learned.pkl]
                                                          [--split tune|all]

Features: TF-IDF word 1-2-grams and character 2-5-grams of the text (handles and links
masked, so no brand is learned) plus VADER's four scores and the rules' cue weights.
Model: logistic regression, praise / neutral / complaint. Training data: the airline tweets
(leak undone, de-duplicated, confidence 1.0) of the `tune` split by default, so that
bench/classify_quality.py --model can report it on the untouched `test` split; `--split all`
trains on everything for production use. The rules still decide fix-request vs venting.
Then set `[classifier] kind = "learned"` and `model_path` to the file written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _airline
from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from monitor.classify import build_classifier
from monitor.classify.learned import dense_features, prepare, save
from monitor.classify.rules import RulesClassifier
from monitor.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "models" / "learned.pkl"))
    ap.add_argument("--split", choices=["tune", "all"], default="tune")
    ap.add_argument("--c", type=float, default=4.0, help="inverse regularisation strength")
    args = ap.parse_args()

    rules = build_classifier(Settings())
    assert isinstance(rules, RulesClassifier)
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
    out = Path(args.out)
    save(out, vectorizer, model, list(model.classes_),
         {"trained_on": f"airline-tweets.csv split={args.split}", "rows": len(rows),
          "C": args.c})
    print(f"trained on {len(rows)} rows ({args.split}) in {time.perf_counter() - start:.1f} s"
          f" -> {out}")


if __name__ == "__main__":
    main()
