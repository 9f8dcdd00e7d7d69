"""Reply memory and reviewers' saved answers in the database (tables reply_memory and
saved_answers, migration 0006).

Plain functions on a caller's connection (remember, forget, import, list), plus
`StoredReplies`, which reads both tables for the drafter (monitor.draft.compose): the
cheap `state` queries let it reload only when something changed. Nothing here drafts,
classifies or matches; callers pass plain values in and get plain values back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from monitor.config import SAVED_ANSWER_PREFIX, SavedAnswer
from monitor.model import Label, RememberedReply
from monitor.store.schema import reply_memory, saved_answers

APPROVED = "approved"
IMPORTED = "imported"


def _short(value: str | None, size: int) -> str | None:
    return None if value is None else value[:size]


def digest(post: str, reply: str, label: str) -> str:
    """What makes an imported pair the same pair (so a second import adds nothing)."""
    key = "\x1f".join((label, " ".join(post.split()), " ".join(reply.split())))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def remember(conn: Connection, *, item_id: int, post: str, reply: str, label: str,
             language: str | None, author: str | None, author_name: str | None,
             platform: str | None, replied_at: datetime, by: str, now: datetime) -> int:
    """Remember an item's approved reply, replacing what the item had remembered."""
    conn.execute(sa.delete(reply_memory).where(reply_memory.c.item_id == item_id))
    return int(conn.execute(
        sa.insert(reply_memory).returning(reply_memory.c.id),
        {"item_id": item_id, "post": post, "reply": reply, "label": label,
         "language": _short(language, 16), "author": _short(author, 255),
         "author_name": _short(author_name, 255), "platform": _short(platform, 32),
         "replied_at": replied_at, "source": APPROVED, "digest": None,
         "created_by": by[:64], "created_at": now},
    ).scalar_one())


def forget(conn: Connection, item_id: int) -> bool:
    """Forget an item's reply (it was reopened); whether there was one."""
    result = conn.execute(sa.delete(reply_memory).where(reply_memory.c.item_id == item_id))
    return bool(result.rowcount)


