"""Feed leases and the daemon register: which `run` daemon polls which feed.

On PostgreSQL any number of daemons share the feeds: each claims free or expired feed rows
with SELECT ... FOR UPDATE SKIP LOCKED (two daemons never claim one row), renews its leases
with a heartbeat, and starts a poll only through `start_poll`, an UPDATE guarded on its lease
and the feed's due time, so a feed is polled once per interval even while a lease changes
hands. A one-shot `complaint-monitor poll` takes the same leases for the feeds it polls
(monitor.app), so it never polls a feed a daemon is polling. This module only reads and
writes rows; when to call it is monitor.scheduler's (and monitor.app's) job.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.store.schema import daemons, feeds


@dataclass(frozen=True, slots=True)
class Daemon:
    name: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime


def register(conn: Connection, name: str, host: str, pid: int, now: datetime) -> None:
    """Record this daemon (its row replaced if it is already there)."""
    conn.execute(sa.delete(daemons).where(daemons.c.name == name))
    conn.execute(sa.insert(daemons).values(name=name, host=host[:255], pid=pid,
                                           started_at=now, heartbeat_at=now))


def unregister(conn: Connection, name: str) -> None:
    """A clean stop: the daemon's row goes and its feeds are free at once."""
    release(conn, name)
    conn.execute(sa.delete(daemons).where(daemons.c.name == name))


def live(conn: Connection, now: datetime, lease: timedelta) -> list[Daemon]:
    """Daemons whose last heartbeat is younger than `lease`, oldest first."""
    rows = conn.execute(sa.select(daemons).where(daemons.c.heartbeat_at > now - lease)
                        .order_by(daemons.c.started_at, daemons.c.name))
    return [Daemon(r.name, r.host, r.pid, r.started_at, r.heartbeat_at) for r in rows]


def forget_dead(conn: Connection, now: datetime, older_than: timedelta) -> int:
    """Drop the rows of daemons silent for longer than `older_than` (killed ones)."""
    return conn.execute(sa.delete(daemons).where(daemons.c.heartbeat_at < now - older_than)
                        ).rowcount or 0


def heartbeat(conn: Connection, name: str, host: str, pid: int, now: datetime,
              lease: timedelta) -> set[str]:
    """Renew this daemon's row and every lease it still holds; the names of those feeds.
    A lease another daemon took over meanwhile is not renewed (it is no longer ours)."""
    done = conn.execute(sa.update(daemons).where(daemons.c.name == name)
                        .values(heartbeat_at=now)).rowcount
    if not done:  # forgotten as dead after a long pause: come back as a new start
        register(conn, name, host, pid, now)
    return renew(conn, name, now, lease)


def renew(conn: Connection, name: str, now: datetime, lease: timedelta) -> set[str]:
    """Renew every feed lease `name` still holds (a daemon's heartbeat, or a one-shot `poll`
    that registers no daemon row); the names of those feeds."""
    conn.execute(sa.update(feeds).where(feeds.c.lease_owner == name)
                 .values(lease_until=now + lease))
    return held(conn, name)


def holders(conn: Connection, names: Collection[str]) -> dict[str, str]:
    """Who holds each of the feeds `names` that somebody holds (feed -> holder)."""
    if not names:
        return {}
    rows = conn.execute(sa.select(feeds.c.name, feeds.c.lease_owner).where(
        feeds.c.name.in_(list(names)), feeds.c.lease_owner.is_not(None)))
    return {r.name: r.lease_owner for r in rows}


def held(conn: Connection, name: str) -> set[str]:
    return set(conn.execute(sa.select(feeds.c.name).where(feeds.c.lease_owner == name))
               .scalars())


def due(conn: Connection, name: str, now: datetime) -> set[str]:
    """The feeds this daemon holds that are due for a poll (not paused)."""
    return set(conn.execute(sa.select(feeds.c.name).where(
        feeds.c.lease_owner == name, feeds.c.paused == sa.false(),
        sa.or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now))).scalars())


