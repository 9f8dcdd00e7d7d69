"""The default classifier's head: multinomial logistic regression in numpy.

Input rows are a text's sentence embedding (unit length) beside the rules' numeric features
(VADER's scores, the cue weights and the rules' own label, one-hot), standardised with the
training rows' mean and deviation and scaled by `FEATURE_SCALE`. Fitting is full-batch Adam
on the L2-regularised, class-balanced cross-entropy: a few seconds for thousands of rows, so
`complaint-monitor learn` can refit a brand's head on the CPU with no extra packages.
Heads are stored as `.npz` files read with `allow_pickle=False` (no code in a model file).
This module does no I/O but `save` and `load`, and must not import other components.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
FEATURE_SCALE = 0.3  # the rules' features count, but the embedding carries most of the signal
FORMAT = "complaint-monitor/head/1"


@dataclass(frozen=True)
class Head:
    labels: tuple[str, ...]
    weights: FloatArray  # (embedding + features, labels)
    bias: FloatArray  # (labels,)
    mean: FloatArray  # (features,) standardisation of the rules' features
    std: FloatArray

    def rows(self, embeddings: FloatArray, features: FloatArray) -> FloatArray:
        dense = (features - self.mean) / self.std * FEATURE_SCALE
        return np.hstack([embeddings, dense]).astype(np.float32)

    def proba(self, embeddings: FloatArray, features: FloatArray) -> FloatArray:
        """One row of label probabilities (in `labels` order) per text."""
        return softmax(self.rows(embeddings, features) @ self.weights + self.bias)

    def save(self, path: Path, meta: dict[str, object] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The format and labels last: no metadata key may overwrite what `load` relies on.
        info = json.dumps({**(meta or {}), "format": FORMAT, "labels": list(self.labels)})
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as fh:
            np.savez(fh, weights=self.weights, bias=self.bias, mean=self.mean, std=self.std,
                     info=np.array(info))
        tmp.replace(path)  # a reader never sees half a file


def meta_of(path: Path) -> dict[str, object]:
    with np.load(path, allow_pickle=False) as data:
        info: dict[str, object] = json.loads(str(data["info"]))
    return info


def load(path: Path) -> Head:
    """A head written by `Head.save`. Raises ValueError naming the file if it is not one."""
    try:
        with np.load(path, allow_pickle=False) as data:
            info = json.loads(str(data["info"]))
            if info.get("format") != FORMAT:
                raise ValueError(f"{path}: not a complaint-monitor head ({info.get('format')})")
            return Head(tuple(info["labels"]), data["weights"].astype(np.float32),
                        data["bias"].astype(np.float32), data["mean"].astype(np.float32),
                        data["std"].astype(np.float32))
    except (OSError, KeyError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the model head ({exc})") from exc


def softmax(z: FloatArray) -> FloatArray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


def fit(embeddings: FloatArray, features: FloatArray, labels: Sequence[str],
        label_order: Sequence[str], *, l2: float = 1e-3, steps: int = 600,
        lr: float = 0.05, sample_weight: Sequence[float] | None = None, seed: int = 0) -> Head:
    """A head fitted on the rows given; every label in `label_order` gets the same total
    weight (balanced), times `sample_weight` per row when given."""
    order = tuple(label_order)
    index = {label: k for k, label in enumerate(order)}
    unknown = sorted(set(labels) - set(index))
    if unknown:
        raise ValueError(f"unknown labels {unknown}; expected {', '.join(order)}")
    if len(labels) != len(embeddings) or len(labels) != len(features) or not len(labels):
        raise ValueError("need one label per row, and at least one row")
    mean = features.mean(axis=0).astype(np.float32)
    std = features.std(axis=0).astype(np.float32)
    std[std < 1e-6] = 1.0  # a feature that never varies must not be scaled up
    head = Head(order, np.zeros((embeddings.shape[1] + features.shape[1], len(order)),
                                np.float32), np.zeros(len(order), np.float32), mean, std)
    x = head.rows(embeddings, features)
    y = np.array([index[label] for label in labels])
    onehot = np.eye(len(order), dtype=np.float32)[y]
    counts = np.bincount(y, minlength=len(order)).astype(np.float32)
    w = (len(y) / (len(order) * np.maximum(counts, 1.0)))[y]
    if sample_weight is not None:
        w = w * np.asarray(sample_weight, np.float32)
    w = (w / w.sum()).astype(np.float32)[:, None]
    rng = np.random.default_rng(seed)
    weights = (rng.standard_normal(head.weights.shape) * 0.01).astype(np.float32)
    bias = np.zeros(len(order), np.float32)
    m_w, v_w = np.zeros_like(weights), np.zeros_like(weights)
    m_b, v_b = np.zeros_like(bias), np.zeros_like(bias)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        grad_z = (softmax(x @ weights + bias) - onehot) * w
        g_w = x.T @ grad_z + l2 * weights
        g_b = grad_z.sum(axis=0)
        m_w = b1 * m_w + (1 - b1) * g_w
        v_w = b2 * v_w + (1 - b2) * g_w * g_w
        m_b = b1 * m_b + (1 - b1) * g_b
        v_b = b2 * v_b + (1 - b2) * g_b * g_b
        step = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        weights -= step * m_w / (np.sqrt(v_w) + eps)
        bias -= step * m_b / (np.sqrt(v_b) + eps)
    return Head(order, weights.astype(np.float32), bias.astype(np.float32), mean, std)
