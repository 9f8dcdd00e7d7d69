"""Migration 0007 on a database already in use: existing users get session generation 0 and
sign in as before, existing API tokens never expire and keep working. Both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from monitor.store import engine as store_engine
from monitor.store import users as store_users

NOW = datetime(2026, 11, 24, 9, 0)  # naive UTC, as the columns hold it


def test_0007_keeps_users_and_their_tokens(db_url: str) -> None:
    engine = store_engine.make_engine(db_url)
    store_engine.upgrade(engine, "0006")
    old = sa.MetaData()
    old.reflect(engine)
    t = old.tables
    assert "session_generation" not in t["users"].c and "expires_at" not in t["api_tokens"].c
    with engine.begin() as conn:
        uid = conn.execute(t["users"].insert().returning(t["users"].c.id), {
            "username": "sam", "password_hash": "x", "role": "admin", "disabled": False,
            "failed_logins": 0, "created_at": NOW}).scalar_one()
        conn.execute(t["api_tokens"].insert(), {
            "user_id": uid, "token_hash": store_users.token_digest("cm_old"), "label": "ci",
            "created_at": NOW})

    store_engine.upgrade(engine)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        user = store_users.by_name(conn, "sam")
        assert user.session_generation == 0
        found = store_users.user_for_token(conn, "cm_old", now)
        assert found is not None and found.username == "sam"
        [token] = store_users.tokens(conn, uid)
        assert token.expires_at is None and token.last_used_at is not None
        store_users.end_sessions(conn, uid)
        assert store_users.by_name(conn, "sam").session_generation == 1
    engine.dispose()
