"""Reply memory for drafting: the brand's own past replies, found again for similar posts.

`ReplyMemory` keeps an index (monitor.draft.similar) of remembered posts per label and
language, filled from a `MemorySource` (the database in the app, a list in the bench). It
looks at the source at most every `refresh_seconds` (or at once after `invalidate`), with a
cheap (rows, highest id) state query, and reloads only what changed: new rows are added, and
a row gone (a reply forgotten or replaced) makes it load everything again.

`recall` returns the most similar remembered replies with the same label above the
threshold, each re-filled for the new post (monitor.draft.refill); the drafter then checks
them like any draft. No database access of its own, no global state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from monitor.draft.similar import TextIndex, TfidfIndex
from monitor.model import Label, RememberedReply

REFRESH_SECONDS = 10.0
SEARCH_LIMIT = 5


class MemorySource(Protocol):
    def memory_state(self) -> tuple[int, int]: ...

    def memory_since(self, after_id: int) -> list[RememberedReply]: ...


@dataclass
class ListSource:
    """A fixed list of remembered replies (the bench, tests, previews)."""

    rows: Sequence[RememberedReply]

    def memory_state(self) -> tuple[int, int]:
        return len(self.rows), max((r.id for r in self.rows), default=0)

    def memory_since(self, after_id: int) -> list[RememberedReply]:
        return [r for r in self.rows if r.id > after_id]


def language_group(language: str | None) -> str:
    """Posts of unknown language are matched with English ones (short posts often are)."""
    lang = (language or "").strip().lower()
    return "en" if lang in ("", "und", "en") else lang


@dataclass(frozen=True, slots=True)
class Recollection:
    entry: RememberedReply
    score: float


def provenance(entry: RememberedReply, now: datetime | None = None) -> str:
    """The item's note for a draft based on `entry`: "based on your reply to @jo, 3 Nov"."""
    when = entry.replied_at
    day = f"{when.day} {when:%b}"
    if now is None or now.year != when.year:
        day += f" {when.year}"
    who = entry.author.strip() if entry.author and entry.author.strip() else None
    if entry.source == "imported":
        return (f"based on your imported reply to {who}, {day}" if who
                else f"based on your imported reply #{entry.id} ({day})")
    return f"based on your reply to {who or 'a customer'}, {day}"


class ReplyMemory:
    def __init__(self, source: MemorySource, *, threshold: float,
                 refresh_seconds: float = REFRESH_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 index: Callable[[], TextIndex[int]] = TfidfIndex) -> None:
        self.source = source
        self.threshold = threshold
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._new_index = index
        self._lock = threading.Lock()
        self._indexes: dict[tuple[Label, str], TextIndex[int]] = {}
        self._entries: dict[int, RememberedReply] = {}
        self._state = (0, 0)
        self._checked: float | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def invalidate(self) -> None:
        """Look at the source again before the next recall (this process changed it)."""
        self._checked = None

    def _add(self, rows: Iterable[RememberedReply]) -> None:
        for row in rows:
            key = (row.label, language_group(row.language))
            index = self._indexes.get(key)
            if index is None:
                index = self._indexes[key] = self._new_index()
            index.add(row.id, row.post)
            self._entries[row.id] = row

    def refresh(self, *, force: bool = False) -> None:
        now = self._clock()
        with self._lock:
            if (not force and self._checked is not None
                    and now - self._checked < self.refresh_seconds):
                return
            self._checked = now
            count, top = self.source.memory_state()
            if (count, top) == self._state:
                return
            known_top = self._state[1]
            fresh = self.source.memory_since(known_top) if top > known_top else []
            if count == len(self._entries) + len(fresh):
                self._add(fresh)
            else:  # something was forgotten or replaced: start again
                self._indexes = {}
                self._entries = {}
                self._add(self.source.memory_since(0))
            self._state = (count, top)

    def recall(self, text: str, label: Label, language: str | None = None,
               ) -> list[Recollection]:
        """Remembered replies to posts like `text` with the same label (and language), best
        first, those at or above the threshold only."""
        self.refresh()
        index = self._indexes.get((label, language_group(language)))
        if index is None:
            return []
        folded = " ".join(text.split())
        out: list[Recollection] = []
        for match in index.search(text, limit=SEARCH_LIMIT):
            if match.score < self.threshold:
                break
            entry = self._entries.get(match.key)
            # A post's own remembered reply (a reopened item drafted again) is not a memory.
            if entry is None or " ".join(entry.post.split()) == folded:
                continue
            out.append(Recollection(entry, match.score))
        return out
