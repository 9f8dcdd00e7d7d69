"""Learning the brand from its reviewers: `complaint-monitor learn`, and `run`'s learn job.

Every human label is a training row: each relabel, and the label of every approved item
(store.labels.export). The English ones with one of the five labels train the brand's own
head (monitor.classify.learn) on top of the shipped training posts; a hash-chosen slice of
them is held back, and the new head replaces the current one only when it scores a higher
macro-F1 there. The head is written atomically where `[classifier] brand_head` says, and
every run that fits a head is recorded as one JSON line beside it
(`brand-head.log.jsonl`), which is also how the scheduled job counts the labels that are new
since the last run (and sees an upgrade that changed the encoder, which retires the brand's
head: it learns again at once). The shipped posts' embeddings are kept beside it too
(`brand-head.shipped.npz`, a cache for one encoder and one set of posts: safe to delete). The
classifier in use is not changed here: App swaps it after a switch.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import Engine

from monitor.classify.features import LABELS
from monitor.classify.head import FloatArray, meta_of
from monitor.classify.learn import (
    BRAND_WEIGHT,
    MIN_LABELS,
    Comparison,
    Example,
    Learner,
    Vectors,
    compare,
    encoder_id,
    shipped_examples,
    usable_brand_head,
)
from monitor.config import Settings
from monitor.errors import ConfigError
from monitor.store import labels as store_labels

LOG_SUFFIX = ".log.jsonl"
CACHE_SUFFIX = ".shipped.npz"
OTHER_LANGUAGE = "other language"
OTHER_LABEL = "other label"


class Outcome(StrEnum):
    SWITCHED = "switched"  # the new head scored better and is in use
    KEPT = "kept"  # the current head scored as well or better: nothing written
    DRY_RUN = "dry_run"  # fitted and compared only
    TOO_FEW = "too_few"  # fewer labels than asked for: nothing fitted
    WAITING = "waiting"  # scheduled: not enough labels since the last run


@dataclass(frozen=True)
class LearnReport:
    at: datetime
    outcome: Outcome
    labels: int  # the brand's usable labels
    min_labels: int
    head_path: Path
    current: str  # which head was in use, in words
    weight: float = BRAND_WEIGHT
    comparison: Comparison | None = None
    skipped: Mapping[str, int] = field(default_factory=dict)
    new_labels: int | None = None  # since the last recorded run (scheduled runs)
    seconds: float = 0.0
    classifier: Any = None  # the classifier with the new head, after a switch

    @property
    def switched(self) -> bool:
        return self.outcome is Outcome.SWITCHED

    @property
    def better(self) -> bool:
        return self.comparison is not None and self.comparison.better

    def as_dict(self) -> dict[str, Any]:
        c = self.comparison
        return {
            "at": self.at.isoformat(), "outcome": self.outcome.value,
            "switched": self.switched, "better": self.better, "labels": self.labels,
            "min_labels": self.min_labels,
            "new_labels": self.new_labels, "skipped": dict(self.skipped),
            "brand_rows": c.train_rows if c else 0, "held_back": c.held_rows if c else 0,
            "shipped_rows": c.shipped_rows if c else 0, "weight": self.weight,
            "before": c.before.as_dict() if c else None,
            "after": c.after.as_dict() if c else None,
            "current": self.current, "head": str(self.head_path),
            "seconds": round(self.seconds, 1),
        }

    def message(self) -> str:
        """What happened, in words, for the CLI and the daemon's log."""
        if self.outcome is Outcome.TOO_FEW:
            return (f"only {self.labels} reviewer labels so far (relabelled or approved "
                    f"English posts); learning needs at least {self.min_labels}")
        if self.outcome is Outcome.WAITING:
            return (f"{self.new_labels} new reviewer labels since the last learning run "
                    f"({self.labels} in all); waiting for {self.min_labels}")
        c = self.comparison
        assert c is not None
        held = f"the {c.held_rows} held-back labels"
        lines = [
            f"learned from {self.labels} reviewer labels: fitted on {c.train_rows} (each "
            f"counted {self.weight:g} times) beside {c.shipped_rows} shipped posts; "
            f"{c.held_rows} held back to compare",
            f"  {'':8} {'macro-F1':>9} {'accuracy':>9}   on {held}",
            f"  {'before':8} {c.before.macro_f1:9.3f} {c.before.accuracy:9.3f}   "
            f"{self.current}",
            f"  {'after':8} {c.after.macro_f1:9.3f} {c.after.accuracy:9.3f}   "
            "the brand's new head",
        ]
        if self.outcome is Outcome.SWITCHED:
            lines.append(f"switched to the brand's new head: wrote {self.head_path}")
        elif self.outcome is Outcome.KEPT:
            lines.append(f"kept the current model: the new head's macro-F1 "
                         f"{c.after.macro_f1:.3f} is not above {c.before.macro_f1:.3f} on "
                         f"{held}")
        else:
            verdict = "switch to the new head" if c.better else "keep the current model"
            lines.append(f"dry run: would {verdict}; nothing written")
        return "\n".join(lines)


