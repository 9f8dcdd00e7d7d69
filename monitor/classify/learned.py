"""The optional learned scorer: scikit-learn on word n-grams plus VADER and cue weights.

It sits behind the same Classifier protocol. A trained model (built by
scripts/train_learned.py from ../shared/data, never downloaded, never committed) decides
praise / neutral / complaint, and (when the file holds one) a second small model splits
complaints into fix-request / venting from the same kind of features plus the rules' own
verdict; the rules classifier still supplies VADER's scores, the topic, the reasons and the
priority (and the fix / vent split when the file has no such model), so every decision stays
explainable. The model file is a pickle written by that script: load only files you built.

It must not be imported on the default path (scikit-learn is an optional extra) and must
never raise from `classify`: if the model fails on some input, the rules' answer is returned.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from monitor.classify import cues as C
from monitor.classify.rules import Analysis, RulesClassifier
from monitor.errors import ConfigError
from monitor.model import Classification, ClassifyContext, Label

MODEL_FORMAT = "complaint-monitor/learned/1"
_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")


def prepare(text: str) -> str:
    """The text the vectoriser sees: handles and links replaced, so no brand is learned."""
    return _URL.sub(" url ", _HANDLE.sub(" @user ", text[:4000])).lower()


def dense_features(a: Analysis) -> list[float]:
    """VADER's four scores and the cue weights, the numeric half of the features."""
    s = a.sentiment
    return [s.neg, s.neu, s.pos, s.compound, *a.cues.weights]


def fix_vent_features(rules: RulesClassifier, a: Analysis) -> list[float]:
    """The numeric features of the fix-request / venting model: `dense_features` plus the
    rules' verdict (1.0 for fix-request), so the model learns where to overrule them."""
    return [*dense_features(a),
            1.0 if rules.complaint_kind(a.cues) is Label.FIX_REQUEST else 0.0]


class LearnedClassifier:
    name = "learned"

    def __init__(self, rules: RulesClassifier, vectorizer: Any, model: Any,
                 labels: Sequence[str], fix_vent: tuple[Any, Any] | None = None) -> None:
        self._rules = rules
        self._vectorizer = vectorizer
        self._model = model
        self._labels = tuple(labels)
        self._fix_vent = fix_vent  # (vectorizer, model) or None: the rules split complaints

    def complaint_kind(self, text: str, a: Analysis) -> Label:
        """Fix-request or venting for a text judged a complaint: the model's answer when the
        file has a fix / vent model, else the rules'."""
        if self._fix_vent is None:
            return self._rules.complaint_kind(a.cues)
        from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]

        vectorizer, model = self._fix_vent
        x = hstack([vectorizer.transform([prepare(text)]),
                    csr_matrix([fix_vent_features(self._rules, a)])]).tocsr()
        return Label(str(model.predict(x)[0]))

    def coarse(self, texts: Sequence[str], analyses: Sequence[Analysis]) -> list[str]:
        """praise / neutral / complaint for a batch (the training script reuses this)."""
        from scipy.sparse import csr_matrix, hstack

        words = self._vectorizer.transform([prepare(t) for t in texts])
        dense = csr_matrix([dense_features(a) for a in analyses])
        return [str(p) for p in self._model.predict(hstack([words, dense]).tocsr())]

    def classify(self, text: str, context: ClassifyContext | None = None) -> Classification:
        a = self._rules.analyse(text)
        fallback = self._rules.classify_analysed(a, context)
        if a.excluded is not None:
            return fallback
        try:
            coarse = self.coarse([str(text)], [a])[0]
        except Exception:  # a model failure must not lose a mention: the rules answer instead
            return fallback
        if coarse == "complaint":
            try:
                label = self.complaint_kind(str(text), a)
            except Exception:  # as above: a model failure falls back to the rules' split
                label = self._rules.complaint_kind(a.cues)
        else:
            label = Label(coarse)
        if label is fallback.label:
            return Classification(fallback.label, fallback.sentiment, fallback.topic,
                                  fallback.priority, fallback.reasons, self.name)
        kinds = (frozenset((C.REQUEST, C.PROBLEM, C.VENT, C.SARCASM, C.QUESTION, C.URGENT))
                 if label.is_complaint else frozenset((C.PRAISE, C.RESOLVED, C.QUESTION)))
        reasons = ("learned model", *a.cues.reasons(kinds))
        return self._rules.finish(label, a, reasons, context, self.name)


def save(path: Path, vectorizer: Any, model: Any, labels: Sequence[str],
         meta: dict[str, Any], fix_vent: tuple[Any, Any] | None = None) -> None:
    """Write a model file; `fix_vent` is an optional (vectorizer, model) pair for the
    fix-request / venting split (files without one still load: the rules split instead)."""
    payload = {"format": MODEL_FORMAT, "vectorizer": vectorizer, "model": model,
               "labels": list(labels), "meta": meta, "fix_vent": fix_vent}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_learned(path: Path, *, fallback: RulesClassifier, source: str) -> LearnedClassifier:
    """Load a model file written by scripts/train_learned.py; errors name the config key."""
    key = "classifier.model_path"
    try:
        import sklearn  # noqa: F401  (the model's classes unpickle from it)
    except ImportError as exc:
        raise ConfigError("the learned classifier needs scikit-learn: pip install "
                          "'complaint-monitor[learned]'", key="classifier.kind",
                          path=source) from exc
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)  # noqa: S301 - a file this project's script built
    except FileNotFoundError:
        raise ConfigError(f"model file {path} not found; build it with "
                          "scripts/train_learned.py", key=key, path=source) from None
    except Exception as exc:
        raise ConfigError(f"cannot read model file {path}: {exc}", key=key,
                          path=source) from exc
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        raise ConfigError(f"{path} is not a model built by scripts/train_learned.py", key=key,
                          path=source)
    fix_vent = payload.get("fix_vent")
    if fix_vent is not None and not (isinstance(fix_vent, tuple) and len(fix_vent) == 2):
        raise ConfigError(f"{path} has a malformed fix_vent model; rebuild it with "
                          "scripts/train_learned.py", key=key, path=source)
    return LearnedClassifier(fallback, payload["vectorizer"], payload["model"],
                             payload["labels"], fix_vent)
