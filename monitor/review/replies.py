"""The brand's own words, kept for drafting: reply memory (approved and imported replies) and
the answers reviewers saved.

`Replies` (reached as `App.replies`) lists them, imports past post -> reply pairs and deletes
a saved answer, each in one transaction, and calls `on_change` after a change so that this
process's drafter looks again at once. Reading and checking an import file is the CLI's work
(monitor.cli.replies_cmds); remembering a reply when it is approved is
monitor.review.memory's. This module must not classify or draft.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from monitor.config import SavedAnswer
from monitor.model import RememberedReply
from monitor.store import memory as store_memory
from monitor.store.memory import ImportRow

# The store's row type an import is made of, named here so that the CLI takes it from the
# flow layer rather than from the store.
__all__ = ["ImportRow", "Replies"]


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class Replies:
    engine: Engine
    clock: Callable[[], datetime]
    on_change: Callable[[], None] = _nothing

    def recent(self, *, limit: int, label: str | None = None
               ) -> tuple[list[RememberedReply], dict[str, int]]:
        """(the newest `limit` remembered replies, of `label` if given; how many there are
        per label), in one connection."""
        with self.engine.connect() as conn:
            return (store_memory.recent(conn, limit=limit, label=label),
                    store_memory.counts(conn))

    def import_pairs(self, rows: Sequence[ImportRow], *, by: str) -> tuple[int, int]:
        """Add the pairs not imported before; (added, already there)."""
        with self.engine.begin() as conn:
            found = store_memory.import_pairs(conn, rows, by=by, now=self.clock())
        if found[0]:
            self.on_change()
        return found

    def saved_answers(self) -> list[SavedAnswer]:
        """The answers reviewers saved (not those in [replies] answers_file)."""
        with self.engine.connect() as conn:
            return store_memory.answers(conn)

    def forget_answer(self, answer_id: str) -> bool:
        """Delete a saved answer; False when there is none with that id."""
        with self.engine.begin() as conn:
            gone = store_memory.delete_answer(conn, answer_id)
        if gone:
            self.on_change()
        return gone
