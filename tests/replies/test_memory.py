"""Reply memory's index: remembered replies found again by label and language, refreshed from
its source as rows come and go, and the note a draft from memory carries (drafting with it:
test_compose.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.draft.memory import ReplyMemory, provenance
from monitor.model import Label, RememberedReply

WHEN = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)


def remembered(id_: int, post: str, reply: str, label: Label = Label.FIX_REQUEST,
               **extra: object) -> RememberedReply:
    return RememberedReply(id=id_, post=post, reply=reply, label=label, replied_at=WHEN,
                           author="@jo", **extra)  # type: ignore[arg-type]


ROWS = [
    remembered(1, "my order #48213 never arrived, where is it?",
               "@jo Sorry your order #48213 has not turned up. Send us a DM with your address "
               "and we will chase it. ^NK"),
    remembered(2, "the lid of my kettle snapped off after a week",
               "@jo That is not the quality we want for you. Send us a DM with a photo and we "
               "will sort out a replacement. ^NK"),
    remembered(3, "my order #48213 never arrived, where is it?",
               "@jo What a pity, hope it turns up. ^NK", Label.VENTING),
]


class Changing:
    def __init__(self, rows: list[RememberedReply]) -> None:
        self.rows = list(rows)
        self.since_calls: list[int] = []

    def memory_state(self) -> tuple[int, int]:
        return len(self.rows), max((r.id for r in self.rows), default=0)

    def memory_since(self, after_id: int) -> list[RememberedReply]:
        self.since_calls.append(after_id)
        return [r for r in self.rows if r.id > after_id]


def test_the_memory_adds_new_rows_and_reloads_when_one_went() -> None:
    now = [0.0]
    source = Changing(ROWS[:1])
    memory = ReplyMemory(source, threshold=0.5, refresh_seconds=10, clock=lambda: now[0])
    assert [r.entry.id for r in memory.recall("the kettle lid snapped off", Label.FIX_REQUEST)] \
        == []
    source.rows.append(ROWS[1])
    now[0] = 11.0
    assert [r.entry.id for r in memory.recall("my kettle lid snapped off",
                                              Label.FIX_REQUEST)] == [2]
    assert source.since_calls == [0, 1]  # only the new row was read
    source.rows.pop(1)  # forgotten (the item was reopened)
    memory.invalidate()
    assert memory.recall("my kettle lid snapped off", Label.FIX_REQUEST) == []
    assert source.since_calls[-1] == 0 and len(memory) == 1


@pytest.mark.parametrize(("entry", "note"), [
    (remembered(4, "p", "r"), "based on your reply to @jo, 3 Nov"),
    (RememberedReply(5, "p", "r", Label.VENTING, datetime(2025, 1, 9, tzinfo=UTC)),
     "based on your reply to a customer, 9 Jan 2025"),
    (RememberedReply(6, "p", "r", Label.VENTING, WHEN, source="imported"),
     "based on your imported reply #6 (3 Nov)"),
])
def test_the_provenance_note(entry: RememberedReply, note: str) -> None:
    assert provenance(entry, datetime(2026, 11, 24, tzinfo=UTC)) == note
