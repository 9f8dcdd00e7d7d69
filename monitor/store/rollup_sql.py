"""The SQL of the review-item rollups: triggers that write a delta row for every change to a
review item's hour, label, status or decision, on SQLite and on PostgreSQL.

Shared by migration 0008 and the tests; holds statements only, runs nothing on import.
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


def _pg_rows(row: str, sign: int) -> str:
    taken = f"EXTRACT(EPOCH FROM ({row}.decided_at - {row}.mention_created_at))"
    return (
        f"INSERT INTO item_count_deltas (hour, label, status, n) VALUES "
        f"(date_trunc('hour', {row}.mention_created_at), {row}.label, {row}.status, {sign});\n"
        f"    IF {row}.decided_at IS NOT NULL THEN\n"
        f"      INSERT INTO decision_count_deltas (hour, bucket, n) VALUES "
        f"(date_trunc('hour', {row}.decided_at), {_bucket(taken)}, {sign});\n"
        "    END IF;\n"
    )


PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION review_items_count() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF TG_OP = 'UPDATE' AND "
    + " AND ".join(f"OLD.{c} IS NOT DISTINCT FROM NEW.{c}" for c in WATCHED)
    + " THEN\n    RETURN NULL;\n  END IF;\n"
    "  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n    " + _pg_rows("OLD", -1) + "  END IF;\n"
    "  IF TG_OP IN ('UPDATE', 'INSERT') THEN\n    " + _pg_rows("NEW", 1) + "  END IF;\n"
    "  RETURN NULL;\nEND $$"
)
PG_TRIGGERS = (
    PG_FUNCTION,
    "CREATE TRIGGER review_items_count AFTER INSERT OR DELETE OR UPDATE OF "
    + ", ".join(WATCHED) + " ON review_items FOR EACH ROW EXECUTE FUNCTION review_items_count()",
)
PG_DROP = ("DROP TRIGGER IF EXISTS review_items_count ON review_items",
           "DROP FUNCTION IF EXISTS review_items_count()")


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