def log_path(head_path: Path) -> Path:
    """The JSON lines record of learning runs beside a brand head file."""
    return head_path.with_name(head_path.stem + LOG_SUFFIX)


def cache_path(head_path: Path) -> Path:
    """The shipped posts' embeddings kept beside a brand head file (a cache: safe to delete)."""
    return head_path.with_name(head_path.stem + CACHE_SUFFIX)


def history(head_path: Path) -> list[dict[str, Any]]:
    """The recorded runs, oldest first (a line cut short by a crash is ignored)."""
    path = log_path(head_path)
    if not path.is_file():
        return []
    runs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            runs.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return [r for r in runs if isinstance(r, dict)]


def current_head(head_path: Path, model_path: Path | None) -> str:
    """Which head the "model" classifier loads, in words."""
    if usable_brand_head(head_path) is not None:
        learned = str(meta_of(head_path).get("learned_at", ""))
        try:
            when = f" {datetime.fromisoformat(learned):%Y-%m-%d %H:%M %Z}".rstrip()
        except ValueError:
            when = ""
        return f"the brand's head learned{when}"
    if model_path is not None:
        return f"the head at {model_path}"
    return "the packaged head"


@dataclass
class Learning:
    engine: Engine
    learner: Learner
    head_path: Path
    clock: Callable[[], datetime]
    current: str = "the packaged head"
    weight: float = BRAND_WEIGHT
    shipped: Callable[[], Sequence[Example]] = shipped_examples
    detect: Callable[[str], str] | None = None  # a post's language; default: py3langid

    @classmethod
    def build(cls, settings: Settings, engine: Engine, classifier: object,
              clock: Callable[[], datetime]) -> Learning:
        """Learning for the configured classifier; ConfigError unless it is the "model" kind
        and `[classifier] brand_head` names a file."""
        cfg = settings.classifier
        if not isinstance(classifier, Learner):
            raise ConfigError("learning fits the default classifier's head: set kind = "
                              "\"model\"", key="classifier.kind", path=settings.source)
        if not cfg.brand_head:
            raise ConfigError("learning is off while brand_head is empty: name the file the "
                              "brand's head is written to", key="classifier.brand_head",
                              path=settings.source)
        head_path = settings.resolve_path(cfg.brand_head)
        model_path = settings.resolve_path(cfg.model_path) if cfg.model_path else None
        return cls(engine=engine, learner=classifier, head_path=head_path, clock=clock,
                   current=current_head(head_path, model_path))

    def labels(self) -> tuple[list[Example], dict[str, int]]:
        """The brand's usable labels, and how many were left out and why."""
        detect = self.detect
        if detect is None:
            from monitor.classify.language import LanguageDetector

            detect = LanguageDetector().detect
        rows: list[Example] = []
        skipped = {OTHER_LANGUAGE: 0, OTHER_LABEL: 0}
        with self.engine.connect() as conn:
            for r in store_labels.export(conn):
                if r.label not in LABELS:
                    skipped[OTHER_LABEL] += 1
                elif detect(r.text) != "en":
                    skipped[OTHER_LANGUAGE] += 1
                else:
                    rows.append(Example(r.text, r.label))
        return rows, {k: v for k, v in skipped.items() if v}

    def run(self, *, min_labels: int = MIN_LABELS, dry_run: bool = False,
            min_new: int | None = None) -> LearnReport:
        """Fit, compare and (unless `dry_run`) switch when better and record the run.
        `min_new` (the scheduled job) waits until that many labels arrived since the last
        recorded run."""
        start = time.perf_counter()
        at = self.clock()
        rows, skipped = self.labels()
        report = LearnReport(at=at, outcome=Outcome.TOO_FEW, labels=len(rows),
                             min_labels=min_labels, head_path=self.head_path,
                             current=self.current, weight=self.weight, skipped=skipped)
        if min_new is not None:
            runs = history(self.head_path)
            new = len(rows) - (int(runs[-1].get("labels", 0)) if runs else 0)
            report = replace(report, new_labels=new)
            # An upgrade that changed the encoder retires the brand's head: learn again now.
            upgraded = bool(runs) and runs[-1].get("encoder") != encoder_id()
            if new < min_new and not upgraded:
                return replace(report, outcome=Outcome.WAITING, min_labels=min_new)
        if len(rows) < max(min_labels, 2):
            return report
        shipped = list(self.shipped())
        key = self._cache_key(shipped)
        vectors = Vectors(self.learner, self._cached(shipped, key))
        try:
            result = compare(vectors, self.learner.head, shipped, rows, weight=self.weight)
        except ValueError:  # too few to hold any back (a tiny --min-labels)
            return report
        self._keep(vectors, shipped, key)
        if dry_run:
            return replace(report, outcome=Outcome.DRY_RUN, comparison=result,
                           seconds=time.perf_counter() - start)
        classifier = None
        if result.better:
            result.head.save(self.head_path, {
                "learned_at": at.isoformat(), "reviewer_labels": len(rows),
                "brand_rows": result.train_rows, "held_back": result.held_rows,
                "shipped_rows": result.shipped_rows, "weight": self.weight,
                "before": result.before.as_dict(), "after": result.after.as_dict(),
                "replaced": self.current, "encoder": encoder_id()})
            classifier = self.learner.with_head(result.head)
        report = replace(report, outcome=Outcome.SWITCHED if result.better else Outcome.KEPT,
                         comparison=result, seconds=time.perf_counter() - start,
                         classifier=classifier)
        self._record(report)
        return report

    # The shipped posts' embeddings, kept beside the head: embedding them is most of a run
    # (5,608 posts: about 40 s on 2 cores), and they change only with the encoder or the posts.

    def _cache_key(self, shipped: Sequence[Example]) -> str:
        digest = hashlib.sha256("\n".join(r.text for r in shipped).encode("utf-8", "replace"))
        return f"{encoder_id()}:{type(self.learner).__qualname__}:{digest.hexdigest()[:16]}"

    def _cached(self, shipped: Sequence[Example], key: str) -> dict[str, FloatArray]:
        path = cache_path(self.head_path)
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["key"]) != key or len(data["emb"]) != len(shipped):
                    return {}
                return dict(zip((r.text for r in shipped), data["emb"], strict=True))
        except (OSError, KeyError, ValueError):  # none yet, or unreadable: embed again
            return {}

    def _keep(self, vectors: Vectors, shipped: Sequence[Example], key: str) -> None:
        path = cache_path(self.head_path)
        if not shipped or self._cached(shipped, key):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as fh:
            np.savez(fh, key=np.array(key), emb=vectors.embeddings([r.text for r in shipped]))
        tmp.replace(path)

    def _record(self, report: LearnReport) -> None:
        path = log_path(self.head_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            entry = {**report.as_dict(), "encoder": encoder_id()}
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
