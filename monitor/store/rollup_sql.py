"""The SQL of the review-item rollups: triggers that write a delta row for every change to a
review item's hour, label, status or decision, on SQLite and on PostgreSQL.

Shared by migration 0010 and the tests; holds statements only, runs nothing on import.
Deltas are appended, never updated in place, so concurrent writers (several daemons) never
wait on or deadlock over a counter row; monitor.store.rollup folds them into the counts.
"""

from __future__ import annotations

# Decisions are counted by the time from mention to decision, in these buckets (upper
# bounds in seconds, the last open-ended); /stats shows the same ones.
DECISION_BOUNDS: tuple[float | None, ...] = (900, 3600, 4 * 3600, 86400, 3 * 86400, None)


def _bucket(seconds: str) -> str:
    whens = " ".join(f"WHEN {seconds} < {b:g} THEN {i}"
                     for i, b in enumerate(DECISION_BOUNDS) if b is not None)
    return f"CASE {whens} ELSE {len(DECISION_BOUNDS) - 1} END"


def sqlite_hour(col: str) -> str:
    return f"strftime('%Y-%m-%d %H:00:00.000000', {col})"


def _sqlite_rows(row: str, sign: int) -> str:
    taken = f"((julianday({row}.decided_at) - julianday({row}.mention_created_at)) * 86400.0)"
    return (
        f"INSERT INTO item_count_deltas (hour, label, status, n) VALUES "
        f"({sqlite_hour(f'{row}.mention_created_at')}, {row}.label, {row}.status, {sign});\n"
        f"  INSERT INTO decision_count_deltas (hour, bucket, n) SELECT "
        f"{sqlite_hour(f'{row}.decided_at')}, {_bucket(taken)}, {sign} "
        f"WHERE {row}.decided_at IS NOT NULL;\n"
    )


WATCHED = ("status", "label", "mention_created_at", "decided_at")

SQLITE_TRIGGERS = (
    "CREATE TRIGGER review_items_count_insert AFTER INSERT ON review_items BEGIN\n  "
    + _sqlite_rows("NEW", 1) + "END",
    "CREATE TRIGGER review_items_count_delete AFTER DELETE ON review_items BEGIN\n  "
    + _sqlite_rows("OLD", -1) + "END",
    f"CREATE TRIGGER review_items_count_update AFTER UPDATE OF {', '.join(WATCHED)} "
    "ON review_items WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    + " BEGIN\n  " + _sqlite_rows("OLD", -1) + "  " + _sqlite_rows("NEW", 1) + "END",
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS review_items_count_insert",
               "DROP TRIGGER IF EXISTS review_items_count_delete",
               "DROP TRIGGER IF EXISTS review_items_count_update")


def _pg_taken(alias: str) -> str:
    return f"EXTRACT(EPOCH FROM ({alias}.decided_at - {alias}.mention_created_at))"


def _pg_insert_deltas(table: str, sign: int) -> str:
    """Deltas for every row of a transition table, grouped: one INSERT per statement."""
    return (
        "INSERT INTO item_count_deltas (hour, label, status, n) SELECT "
        f"date_trunc('hour', t.mention_created_at), t.label, t.status, {sign} * count(*) "
        f"FROM {table} AS t GROUP BY 1, 2, 3;\n"
        "  INSERT INTO decision_count_deltas (hour, bucket, n) SELECT "
        f"date_trunc('hour', t.decided_at), {_bucket(_pg_taken('t'))}, {sign} * count(*) "
        f"FROM {table} AS t WHERE t.decided_at IS NOT NULL GROUP BY 1, 2;\n"
    )


