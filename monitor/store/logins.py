"""Failed sign-ins: the rows the sign-in throttle counts (`login_failures`), shared by every
process on the database.

Keys are stored as SHA-256 digests of the client address or the typed username. This module
only reads and writes rows: how many failures a window allows is monitor.web.auth's policy.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from monitor.store.schema import login_failures

_T = login_failures


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def recent(conn: Connection, scope: str, key: str, since: datetime, limit: int
           ) -> list[datetime]:
    """The times of the latest `limit` failures for `key` after `since`, newest first."""
    return list(conn.execute(
        sa.select(_T.c.at).where(_T.c.scope == scope, _T.c.key == digest(key), _T.c.at > since)
        .order_by(_T.c.at.desc()).limit(limit)).scalars())


def record(conn: Connection, scope: str, key: str, at: datetime,
           forget_before: datetime) -> None:
    """One more failure for `key`; the scope's failures from before `forget_before` (out of
    its window) are deleted on the way, so the table holds one window's worth."""
    conn.execute(sa.delete(_T).where(_T.c.at <= forget_before, _T.c.scope == scope))
    conn.execute(sa.insert(_T).values(scope=scope, key=digest(key), at=at))