def remembered_item(conn: Connection, item_id: int) -> str | None:
    """The reply remembered for an item, if any."""
    return conn.execute(sa.select(reply_memory.c.reply)
                        .where(reply_memory.c.item_id == item_id)).scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One past post -> reply pair to import (`line` is where the file had it)."""

    line: int
    post: str
    reply: str
    label: str
    language: str | None = None
    author: str | None = None
    replied_at: datetime | None = None


def import_pairs(conn: Connection, rows: Sequence[ImportRow], *, by: str, now: datetime,
                 ) -> tuple[int, int]:
    """Add pairs not imported before; (added, already there)."""
    digests = [digest(r.post, r.reply, r.label) for r in rows]
    known: set[str] = set()
    for start in range(0, len(digests), 500):
        chunk = digests[start:start + 500]
        known.update(conn.execute(sa.select(reply_memory.c.digest)
                                  .where(reply_memory.c.digest.in_(chunk))).scalars())
    values: list[dict[str, Any]] = []
    for row, key in zip(rows, digests, strict=True):
        if key in known:
            continue
        known.add(key)
        values.append({
            "item_id": None, "post": row.post, "reply": row.reply, "label": row.label,
            "language": _short(row.language, 16), "author": _short(row.author, 255),
            "author_name": None, "platform": None, "replied_at": row.replied_at or now,
            "source": IMPORTED, "digest": key, "created_by": by[:64], "created_at": now,
        })
    for start in range(0, len(values), 1000):
        conn.execute(sa.insert(reply_memory), values[start:start + 1000])
    return len(values), len(rows) - len(values)


def _remembered(r: Any) -> RememberedReply:
    try:
        label = Label(r.label)
    except ValueError:
        label = Label.NEUTRAL
    return RememberedReply(
        id=int(r.id), post=r.post, reply=r.reply, label=label, replied_at=r.replied_at,
        author=r.author, author_name=r.author_name, language=r.language, source=r.source,
    )


def state(conn: Connection) -> tuple[int, int]:
    """(rows, highest id) of the reply memory: changes whenever a row comes or goes."""
    row = conn.execute(sa.select(sa.func.count(), sa.func.max(reply_memory.c.id))).one()
    return int(row[0]), int(row[1] or 0)


def since(conn: Connection, after_id: int = 0) -> list[RememberedReply]:
    """Every remembered reply with an id above `after_id`, oldest first."""
    rows = conn.execute(sa.select(reply_memory).where(reply_memory.c.id > after_id)
                        .order_by(reply_memory.c.id))
    return [_remembered(r) for r in rows]


def get(conn: Connection, memory_id: int) -> RememberedReply | None:
    row = conn.execute(sa.select(reply_memory).where(reply_memory.c.id == memory_id)).first()
    return None if row is None else _remembered(row)


def recent(conn: Connection, *, limit: int = 50, label: str | None = None,
           ) -> list[RememberedReply]:
    """The newest remembered replies first."""
    query = sa.select(reply_memory).order_by(reply_memory.c.id.desc()).limit(limit)
    if label:
        query = query.where(reply_memory.c.label == label)
    return [_remembered(r) for r in conn.execute(query)]


def counts(conn: Connection) -> dict[str, int]:
    """How many replies are remembered, by label."""
    rows = conn.execute(sa.select(reply_memory.c.label, sa.func.count())
                        .group_by(reply_memory.c.label))
    return {str(r[0]): int(r[1]) for r in rows}


# --- saved answers --------------------------------------------------------------------------


def add_answer(conn: Connection, answer: SavedAnswer, *, item_id: int | None, by: str,
               now: datetime) -> str:
    """Store a reviewer's saved answer (its own `id` is ignored); returns its id."""
    new_id = conn.execute(
        sa.insert(saved_answers).returning(saved_answers.c.id),
        {"text": answer.text, "examples": list(answer.examples),
         "keywords": list(answer.keywords), "link": answer.link,
         "language": answer.language[:16], "item_id": item_id, "created_by": by[:64],
         "created_at": now},
    ).scalar_one()
    return f"{SAVED_ANSWER_PREFIX}{new_id}"


def delete_answer(conn: Connection, answer_id: str) -> bool:
    number = answer_id.removeprefix(SAVED_ANSWER_PREFIX)
    if not number.isdigit():
        return False
    result = conn.execute(sa.delete(saved_answers).where(saved_answers.c.id == int(number)))
    return bool(result.rowcount)


def answers(conn: Connection) -> list[SavedAnswer]:
    rows = conn.execute(sa.select(saved_answers).order_by(saved_answers.c.id))
    return [SavedAnswer(
        id=f"{SAVED_ANSWER_PREFIX}{r.id}", text=r.text, examples=tuple(r.examples or ()),
        keywords=tuple(r.keywords or ()), link=r.link, language=r.language or "en",
        source=f"saved by {r.created_by} from item {r.item_id}" if r.item_id
        else f"saved by {r.created_by}",
    ) for r in rows]


def answers_state(conn: Connection) -> tuple[int, int]:
    row = conn.execute(sa.select(sa.func.count(), sa.func.max(saved_answers.c.id))).one()
    return int(row[0]), int(row[1] or 0)


@dataclass
class StoredReplies:
    """The reply memory and saved answers as the drafter reads them: each call one short
    read on its own connection."""

    engine: Engine

    def memory_state(self) -> tuple[int, int]:
        with self.engine.connect() as conn:
            return state(conn)

    def memory_since(self, after_id: int) -> list[RememberedReply]:
        with self.engine.connect() as conn:
            return since(conn, after_id)

    def answers_state(self) -> tuple[int, int]:
        with self.engine.connect() as conn:
            return answers_state(conn)

    def saved_answers(self) -> list[SavedAnswer]:
        with self.engine.connect() as conn:
            return answers(conn)

