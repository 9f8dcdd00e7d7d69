"""The tables. Every change here needs an Alembic revision in migrations/versions.

Times are stored as naive UTC and read back timezone-aware (UTCDateTime), so SQLite and
PostgreSQL behave the same.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in the database."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed: datetime = (
            datetime.fromisoformat(value) if isinstance(value, str)  # SQLite, raw expressions
            else value
        )
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("cursor", sa.JSON, nullable=True),
    sa.Column("last_poll_at", UTCDateTime, nullable=True),
    sa.Column("last_success_at", UTCDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("last_error_at", UTCDateTime, nullable=True),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("retry_at", UTCDateTime, nullable=True),
    sa.Column("next_poll_at", UTCDateTime, nullable=True),
    sa.Column("last_summary", sa.JSON, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # Paused by an operator (CLI or web). The last pause and the last resume both stay on
    # record with who and when (and why), so `feeds list` can say why a feed is quiet.
    sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("paused_at", UTCDateTime, nullable=True),
    sa.Column("paused_by", sa.String(64), nullable=True),
    sa.Column("pause_reason", sa.Text, nullable=True),
    sa.Column("resumed_at", UTCDateTime, nullable=True),
    sa.Column("resumed_by", sa.String(64), nullable=True),
    # The daemon polling this feed (migration 0009): its name, until when its lease runs
    # (renewed by its heartbeat) and since when it holds the feed. NULL: nobody holds it.
    sa.Column("lease_owner", sa.String(128), nullable=True),
    sa.Column("lease_until", UTCDateTime, nullable=True),
    sa.Column("held_since", UTCDateTime, nullable=True),
)

# One row per running `run` daemon (migration 0009): a daemon whose heartbeat is older than
# the lease is dead, and its feeds go to the others. A clean stop deletes its row.
daemons = sa.Table(
    "daemons",
    metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("heartbeat_at", UTCDateTime, nullable=False),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("feed_id", sa.ForeignKey("feeds.id"), nullable=False, index=True),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("external_id", sa.String(255), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.String(255), nullable=False),
    sa.Column("author_name", sa.String(255), nullable=True),
    sa.Column("author_followers", sa.Integer, nullable=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("reply_to_id", sa.String(255), nullable=True),
    sa.Column("thread_id", sa.String(255), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.Column("raw", sa.JSON, nullable=True),
    sa.UniqueConstraint("platform", "external_id", name="uq_mentions_platform_external_id"),
)

classifications = sa.Table(
    "classifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("mention_id", sa.ForeignKey("mentions.id"), nullable=False, unique=True),
    sa.Column("label", sa.String(16), nullable=False),
    sa.Column("topic", sa.String(32), nullable=False),
    sa.Column("priority", sa.Float, nullable=False),
    sa.Column("neg", sa.Float, nullable=False),
    sa.Column("neu", sa.Float, nullable=False),
    sa.Column("pos", sa.Float, nullable=False),
    sa.Column("compound", sa.Float, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("classifier", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # The classifier's probability for `label`, in [0, 1], and the language it read the
    # post in (ISO 639-1, "und" unknown); NULL for rows stored before migration 0005.
    sa.Column("confidence", sa.Float, nullable=True),
    sa.Column("language", sa.String(16), nullable=True),
    # The post's words that name `topic` (Classification.evidence), so that a reply drafted
    # again names the topic as the first one did; NULL for rows before migration 0013.
    sa.Column("evidence", sa.JSON, nullable=True),
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("mention_id", sa.ForeignKey("mentions.id"), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("template", sa.String(128), nullable=False),
    sa.Column("violations", sa.JSON, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # Where a draft not written from a template came from ("based on your reply to @jo,
    # 3 Nov", a saved answer, the writer model), or why the writer's answer was refused
    # (migration 0006; NULL for template drafts and older rows).
    sa.Column("note", sa.Text, nullable=True),
)

review_items = sa.Table(
    "review_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("mention_id", sa.ForeignKey("mentions.id"), nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    # Copied from the classification and mention so the queue page reads one table.
    sa.Column("label", sa.String(16), nullable=False),
    sa.Column("topic", sa.String(32), nullable=False),
    sa.Column("priority", sa.Float, nullable=False),
    sa.Column("feed", sa.String(64), nullable=False),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("mention_created_at", UTCDateTime, nullable=False),
    sa.Column("draft_id", sa.ForeignKey("drafts.id"), nullable=True),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("decided_by", sa.String(64), nullable=True),
    sa.Column("decided_at", UTCDateTime, nullable=True),
    sa.Column("reject_reason", sa.Text, nullable=True),
    sa.Column("published_ref", sa.Text, nullable=True),
    # Copied from the classification too (migration 0005; NULL before it). A reviewer's
    # relabel sets confidence 1.0: the label is then theirs, not a guess.
    sa.Column("confidence", sa.Float, nullable=True),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Index("ix_review_items_queue", "status", sa.desc("priority"), "mention_created_at", "id"),
    sa.Index("ix_review_items_label", "label", "status"),
    sa.Index("ix_review_items_feed", "feed", "status"),
    sa.Index("ix_review_items_order", sa.desc("priority"), "mention_created_at", "id"),
    # With the status, so /stats counts pending items in a time range from the index alone.
    sa.Index("ix_review_items_mention_created_status", "mention_created_at", "status"),
    sa.Index("ix_review_items_decided_at", "decided_at"),
)

review_events = sa.Table(
    "review_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.ForeignKey("review_items.id"), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("from_status", sa.String(16), nullable=True),
    sa.Column("to_status", sa.String(16), nullable=True),
    sa.Column("detail", sa.JSON, nullable=True),
)

# One row per review item that publishing has touched: who holds the lease (so two daemons
# never send the same item), the draft whose send may have reached the network (`in_flight_*`,
# written before the request and cleared once the outcome is known: while it is set, the
# network must be asked for the reply before anything is sent again), and the reply it got.
publish_attempts = sa.Table(
    "publish_attempts",
    metadata,
    sa.Column("item_id", sa.ForeignKey("review_items.id"), primary_key=True),
    sa.Column("lease_owner", sa.String(128), nullable=True),
    sa.Column("lease_until", UTCDateTime, nullable=True),
    sa.Column("retry_at", UTCDateTime, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("in_flight_draft_id", sa.Integer, nullable=True),
    sa.Column("in_flight_key", sa.String(128), nullable=True),
    sa.Column("in_flight_at", UTCDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("reply_id", sa.String(255), nullable=True),
    sa.Column("reply_url", sa.Text, nullable=True),
    sa.Column("published_draft_id", sa.Integer, nullable=True),
    sa.Column("published_at", UTCDateTime, nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

feed_problems = sa.Table(
    "feed_problems",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("feed_id", sa.ForeignKey("feeds.id"), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("where", sa.String(255), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", UTCDateTime, nullable=True),
    sa.Column("last_login_at", UTCDateTime, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # Raised on sign-out, password change and disabling; a session cookie holding an older
    # value signs nobody in (migration 0007).
    sa.Column("session_generation", sa.Integer, nullable=False, server_default="0"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("token_hash", sa.String(128), nullable=False, unique=True),
    sa.Column("label", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used_at", UTCDateTime, nullable=True),
    sa.Column("expires_at", UTCDateTime, nullable=True),  # NULL: never (migration 0007)
)

# Failed sign-ins over the throttle's window, by client address and by typed username, so that
# every web process on one database counts them together (migration 0012). `key` is a SHA-256
# of the address or name: what someone typed as a username is not kept in clear.
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Index("ix_login_failures_scope_key_at", "scope", "key", "at"),
)

runtime_settings = sa.Table(
    "runtime_settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Reply memory (migration 0006): every reply a reviewer approved, with the post it answered
# and the item's label then, so that a similar post later can be drafted from it; and pairs a
# brand imported from its past (`replies import`; item_id NULL, digest set so that importing
# a file twice adds nothing). An approved item has at most one row: re-approving replaces it,
# reopening removes it.
reply_memory = sa.Table(
    "reply_memory",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.ForeignKey("review_items.id"), nullable=True, unique=True),
    sa.Column("post", sa.Text, nullable=False),
    sa.Column("reply", sa.Text, nullable=False),
    sa.Column("label", sa.String(16), nullable=False),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("author", sa.String(255), nullable=True),
    sa.Column("author_name", sa.String(255), nullable=True),
    sa.Column("platform", sa.String(32), nullable=True),
    sa.Column("replied_at", UTCDateTime, nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("digest", sa.String(64), nullable=True, index=True),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

# Saved answers a reviewer made from an approved reply (the item page's "save as answer"),
# used beside the brand's [replies] answers_file; their ids are "saved-<id>".
saved_answers = sa.Table(
    "saved_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("examples", sa.JSON, nullable=False),
    sa.Column("keywords", sa.JSON, nullable=False),
    sa.Column("link", sa.Text, nullable=True),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("item_id", sa.ForeignKey("review_items.id"), nullable=True, index=True),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

# Incidents (migration 0008): a widespread problem, suggested by detection or confirmed by a
# manager. `terms` are the distinctive words the surge shared; `summary` and `status_url` are
# the manager's words on confirming; who moved it along and when is in incident_events.
incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("topic", sa.String(32), nullable=False),
    sa.Column("terms", sa.JSON, nullable=False),
    sa.Column("networks", sa.JSON, nullable=False),
    sa.Column("examples", sa.JSON, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    # Authors per window at detection, and the usual (baseline) number per window then.
    sa.Column("rate", sa.Float, nullable=False),
    sa.Column("baseline", sa.Float, nullable=False),
    sa.Column("summary", sa.Text, nullable=True),
    sa.Column("status_url", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

incident_mentions = sa.Table(
    "incident_mentions",
    metadata,
    sa.Column("incident_id", sa.ForeignKey("incidents.id"), primary_key=True),
    sa.Column("mention_id", sa.ForeignKey("mentions.id"), primary_key=True, index=True),
    sa.Column("added_at", UTCDateTime, nullable=False),
)

incident_events = sa.Table(
    "incident_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("incident_id", sa.ForeignKey("incidents.id"), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.JSON, nullable=True),
)

# One row per alert event sent (or tried), so each is sent once however often it is seen.
alerts_sent = sa.Table(
    "alerts_sent",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
)

# Rollups of review_items (migration 0010), kept by triggers there (monitor.store.rollup_sql):
# items per hour of their mention, label and status; decisions per hour of the decision and
# bucket of time taken (rollup_sql.DECISION_BOUNDS). Triggers append deltas (+1 / -1) and
# monitor.store.rollup folds them into the counts; a read adds both.
item_counts = sa.Table(
    "item_counts",
    metadata,
    sa.Column("hour", UTCDateTime, primary_key=True),
    sa.Column("label", sa.String(16), primary_key=True),
    sa.Column("status", sa.String(16), primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)
item_count_deltas = sa.Table(
    "item_count_deltas",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("hour", UTCDateTime, nullable=False),
    sa.Column("label", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
)
decision_counts = sa.Table(
    "decision_counts",
    metadata,
    sa.Column("hour", UTCDateTime, primary_key=True),
    sa.Column("bucket", sa.Integer, primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)
# The same counts per day (folded from the same deltas), so a read over weeks costs a row
# per day, label and status however many hours hold items.
item_counts_daily = sa.Table(
    "item_counts_daily",
    metadata,
    sa.Column("day", UTCDateTime, primary_key=True),
    sa.Column("label", sa.String(16), primary_key=True),
    sa.Column("status", sa.String(16), primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)
decision_counts_daily = sa.Table(
    "decision_counts_daily",
    metadata,
    sa.Column("day", UTCDateTime, primary_key=True),
    sa.Column("bucket", sa.Integer, primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)
decision_count_deltas = sa.Table(
    "decision_count_deltas",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("hour", UTCDateTime, nullable=False),
    sa.Column("bucket", sa.Integer, nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
)
