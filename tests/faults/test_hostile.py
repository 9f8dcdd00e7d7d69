"""Hostile mentions through a real poll, on SQLite and PostgreSQL.

1 MB of text, NUL bytes, lone surrogates, right-to-left overrides, zero-width joiners, Jinja
syntax, HTML and script, SQL-looking text and ten thousand emoji arrive in a jsonl feed. Each
must be stored and read back exactly, or, for what a database cannot hold (NUL, lone
surrogates), cleaned as monitor/text.py documents (each such character -> U+FFFD, nothing else
changed); each must be classified, and every draft must be free of the hostile payload (no
template code run, no markup, no SQL, bounded length).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from monitor.app import App
from monitor.config import FeedSettings
from monitor.model import Label
from monitor.store.schema import classifications, drafts, mentions, review_items
from monitor.text import REPLACEMENT, clean_text

from ._support import settings_for

MEGABYTE = "My Northwind kettle broke again and I want a refund now. " * 18_000  # ~1 MB
HOSTILE: dict[str, str] = {
    "megabyte": MEGABYTE[:1_000_000],
    "nul": "my kettle\x00 arrived broken\x00\x00 please fix it",
    "surrogates": "broken kettle \ud800 and a lone low \udfff surrogate, refund please",
    "rtl": "refund please \u202egnp.exe\u202c and \u202bRTL embedding\u202c \u200f mark",
    "zwj": "my kettle \U0001f468\u200d\U0001f469\u200d\U0001f467 family hates it, "
           "Ac\u200dme \u200c joiner",
    "jinja": "{{ 7*7 }} {% for x in range(10**9) %}x{% endfor %} {{ ''.__class__.__mro__ }} "
             "{{ config }} {# note #} my kettle is broken, refund please",
    "html": "<script>alert('x')</script><img src=x onerror=alert(1)> my kettle leaks "
            "<b>badly</b> &amp; &lt;",
    "sql": "Robert'); DROP TABLE mentions;-- my kettle is broken ' OR '1'='1",
    "emoji": "\U0001f621" * 10_000,
    "author": "my kettle broke, refund please",  # hostile author below, plain text
}
AUTHORS = {"author": "{{ 7*7 }}<script>alert(1)</script>\u202eDROP TABLE mentions"}
# Text a draft must never contain, whatever the mention said.
FORBIDDEN_IN_DRAFTS = ("{{", "{%", "49", "__class__", "<script", "onerror", "DROP TABLE",
                       "\u202e", "\x00", "\U0001f621\U0001f621")


def _write(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for key, text in HOSTILE.items():
            # ensure_ascii writes lone surrogates as \ud800 escapes: valid JSON that
            # decodes back to the same Python string.
            author = AUTHORS.get(key, f"@hostile_{key}")
            fh.write(json.dumps({"id": key, "text": text, "author": author,
                                 "created_at": "2026-11-24T08:00:00Z"}) + "\n")
    return path


def _stored(app: App) -> dict[str, dict[str, Any]]:
    query = (
        sa.select(mentions.c.external_id, mentions.c.text, classifications.c.label,
                  review_items.c.status, drafts.c.text.label("draft"))
        .join(classifications, classifications.c.mention_id == mentions.c.id)
        .join(review_items, review_items.c.mention_id == mentions.c.id)
        .outerjoin(drafts, drafts.c.id == review_items.c.draft_id)
    )
    with app.engine.connect() as conn:
        return {row.external_id: row._asdict() for row in conn.execute(query)}


@pytest.mark.slow
def test_hostile_mentions_stored_classified_drafted_safely(db_url: str, tmp_path: Path,
                                                           clock: Any) -> None:
    feed = FeedSettings(name="hostile", kind="jsonl", every=60.0,
                        options={"path": str(_write(tmp_path / "hostile.jsonl"))})
    app = App(settings_for(db_url, feed, base_dir=str(tmp_path)), environ={}, clock=clock)
    try:
        app.migrate()
        [result] = app.poll_all()
        assert result.ok, result.failure
        assert (result.new, result.errors) == (len(HOSTILE), 0)
        stored = _stored(app)
        assert set(stored) == set(HOSTILE)
        for key, original in HOSTILE.items():
            row = stored[key]
            expected = clean_text(original)
            assert row["text"] == expected, f"{key} not read back as stored"
            if key in ("nul", "surrogates"):
                # The documented cleaning: one U+FFFD per unstorable character, nothing else.
                assert expected != original
                assert row["text"].count(REPLACEMENT) == sum(
                    1 for c in original if c == "\x00" or "\ud800" <= c <= "\udfff")
                assert row["text"].replace(REPLACEMENT, "") == "".join(
                    c for c in original if not (c == "\x00" or "\ud800" <= c <= "\udfff"))
            else:
                assert row["text"] == original, f"{key} changed although storable"
            assert row["label"] in {label.value for label in Label}
            if row["label"] == Label.NEUTRAL.value:
                assert row["status"] == "skipped" and row["draft"] is None
            else:
                assert row["status"] == "pending" and row["draft"], key
                draft = row["draft"]
                assert len(draft) <= 1000, f"{key}: draft of {len(draft)} characters"
                for bad in FORBIDDEN_IN_DRAFTS:
                    assert bad not in draft, f"{key}: draft contains {bad!r}: {draft!r}"
        # The complaints among them are still read as complaints.
        for key in ("megabyte", "nul", "sql"):
            assert stored[key]["label"] in ("fix_request", "venting"), key
        # The SQL-looking text did nothing: every table is intact, and a second poll adds
        # nothing and doubles nothing.
        [again] = app.poll_all()
        assert again.ok and again.new == 0
        assert len(_stored(app)) == len(HOSTILE)
    finally:
        app.close()


def test_clean_text_documented_rules() -> None:
    """monitor.text: only NUL and lone surrogates change, each into one U+FFFD."""
    for text in HOSTILE.values():
        cleaned = clean_text(text)
        assert len(cleaned) == len(text)
        cleaned.encode("utf-8")  # always encodable now
        assert "\x00" not in cleaned
        assert all(a == b or b == REPLACEMENT for a, b in zip(text, cleaned, strict=True))
