"""The rules' numeric features that the default classifier's head reads beside the embedding.

Shared by the classifier (`tuned.py`), its training script and `complaint-monitor learn`, so
that training and classifying can never disagree on a column. Pure; no I/O.
"""

from __future__ import annotations

from monitor.classify.learned import dense_features
from monitor.classify.rules import Analysis, RulesClassifier
from monitor.model import Label

LABELS: tuple[str, ...] = tuple(label.value for label in Label)


def features(rules: RulesClassifier, a: Analysis, label: Label | None = None) -> list[float]:
    """VADER's four scores, the cue weights, and the rules' own label one-hot (so the head
    learns where to overrule them), for one analysed text; `label` is the rules' label when
    the caller has it already."""
    name = (label or rules.classify_analysed(a).label).value
    return [*dense_features(a), *(1.0 if name == each else 0.0 for each in LABELS)]
