"""The write path of a poll: new mentions with their classification, draft and review item.

Runs inside the caller's transaction (with the feed's cursor), so a page is stored whole or
not at all. Duplicates are skipped by the UNIQUE(platform, external_id) constraint, even when
two processes race; only rows that were really inserted get a classification and an item:
the mentions INSERT ... ON CONFLICT DO NOTHING RETURNING is what names the rows that are ours.

Values are prepared here once, exactly as SQLAlchemy's column types would bind them (json.dumps
for the JSON columns, naive UTC text for times), and then sent without its per-value
machinery, which cost more than the databases' own work (a page is ~25,000 values):
  - PostgreSQL: the page is ONE jsonb parameter (an array of rows) unpacked by the server, and
    one statement with data-modifying CTEs stores all five tables: one round trip a page.
  - SQLite (no INSERT inside WITH): a multi-row INSERT ... RETURNING for the mentions, then
    plain executemany for the rest, which links drafts and items by mention id in SQL.
Only SQLite and PostgreSQL are supported; this module must not assume anything of the caller
beyond an open transaction, and must not commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Dialect

from monitor.errors import StoreError
from monitor.model import Classification, Draft, Mention, Status
from monitor.store.schema import UTCDateTime, mentions

SYSTEM_ACTOR = "system"


@dataclass(frozen=True, slots=True)
class Processed:
    mention: Mention
    classification: Classification
    draft: Draft | None
    status: Status


# One id per index probe, the ids as one array parameter. Not `= ANY(:ids)` nor an IN list:
# psycopg prepares a statement after a few runs, and the generic plan made while the table
# was small (a first import, before autovacuum has analysed it) filtered every row of the
# platform against every id, ~1 s a page at 20,000 rows. OFFSET 0 keeps the planner from
# turning the LATERAL subquery into a join, whatever the statistics say.
_PG_EXISTING = sa.text("""
SELECT u.external_id
FROM unnest(:ids) AS u(external_id)
CROSS JOIN LATERAL (
    SELECT 1 FROM mentions AS m
    WHERE m.platform = :platform AND m.external_id = u.external_id
    OFFSET 0
) AS found
""").bindparams(sa.bindparam("ids", type_=postgresql.ARRAY(sa.String)),
                sa.bindparam("platform", type_=sa.String))


def existing_ids(conn: Connection, platform: str, external_ids: Iterable[str]) -> set[str]:
    """Which of these external ids are already stored for the platform."""
    ids = list(dict.fromkeys(external_ids))
    if not ids:
        return set()
    if conn.dialect.name == "postgresql":
        return set(conn.execute(_PG_EXISTING, {"platform": platform, "ids": ids}).scalars())
    found: set[str] = set()
    for start in range(0, len(ids), 500):  # stay under every driver's parameter limit
        chunk = ids[start:start + 500]
        found.update(
            conn.execute(
                sa.select(mentions.c.external_id).where(
                    mentions.c.platform == platform, mentions.c.external_id.in_(chunk)
                )
            ).scalars()
        )
    return found


# A page row: every value a new mention needs in the five tables, in this order, with the
# PostgreSQL type it is read as. _row builds it in this order; the PostgreSQL SQL reads the
# columns by name, SQLite's executemany tuples take them by the positions below.
_PAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "integer"),
    # mentions
    ("platform", "varchar"), ("external_id", "varchar"), ("text", "text"),
    ("author", "varchar"), ("author_name", "varchar"), ("author_followers", "integer"),
    ("url", "text"), ("language", "varchar"), ("reply_to_id", "varchar"),
    ("thread_id", "varchar"), ("created_at", "timestamp"), ("raw", "text"),
    # classifications
    ("label", "varchar"), ("topic", "varchar"), ("priority", "float8"), ("neg", "float8"),
    ("neu", "float8"), ("pos", "float8"), ("compound", "float8"), ("reasons", "text"),
    ("classifier", "varchar"), ("confidence", "float8"), ("c_language", "varchar"),
    ("evidence", "text"),
    # drafts (all NULL when there is no draft)
    ("draft_text", "text"), ("template", "varchar"), ("violations", "text"),
    ("draft_note", "text"),
    # review_items (label, topic, priority, confidence, c_language, platform and created_at
    # are shared with above)
    ("status", "varchar"), ("feed", "varchar"),
)
_AT = {name: i for i, (name, _) in enumerate(_PAGE_COLUMNS)}
_MENTION = slice(_AT["platform"], _AT["raw"] + 1)
_CLASSIFICATION = slice(_AT["label"], _AT["evidence"] + 1)
_DRAFT = slice(_AT["draft_text"], _AT["draft_note"] + 1)
_PLATFORM, _EXTERNAL_ID, _CREATED_AT = _AT["platform"], _AT["external_id"], _AT["created_at"]
_LABEL, _TOPIC, _PRIORITY = _AT["label"], _AT["topic"], _AT["priority"]
_DRAFT_TEXT, _STATUS, _FEED = _AT["draft_text"], _AT["status"], _AT["feed"]
_CONFIDENCE, _C_LANGUAGE = _AT["confidence"], _AT["c_language"]

_UTC = UTCDateTime()


def _json_default(value: object) -> object:
    # Mention.raw is frozen (mapping proxies, tuples; tuples already encode as lists). Keys
    # are str()-ed as monitor.model.thaw does, so the stored text is what thaw gave.
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# What SQLAlchemy's JSON type stores for a value: json.dumps with its defaults (None is JSON
# null). One encoder, made once: json.dumps(..., default=...) builds a new one every call.
_json_column = json.JSONEncoder(default=_json_default).encode


@lru_cache(maxsize=1024)
def _json_strings(values: tuple[str, ...]) -> str:
    """Reasons and violations: a few distinct tuples over and over, so encoded once each."""
    return json.dumps(list(values))


def _time(value: datetime, dialect: Dialect) -> str:
    """A time as naive UTC text that both databases read as a timestamp; on SQLite it is
    byte for byte what SQLAlchemy's DateTime stores (YYYY-MM-DD HH:MM:SS.ffffff)."""
    naive = _UTC.process_bind_param(value, dialect)  # refuses naive times, as binding does
    assert naive is not None
    return naive.isoformat(" ", "microseconds")


