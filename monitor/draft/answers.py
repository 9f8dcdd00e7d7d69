"""Saved answers: the brand's own answers to questions it gets again and again, matched to a
`question` post by similarity (monitor.draft.similar) and by keywords.

A match's score is a probabilistic "or" of two signals: the best cosine between the post and
one of the answer's example questions, and its keywords (each keyword found in the post, as
whole words, is worth half the remaining distance: one keyword 0.5, two 0.75). So one keyword
alone reaches the default threshold of 0.5, and a similar wording with a keyword goes well
past it. Only answers in the post's language are considered.

Pure matching: the answers come in as values (monitor.config.SavedAnswer, from the brand's
file and from the database); this module reads no files and keeps no state beyond its index.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from monitor.config import SavedAnswer
from monitor.draft.similar import TextIndex, TfidfIndex, words

KEYWORD_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class AnswerMatch:
    answer: SavedAnswer
    score: float
    why: str  # "like 'Do you ship to the UK?'" or "keyword 'uk plug'"


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    parts = [re.escape(w) for w in words(keyword)]
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)") if parts else re.compile("$^")


def body(answer: SavedAnswer) -> str:
    """The answer as a reply body: its text, then its link unless the text has it already."""
    if answer.link and answer.link not in answer.text:
        return f"{answer.text} {answer.link}"
    return answer.text


class AnswerBook:
    """Saved answers indexed for matching. Build a new book when the answers change."""

    def __init__(self, answers: Sequence[SavedAnswer], *,
                 index: Callable[[], TextIndex[tuple[int, int]]] = TfidfIndex) -> None:
        self.answers = tuple(answers)
        self._index = index()
        self._keywords: list[list[tuple[str, re.Pattern[str]]]] = []
        for i, answer in enumerate(self.answers):
            for j, example in enumerate(answer.examples):
                self._index.add((i, j), example)
            self._keywords.append([(k, _keyword_pattern(k)) for k in answer.keywords])

    def __len__(self) -> int:
        return len(self.answers)

    def match(self, text: str, language: str = "en") -> AnswerMatch | None:
        """The best-scoring answer in `language` for the post `text`, or None."""
        if not self.answers:
            return None
        folded = " ".join(words(text))
        best_cos: dict[int, tuple[float, int]] = {}
        for m in self._index.search(text, limit=20):
            i, j = m.key
            if m.score > best_cos.get(i, (0.0, -1))[0]:
                best_cos[i] = (m.score, j)
        best: AnswerMatch | None = None
        for i, answer in enumerate(self.answers):
            if answer.language != (language or "en") and not (
                    language in ("und", "") and answer.language == "en"):
                continue
            cos, j = best_cos.get(i, (0.0, -1))
            hits = [k for k, pattern in self._keywords[i] if pattern.search(folded)]
            keyword_score = 1.0 - (1.0 - KEYWORD_WEIGHT) ** len(hits)
            score = 1.0 - (1.0 - cos) * (1.0 - keyword_score)
            if score <= 0.0 or (best is not None and score <= best.score):
                continue
            reasons = []
            if j >= 0 and cos >= 0.2:
                reasons.append(f"like {answer.examples[j][:60]!r}")
            if hits:
                reasons.append("keyword " + ", ".join(repr(k) for k in hits[:3]))
            best = AnswerMatch(answer, round(score, 3), " and ".join(reasons) or "similar")
        return best


class AnswerSource(Protocol):
    """Where answers saved from the review app come from (the database, in the app)."""

    def answers_state(self) -> tuple[int, int]: ...

    def saved_answers(self) -> list[SavedAnswer]: ...


class AnswerShelf:
    """The brand's file answers plus those saved in review, as one current AnswerBook: the
    source is looked at every `refresh_seconds` at most (or at once after `invalidate`), and
    the book is rebuilt only when its (count, highest id) changed."""

    def __init__(self, fixed: Sequence[SavedAnswer], source: AnswerSource | None = None, *,
                 refresh_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.fixed = tuple(fixed)
        self.source = source
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._book = AnswerBook(self.fixed)
        self._state: tuple[int, int] | None = None
        self._checked: float | None = None

    def invalidate(self) -> None:
        self._checked = None

    def match(self, text: str, language: str = "en") -> AnswerMatch | None:
        with self._lock:
            self._refresh()
            return self._book.match(text, language)

    def _refresh(self) -> None:
        if self.source is None:
            return
        now = self._clock()
        if self._checked is not None and now - self._checked < self.refresh_seconds:
            return
        self._checked = now
        state = self.source.answers_state()
        if state != self._state:
            self._book = AnswerBook(self.fixed + tuple(self.source.saved_answers()))
            self._state = state
