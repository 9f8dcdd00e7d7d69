"""Scoring a classifier against gold labels: accuracy, per-label precision/recall/F1,
macro-F1 and a confusion matrix. Shared by the `eval` command and the bench scripts.

Pure functions over sequences of label strings; no I/O, no classifier construction. Labels
may be any strings (so a bench can score "complaint" against "not complaint").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.model import Label

COMPLAINT = "complaint"
NOT_COMPLAINT = "not_complaint"


@dataclass(frozen=True, slots=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Report:
    labels: tuple[str, ...]
    accuracy: float
    per_label: Mapping[str, LabelScore]
    macro_f1: float
    confusion: Mapping[str, Mapping[str, int]]  # confusion[gold][predicted]
    n: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "per_label": {
                k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4),
                    "f1": round(v.f1, 4), "support": v.support}
                for k, v in self.per_label.items()
            },
            "confusion": {g: dict(row) for g, row in self.confusion.items()},
        }

    def as_text(self) -> str:
        width = max(9, *(len(label) for label in self.labels))
        lines = [f"n={self.n}  accuracy={self.accuracy:.3f}  macro-F1={self.macro_f1:.3f}", ""]
        lines.append(f"{'label':<{width}}  precision  recall     f1  support")
        for label in self.labels:
            s = self.per_label[label]
            lines.append(f"{label:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}"
                         f"  {s.support:7d}")
        lines += ["", "confusion (rows gold, columns predicted)"]
        lines.append(f"{'':<{width}}  " + "  ".join(f"{p:>{width}}" for p in self.labels))
        for gold in self.labels:
            row = self.confusion[gold]
            lines.append(f"{gold:<{width}}  " + "  ".join(f"{row[p]:>{width}d}"
                                                          for p in self.labels))
        return "\n".join(lines)


def _div(a: float, b: float) -> float:
    return a / b if b else 0.0


def score(gold: Sequence[str], predicted: Sequence[str],
          labels: Iterable[str] | None = None) -> Report:
    """Compare two equal-length label sequences. `labels` fixes the order (and includes
    labels that never occur); by default the sorted union of both sequences.

    Macro-F1 averages over every label listed, so a label that never occurs in gold but is
    predicted counts with F1 0 (as scikit-learn does with `labels=` given)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    order = tuple(labels) if labels is not None else tuple(sorted(set(gold) | set(predicted)))
    unknown = (set(gold) | set(predicted)) - set(order)
    if unknown:
        raise ValueError(f"labels not in the label list: {', '.join(sorted(unknown))}")
    confusion = {g: dict.fromkeys(order, 0) for g in order}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    per: dict[str, LabelScore] = {}
    for label in order:
        tp = confusion[label][label]
        support = sum(confusion[label].values())
        predicted_n = sum(confusion[g][label] for g in order)
        precision = _div(tp, predicted_n)
        recall = _div(tp, support)
        per[label] = LabelScore(precision, recall, _div(2 * precision * recall,
                                                        precision + recall), support)
    n = len(gold)
    correct = sum(confusion[label][label] for label in order)
    macro = _div(sum(s.f1 for s in per.values()), len(order))
    return Report(order, _div(correct, n), per, macro, confusion, n)


def complaint_or_not(label: str) -> str:
    """Collapse the five labels to complaint / not_complaint (a question is not one)."""
    return COMPLAINT if label in (Label.FIX_REQUEST, Label.VENTING, COMPLAINT) else NOT_COMPLAINT


def three_way(label: str) -> str:
    """Collapse to praise / neutral / complaint (a question, neither, counts as neutral)."""
    if label == Label.QUESTION:
        return Label.NEUTRAL.value
    return COMPLAINT if label in (Label.FIX_REQUEST, Label.VENTING, COMPLAINT) else label


def compound_baseline(threshold: float = 0.05) -> tuple[Callable[[float], str],
                                                        Callable[[float], str]]:
    """VADER-only baselines from the compound score, VADER's own cut-offs (±0.05):
    (compound -> complaint/not_complaint, compound -> praise/neutral/complaint)."""

    def binary(c: float) -> str:
        return COMPLAINT if c <= -threshold else NOT_COMPLAINT

    def three(c: float) -> str:
        if c <= -threshold:
            return COMPLAINT
        return Label.PRAISE.value if c >= threshold else Label.NEUTRAL.value

    return binary, three
