"""One unreadable line must not block a feed: it is reported and skipped, the rest load.

Found by the property tests: a jsonl line whose created_at is a huge epoch made
datetime.fromtimestamp raise OverflowError/OSError, which failed the whole feed on every
poll. It is now an item problem (the adapter raises a NormaliseError for it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor.app import App
from monitor.config import FeedSettings

from ._support import settings_for


def test_a_line_with_an_impossible_time_is_skipped_not_fatal(sqlite_url: str, tmp_path: Path,
                                                            clock: Any) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text('{"id": "1", "text": "kettle broke", "created_at": 1e20}\n'
                    '{"id": "2", "text": "my kettle leaks, refund please"}\n', encoding="utf-8")
    feed = FeedSettings(name="imp", kind="jsonl", every=60.0, options={"path": str(path)})
    app = App(settings_for(sqlite_url, feed, base_dir=str(tmp_path)), environ={}, clock=clock)
    try:
        app.migrate()
        [result] = app.poll_all()
        assert result.ok, result.failure
        assert (result.new, result.errors) == (1, 1)
        assert "line 1" in result.problems[0]
    finally:
        app.close()
