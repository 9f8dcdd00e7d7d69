"""Learning a brand's own head from its reviewers' labels: the pure part.

The training rows (the shipped English training posts, the brand's labels), the held-back
slice of the brand's labels (by a hash of each post's text, stratified by label, so a post
held back once stays held back and a repeated post never sits on both sides), fitting the
brand's head on the shipped posts plus the brand's rows weighted `BRAND_WEIGHT` times, and
comparing two heads on the held-back slice (macro-F1 over the five labels, accuracy).

Also whether a brand head on disk was fitted on the packaged encoder's embeddings (a head
read beside another encoder would be noise, so it is not used). No database: the flow layer
(monitor.review.learning) reads the labels and writes the head. The only I/O here is reading
the shipped training posts and a head file's metadata. Must not import other components.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from monitor.classify.encoder import ENCODER_FILE, MODELS
from monitor.classify.features import LABELS
from monitor.classify.head import FloatArray, Head, fit, meta_of

log = logging.getLogger(__name__)

TRAINSET = Path(__file__).resolve().parent / "trainset"
# The brand's rows count this many times a shipped post. Chosen with bench/learning_curve.py
# --weights (the airline tweets as a new brand, 3 seeds, the packaged model and its 5,608
# English training posts): x100 beat x30 by 0.004-0.007 macro-F1 at 50, 100, 200 and 500
# labels, x10 by 0.014-0.022 and x3 by 0.023-0.040; x300 tied it at 50 and fell 0.002-0.004
# behind from 100 (x1000 was further behind on an earlier model). A brand's own labels
# outweigh many posts about other brands; the held-back check still keeps out a head that
# learned the wrong thing. See the README's "Learning your brand".
BRAND_WEIGHT = 100.0
HOLD_BACK = 0.2  # the share of the brand's labels held back to compare the heads
MIN_HELD_PER_LABEL = 3  # ...and at least this many of each label (at most half of them)
MIN_LABELS = 50  # fewer reviewer labels than this: nothing to learn from yet


@runtime_checkable
class Learner(Protocol):
    """What learning needs of the default classifier (monitor.classify.tuned's
    ModelClassifier): its inputs to the head, its current head, and a copy with another."""

    @property
    def head(self) -> Head: ...

    def embed(self, texts: Sequence[str]) -> FloatArray: ...

    def features(self, texts: Sequence[str]) -> FloatArray: ...

    def with_head(self, head: Head) -> Any: ...


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str


def shipped_examples(folder: Path = TRAINSET) -> list[Example]:
    """The shipped training posts that train the head (English rows; the other languages
    are classified by their own rules), in file order."""
    rows: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("label") not in LABELS:
                raise ValueError(f"{path}:{n}: unknown label {r.get('label')!r}")
            if r.get("lang", "en") == "en":
                rows.append(Example(str(r["text"]), str(r["label"])))
    return rows


def _same(text: str) -> str:
    return " ".join(text.lower().split())


def bucket(text: str) -> float:
    """A stable number in [0, 1) for a post's text (case and spacing ignored)."""
    key = _same(text).encode("utf-8", "replace")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64