_PG_UPDATE = (
    "INSERT INTO item_count_deltas (hour, label, status, n) SELECT h, l, s, sum(n) FROM (\n"
    "    SELECT date_trunc('hour', o.mention_created_at) AS h, o.label AS l, o.status AS s, "
    "-1 AS n FROM old_rows AS o JOIN new_rows AS w ON w.id = o.id\n"
    "    WHERE (o.status, o.label, o.mention_created_at) IS DISTINCT FROM "
    "(w.status, w.label, w.mention_created_at)\n"
    "    UNION ALL SELECT date_trunc('hour', w.mention_created_at), w.label, w.status, 1 "
    "FROM old_rows AS o JOIN new_rows AS w ON w.id = o.id\n"
    "    WHERE (o.status, o.label, o.mention_created_at) IS DISTINCT FROM "
    "(w.status, w.label, w.mention_created_at)\n"
    "  ) AS x GROUP BY h, l, s HAVING sum(n) <> 0;\n"
    "  INSERT INTO decision_count_deltas (hour, bucket, n) SELECT h, b, sum(n) FROM (\n"
    f"    SELECT date_trunc('hour', o.decided_at) AS h, {_bucket(_pg_taken('o'))} AS b, "
    "-1 AS n FROM old_rows AS o JOIN new_rows AS w ON w.id = o.id\n"
    "    WHERE o.decided_at IS NOT NULL AND (o.decided_at, o.mention_created_at) IS DISTINCT "
    "FROM (w.decided_at, w.mention_created_at)\n"
    f"    UNION ALL SELECT date_trunc('hour', w.decided_at), {_bucket(_pg_taken('w'))}, 1 "
    "FROM old_rows AS o JOIN new_rows AS w ON w.id = o.id\n"
    "    WHERE w.decided_at IS NOT NULL AND (o.decided_at, o.mention_created_at) IS DISTINCT "
    "FROM (w.decided_at, w.mention_created_at)\n"
    "  ) AS x GROUP BY h, b HAVING sum(n) <> 0;\n"
)


def _pg_function(name: str, body: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  {body}  RETURN NULL;\nEND $$")


# Statement-level triggers with transition tables: a page of 500 new items costs one grouped
# INSERT per table, not 500 trigger calls (ingest stores a page in one statement).
PG_TRIGGERS = (
    _pg_function("review_items_count_insert", _pg_insert_deltas("new_rows", 1)),
    _pg_function("review_items_count_delete", _pg_insert_deltas("old_rows", -1)),
    _pg_function("review_items_count_update", _PG_UPDATE),
    "CREATE TRIGGER review_items_count_insert AFTER INSERT ON review_items REFERENCING NEW "
    "TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_items_count_insert()",
    "CREATE TRIGGER review_items_count_delete AFTER DELETE ON review_items REFERENCING OLD "
    "TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION review_items_count_delete()",
    "CREATE TRIGGER review_items_count_update AFTER UPDATE ON review_items REFERENCING OLD "
    "TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
    "review_items_count_update()",
)
PG_DROP = tuple(
    f"DROP TRIGGER IF EXISTS review_items_count_{op} ON review_items"
    for op in ("insert", "delete", "update")
) + tuple(f"DROP FUNCTION IF EXISTS review_items_count_{op}()"
          for op in ("insert", "delete", "update"))


def day_of(dialect: str, col: str) -> str:
    """The start of the day (as stored) of an hour column."""
    if dialect == "sqlite":
        return f"(substr({col}, 1, 10) || ' 00:00:00.000000')"
    return f"date_trunc('day', {col})"


def backfill(dialect: str) -> tuple[str, ...]:
    """Statements that count the items already there into the (empty) count tables."""
    if dialect == "sqlite":
        hour, dhour = sqlite_hour("mention_created_at"), sqlite_hour("decided_at")
        taken = "((julianday(decided_at) - julianday(mention_created_at)) * 86400.0)"
    else:
        hour, dhour = "date_trunc('hour', mention_created_at)", "date_trunc('hour', decided_at)"
        taken = "EXTRACT(EPOCH FROM (decided_at - mention_created_at))"
    return (
        f"INSERT INTO item_counts (hour, label, status, n) SELECT {hour}, label, status, "
        f"count(*) FROM review_items GROUP BY {hour}, label, status",
        f"INSERT INTO decision_counts (hour, bucket, n) SELECT h, b, count(*) FROM (SELECT "
        f"{dhour} AS h, {_bucket(taken)} AS b FROM review_items WHERE decided_at IS NOT NULL) "
        "AS d GROUP BY h, b",
        f"INSERT INTO item_counts_daily (day, label, status, n) SELECT {day_of(dialect, 'hour')}, "
        f"label, status, sum(n) FROM item_counts GROUP BY {day_of(dialect, 'hour')}, label, "
        "status",
        f"INSERT INTO decision_counts_daily (day, bucket, n) SELECT {day_of(dialect, 'hour')}, "
        f"bucket, sum(n) FROM decision_counts GROUP BY {day_of(dialect, 'hour')}, bucket",
    )