def _confidence(value: float) -> float | None:
    """A classifier's confidence as stored: in [0, 1] (a float sum a hair over 1 is 1), and
    NULL, not NaN, for a classifier that could not say (neither database's JSON takes NaN)."""
    v = float(value)
    if v != v:
        return None
    return 0.0 if v < 0.0 else 1.0 if v > 1.0 else v


def _row(n: int, p: Processed, dialect: Dialect) -> tuple[Any, ...]:
    m, c, d = p.mention, p.classification, p.draft
    return (
        n,
        m.platform, m.external_id, m.text, m.author, m.author_name, m.author_followers,
        m.url, m.language, m.reply_to_id, m.thread_id, _time(m.created_at, dialect),
        _json_column(m.raw if m.raw else None),
        c.label.value, c.topic, c.priority, c.sentiment.neg, c.sentiment.neu,
        c.sentiment.pos, c.sentiment.compound, _json_strings(tuple(c.reasons)), c.classifier,
        _confidence(c.confidence), (c.language or "")[:16] or None,
        _json_strings(tuple(c.evidence)),
        None if d is None else d.text, None if d is None else d.template,
        None if d is None else _json_strings(tuple(d.violations)),
        None if d is None else d.note,
        p.status.value, m.feed,
    )


def fill_authors(conn: Connection, named: Mapping[tuple[str, str], Mention]) -> int:
    """Give mentions stored under a placeholder author (a network that did not name the
    author then) the author a later post names: `named` maps (platform, placeholder) to that
    post. Returns how many mentions were filled in."""
    filled = 0
    for (platform, stand_in), m in named.items():
        filled += conn.execute(
            sa.update(mentions)
            .where(mentions.c.platform == platform, mentions.c.author == stand_in)
            .values(author=m.author, author_name=m.author_name,
                    author_followers=m.author_followers)
        ).rowcount
    return filled