def ensure_rows(conn: Connection, wanted: Mapping[str, str], now: datetime) -> None:
    """A row for every feed in `wanted` (name -> kind), so it can be leased before its first
    poll; several daemons starting at once each insert, and the database keeps one."""
    rows = [{"name": n, "kind": k, "created_at": now} for n, k in wanted.items()]
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        conn.execute(insert(feeds).on_conflict_do_nothing(index_elements=["name"]), rows)
        return
    present = set(conn.execute(sa.select(feeds.c.name)).scalars())
    missing = [r for r in rows if r["name"] not in present]
    if missing:
        conn.execute(sa.insert(feeds), missing)


def _free(now: datetime) -> sa.ColumnElement[bool]:
    """Nobody holds the feed, or its holder's lease ran out (a row marked held with no end
    by a SQLite daemon of a version before leases ran out there counts as run out)."""
    return sa.or_(feeds.c.lease_owner.is_(None), feeds.c.lease_until.is_(None),
                  feeds.c.lease_until < now)


def claim(conn: Connection, name: str, wanted: Collection[str], now: datetime,
          lease: timedelta, limit: int) -> list[str]:
    """Take up to `limit` of the `wanted` feeds that nobody holds or whose lease ran out,
    the most overdue first; rows another daemon is claiming at this moment are skipped, not
    waited for (SKIP LOCKED on PostgreSQL). The names taken."""
    if limit <= 0 or not wanted:
        return []
    query = (
        sa.select(feeds.c.id, feeds.c.name).where(
            feeds.c.name.in_(list(wanted)), feeds.c.paused == sa.false(),
            _free(now),
        )
        .order_by(feeds.c.next_poll_at.asc().nulls_first(), feeds.c.id).limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = conn.execute(query).all()
    if not rows:
        return []
    conn.execute(sa.update(feeds).where(feeds.c.id.in_([r.id for r in rows]))
                 .values(lease_owner=name, lease_until=now + lease, held_since=now))
    return [r.name for r in rows]


def release(conn: Connection, name: str, names: Collection[str] | None = None) -> int:
    """Give up this daemon's leases (all, or those in `names`); how many."""
    cond = [feeds.c.lease_owner == name]
    if names is not None:
        if not names:
            return 0
        cond.append(feeds.c.name.in_(list(names)))
    return conn.execute(sa.update(feeds).where(*cond).values(
        lease_owner=None, lease_until=None, held_since=None)).rowcount or 0


def start_poll(conn: Connection, feed: str, name: str, now: datetime,
               every: timedelta) -> bool:
    """True if this daemon may poll `feed` now: it still holds a live lease on it, the feed
    is not paused and is due. Moving the due time on in the same statement is what keeps a
    feed to one poll per interval when a lease changes hands between two daemons' looks."""
    return conn.execute(
        sa.update(feeds).where(
            feeds.c.name == feed, feeds.c.lease_owner == name, feeds.c.lease_until > now,
            feeds.c.paused == sa.false(),
            sa.or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now),
        ).values(next_poll_at=now + every)
    ).rowcount == 1


def mark_held(conn: Connection, feed: str, kind: str, name: str, now: datetime,
              lease: timedelta) -> bool:
    """The single daemon on SQLite, before each poll of `feed`: hold its lease (since the
    first poll; renewed by the daemon's heartbeat), taking it from nobody alive; the feed's
    row is made if it has none yet. False while another process holds a live lease on it (a
    `complaint-monitor poll` run from cron): that poll goes on, and this one is skipped."""
    take = sa.update(feeds).where(
        feeds.c.name == feed, sa.or_(feeds.c.lease_owner == name, _free(now)),
    ).values(
        lease_owner=name, lease_until=now + lease,
        held_since=sa.case((feeds.c.lease_owner == name, feeds.c.held_since), else_=now),
    )
    if conn.execute(take).rowcount == 1:
        return True
    if conn.execute(sa.select(feeds.c.id).where(feeds.c.name == feed)).first() is not None:
        return False  # held by someone else
    ensure_rows(conn, {feed: kind}, now)
    return conn.execute(take).rowcount == 1