def split_brand(rows: Sequence[Example], share: float = HOLD_BACK,
                min_per_label: int = MIN_HELD_PER_LABEL
                ) -> tuple[list[Example], list[Example]]:
    """(train, held back): the rows whose text hashes under `share` are held back; a label
    with fewer held back than min(min_per_label, half its rows) gets its lowest-hashed
    training rows added, so every label the brand has used is measured. Every copy of a
    text (case and spacing aside) is on the same side."""
    by_label: dict[str, list[tuple[float, int]]] = {}
    for i, row in enumerate(rows):
        by_label.setdefault(row.label, []).append((bucket(row.text), i))
    held: set[int] = set()
    for ranked in by_label.values():
        ranked.sort()
        want = min(min_per_label, len(ranked) // 2)
        # Every copy of a text hashes alike, so a cut-off on the hash keeps copies together.
        cut = ranked[want - 1][0] if want else -1.0
        held.update(i for b, i in ranked if b < share or b <= cut)
    # A text labelled twice (two labels) is held back whole too.
    texts = {_same(rows[i].text) for i in held}
    held = {i for i, r in enumerate(rows) if _same(r.text) in texts}
    train = [r for i, r in enumerate(rows) if i not in held]
    return train, [r for i, r in enumerate(rows) if i in held]


@dataclass(frozen=True)
class Scores:
    """A head's figures on labelled posts: macro-F1 over the labels that occur (in the gold
    labels or the predictions), accuracy, and each label's F1."""

    macro_f1: float
    accuracy: float
    rows: int
    per_label: Mapping[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"macro_f1": round(self.macro_f1, 4), "accuracy": round(self.accuracy, 4),
                "rows": self.rows,
                "per_label": {k: round(v, 4) for k, v in self.per_label.items()}}


def score(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS,
          merge: Mapping[str, str] | None = None) -> Scores:
    """Macro-F1 and accuracy of `predicted` against `gold`. `merge` maps labels onto others
    first, in both (the airline bench scores question as neutral). A label that is neither
    in `gold` nor predicted has no F1 and is left out of the mean; one only predicted counts
    0 (as scikit-learn's f1_score(average="macro") counts them)."""
    if len(gold) != len(predicted):
        raise ValueError("one prediction per gold label")
    m = dict(merge or {})
    g = [m.get(x, x) for x in gold]
    p = [m.get(x, x) for x in predicted]
    per: dict[str, float] = {}
    for label in dict.fromkeys(m.get(x, x) for x in labels):
        tp = sum(1 for a, b in zip(g, p, strict=True) if a == label and b == label)
        fp = sum(1 for a, b in zip(g, p, strict=True) if a != label and b == label)
        fn = sum(1 for a, b in zip(g, p, strict=True) if a == label and b != label)
        if tp + fp + fn:
            per[label] = 2 * tp / (2 * tp + fp + fn)
    accuracy = sum(a == b for a, b in zip(g, p, strict=True)) / len(g) if g else 0.0
    macro = sum(per.values()) / len(per) if per else 0.0
    return Scores(macro, accuracy, len(g), per)


class Vectors:
    """The head's inputs (embedding, rules' features) for texts, each text computed once:
    `learn` reads the held-back posts for two heads, the bench the same posts for every
    number of labels and seed. Embeddings saved earlier (`known`) can be handed in: they are
    the costly half, and the shipped posts' never change for one encoder."""

    def __init__(self, learner: Learner,
                 known: Mapping[str, FloatArray] | None = None) -> None:
        self._learner = learner
        self._emb: dict[str, FloatArray] = dict(known or {})
        self._feat: dict[str, FloatArray] = {}

    def of(self, texts: Sequence[str]) -> tuple[FloatArray, FloatArray]:
        if not texts:
            raise ValueError("no texts")
        for cache, compute in ((self._emb, self._learner.embed),
                               (self._feat, self._learner.features)):
            missing = list(dict.fromkeys(t for t in texts if t not in cache))
            if missing:
                rows = compute(missing)
                cache.update(zip(missing, rows, strict=True))
        return (np.stack([self._emb[t] for t in texts]).astype(np.float32),
                np.stack([self._feat[t] for t in texts]).astype(np.float32))

    def embeddings(self, texts: Sequence[str]) -> FloatArray:
        """The embeddings of texts already read (for saving)."""
        return np.stack([self._emb[t] for t in texts]).astype(np.float32)


def predict(head: Head, vectors: Vectors, texts: Sequence[str]) -> list[str]:
    """The head's most probable label for each text."""
    emb, feats = vectors.of(texts)
    return [head.labels[int(k)] for k in np.argmax(head.proba(emb, feats), axis=1)]


def fit_brand(vectors: Vectors, shipped: Sequence[Example], brand: Sequence[Example], *,
              weight: float = BRAND_WEIGHT, seed: int = 0) -> Head:
    """A head fitted on the shipped posts and the brand's rows, each brand row counting
    `weight` times a shipped one (within head.fit's class balancing)."""
    rows = [*shipped, *brand]
    emb, feats = vectors.of([r.text for r in rows])
    weights = [1.0] * len(shipped) + [weight] * len(brand)
    with _one_blas_thread():
        return fit(emb, feats, [r.label for r in rows], LABELS, sample_weight=weights,
                   seed=seed)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """One BLAS thread while fitting, when threadpoolctl is installed (it comes with the
    `learned` and `dev` extras): the fit's matrices are small, and on a busy 2-core machine
    (the daemon polls beside it) OpenBLAS's threads measured 7x slower (16.9 s against
    2.3 s for a head on 2,554 posts)."""
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@dataclass(frozen=True)
class Comparison:
    """The new head, and the current and the new head's figures on the held-back slice."""

    head: Head
    before: Scores
    after: Scores
    train_rows: int  # the brand's rows fitted
    held_rows: int  # the brand's rows held back
    shipped_rows: int

    @property
    def better(self) -> bool:
        """Whether the new head beats the current one on macro-F1 (strictly)."""
        return self.after.macro_f1 > self.before.macro_f1 + 1e-9


def compare(vectors: Vectors, current: Head, shipped: Sequence[Example],
            brand: Sequence[Example], *, weight: float = BRAND_WEIGHT,
            seed: int = 0) -> Comparison:
    """Fit a head on the shipped posts and the brand's training rows; score it and the
    current head on the brand's held-back rows. ValueError when either side is empty."""
    train, held = split_brand(brand)
    if not train or not held:
        raise ValueError(f"{len(brand)} labels cannot be split into training and held-back "
                         "rows")
    head = fit_brand(vectors, shipped, train, weight=weight, seed=seed)
    texts = [r.text for r in held]
    gold = [r.label for r in held]
    return Comparison(head, score(gold, predict(current, vectors, texts)),
                      score(gold, predict(head, vectors, texts)),
                      len(train), len(held), len(shipped))


def encoder_id(folder: Path = MODELS) -> str:
    """A fingerprint of the packaged encoder (the first 16 hex digits of its file's SHA-256),
    or "none" when it is missing. A brand head records the one it was fitted beside."""
    path = folder / ENCODER_FILE
    try:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return "none"
    return digest.hexdigest()[:16]


def usable_brand_head(path: Path, folder: Path = MODELS) -> Path | None:
    """`path` if a brand head is there and was fitted beside the packaged encoder; else None
    (with a warning when a file is there but cannot be used: the current head answers)."""
    if not path.is_file():
        return None
    try:
        meta = meta_of(path)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("%s: not a usable brand head (%s); using the current head", path, exc)
        return None
    if meta.get("encoder") != encoder_id(folder):
        log.warning("%s was learned beside another encoder (an upgrade changed it); using the "
                    "packaged head until `complaint-monitor learn` runs again", path)
        return None
    return path