def store(conn: Connection, feed_id: int, batch: Sequence[Processed], now: datetime) -> int:
    """Insert the batch; returns how many mentions were new."""
    if not batch:
        return 0
    rows: list[tuple[Any, ...]] = []
    seen: set[tuple[str, str]] = set()
    for p in batch:  # the same mention twice in one batch is stored once, the first time
        key = (p.mention.platform, p.mention.external_id)
        if key not in seen:
            seen.add(key)
            rows.append(_row(len(rows), p, conn.dialect))
    if conn.dialect.name == "postgresql":
        # ensure_ascii=False: shorter, and no surrogate pairs for the server to join.
        page = json.dumps(rows, ensure_ascii=False)
        return int(conn.execute(_PG_PAGE, {"feed_id": feed_id, "now": now,
                                           "actor": SYSTEM_ACTOR, "rows": page}).scalar_one())
    if conn.dialect.name == "sqlite":
        return _sqlite_store(conn, feed_id, rows, _time(now, conn.dialect))
    raise StoreError(f"unsupported database {conn.dialect.name!r}: use SQLite or PostgreSQL")


# PostgreSQL: the page (an array of rows, as _PAGE_COLUMNS) is unpacked once into `r`. JSON
# columns arrive as their text and are cast, so they are stored verbatim.
_PG_ROWS = ",\n        ".join(
    f"CAST(e ->> {i} AS {kind}) AS {name}" for i, (name, kind) in enumerate(_PAGE_COLUMNS))
_PG_PAGE = sa.text(f"""
WITH r AS MATERIALIZED (
    SELECT
        {_PG_ROWS}
    FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS e
), m AS (
    INSERT INTO mentions (feed_id, platform, external_id, text, author, author_name,
                          author_followers, url, language, reply_to_id, thread_id,
                          created_at, fetched_at, raw)
    SELECT :feed_id, platform, external_id, text, author, author_name, author_followers, url,
           language, reply_to_id, thread_id, created_at, :now, CAST(raw AS json)
    FROM r ORDER BY n
    ON CONFLICT (platform, external_id) DO NOTHING
    RETURNING id, platform, external_id
), f AS MATERIALIZED (
    -- Draft and item ids are drawn here, in page order, so that no later INSERT has to join
    -- back to find them (guessing one row, the planner chose nested loops for that).
    SELECT m.id AS mention_id, r.*,
           CASE WHEN r.draft_text IS NOT NULL
                THEN nextval(pg_get_serial_sequence('drafts', 'id')) END AS draft_id,
           nextval(pg_get_serial_sequence('review_items', 'id')) AS item_id
    FROM m JOIN r ON r.platform = m.platform AND r.external_id = m.external_id
    ORDER BY r.n
), c AS (
    INSERT INTO classifications (mention_id, label, topic, priority, neg, neu, pos, compound,
                                 reasons, classifier, created_at, confidence, language,
                                 evidence)
    SELECT mention_id, label, topic, priority, neg, neu, pos, compound, CAST(reasons AS json),
           classifier, :now, confidence, c_language, CAST(evidence AS json)
    FROM f ORDER BY n
), d AS (
    INSERT INTO drafts (id, mention_id, text, template, violations, note, created_by,
                        created_at)
    SELECT draft_id, mention_id, draft_text, template, CAST(violations AS json), draft_note,
           :actor, :now
    FROM f WHERE draft_id IS NOT NULL ORDER BY n
), i AS (
    INSERT INTO review_items (id, mention_id, status, label, topic, priority, feed, platform,
                              mention_created_at, draft_id, version, created_at, updated_at,
                              confidence, language)
    SELECT item_id, mention_id, status, label, topic, priority, feed, platform, created_at,
           draft_id, 1, :now, :now, confidence, c_language
    FROM f ORDER BY n
), e AS (
    INSERT INTO review_events (item_id, at, actor, action, from_status, to_status, detail)
    SELECT item_id, :now, :actor, 'queued', NULL, status, CAST('null' AS json)
    FROM f ORDER BY n
)
SELECT count(*) FROM f
""").bindparams(sa.bindparam("now", type_=UTCDateTime()))  # noqa: S608 (_PAGE_COLUMNS only)

# SQLite: mentions go in as multi-row INSERTs of this many rows (14 values each: well under
# SQLite's 32,766 parameters), so that RETURNING can say which rows were inserted.
_SQLITE_CHUNK = 500
_SQLITE_MENTION = """INSERT INTO mentions (feed_id, platform, external_id, text, author,
    author_name, author_followers, url, language, reply_to_id, thread_id, created_at, raw,
    fetched_at) VALUES {values}
ON CONFLICT (platform, external_id) DO NOTHING RETURNING id, platform, external_id"""
_SQLITE_CLASSIFICATION = """INSERT INTO classifications (mention_id, label, topic, priority,
    neg, neu, pos, compound, reasons, classifier, confidence, language, evidence, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_SQLITE_DRAFT = """INSERT INTO drafts (mention_id, text, template, violations, note,
    created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"""
# The mention is new, so the only draft it can have is the one just inserted.
_SQLITE_ITEM = """INSERT INTO review_items (mention_id, status, label, topic, priority, feed,
    platform, mention_created_at, draft_id, version, created_at, updated_at, confidence,
    language)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM drafts WHERE mention_id = ?), 1, ?, ?, ?, ?)"""
_SQLITE_EVENT = """INSERT INTO review_events (item_id, at, actor, action, from_status,
    to_status, detail)
SELECT id, ?, ?, 'queued', NULL, status, 'null' FROM review_items WHERE mention_id = ?"""
_SQLITE_MENTION_ROW = "(" + ", ".join(["?"] * 14) + ")"


def _sqlite_mentions_sql(n: int) -> str:
    return _SQLITE_MENTION.format(values=", ".join([_SQLITE_MENTION_ROW] * n))


def _sqlite_store(conn: Connection, feed_id: int, rows: list[tuple[Any, ...]], now: str) -> int:
    ids: dict[tuple[str, str], int] = {}
    for start in range(0, len(rows), _SQLITE_CHUNK):
        chunk = rows[start:start + _SQLITE_CHUNK]
        params: list[Any] = []
        for row in chunk:
            params.append(feed_id)
            params.extend(row[_MENTION])
            params.append(now)
        result = conn.exec_driver_sql(_sqlite_mentions_sql(len(chunk)), tuple(params))
        ids.update(((platform, external_id), id_) for id_, platform, external_id in result)
    fresh = [(ids[(r[_PLATFORM], r[_EXTERNAL_ID])], r) for r in rows
             if (r[_PLATFORM], r[_EXTERNAL_ID]) in ids]
    if not fresh:
        return 0
    conn.exec_driver_sql(_SQLITE_CLASSIFICATION,
                         [(mid, *r[_CLASSIFICATION], now) for mid, r in fresh])
    drafted = [(mid, *r[_DRAFT], SYSTEM_ACTOR, now) for mid, r in fresh
               if r[_DRAFT_TEXT] is not None]
    if drafted:
        conn.exec_driver_sql(_SQLITE_DRAFT, drafted)
    conn.exec_driver_sql(_SQLITE_ITEM, [
        (mid, r[_STATUS], r[_LABEL], r[_TOPIC], r[_PRIORITY], r[_FEED], r[_PLATFORM],
         r[_CREATED_AT], mid, now, now, r[_CONFIDENCE], r[_C_LANGUAGE]) for mid, r in fresh])
    conn.exec_driver_sql(_SQLITE_EVENT, [(now, SYSTEM_ACTOR, mid) for mid, _ in fresh])
    return len(fresh)
