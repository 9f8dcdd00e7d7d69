"""Which adapter serves which `kind`: the built-ins plus the `complaint_monitor.adapters`
entry-point group. Built-ins are imported only when a feed uses them.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from monitor.errors import ConfigError

ENTRY_POINT_GROUP = "complaint_monitor.adapters"

BUILTINS: Mapping[str, str] = {
    "demo": "monitor.adapters.demo:DemoAdapter",
    "jsonl": "monitor.adapters.jsonl:JsonlAdapter",
    "mastodon": "monitor.adapters.mastodon:MastodonAdapter",
    "bluesky": "monitor.adapters.bluesky:BlueskyAdapter",
    "reddit": "monitor.adapters.reddit:RedditAdapter",
    "hackernews": "monitor.adapters.hackernews:HackerNewsAdapter",
    "rss": "monitor.adapters.rss:RssAdapter",
    "x": "monitor.adapters.x:XAdapter",
}


class Registry:
    """Maps kinds to adapter classes; built from explicit lists, never from import side effects."""

    def __init__(
        self, builtins: Mapping[str, str] = BUILTINS, plugins: Iterable[EntryPoint] | None = None
    ) -> None:
        self._targets: dict[str, str | EntryPoint | type] = dict(builtins)
        for ep in entry_points(group=ENTRY_POINT_GROUP) if plugins is None else plugins:
            self._targets.setdefault(ep.name, ep)

    def add(self, kind: str, adapter: type) -> None:
        """Register an adapter class directly (for programs embedding the monitor, and tests)."""
        self._targets[kind] = adapter

    def kinds(self) -> list[str]:
        return sorted(self._targets)

    def get(self, kind: str, *, key: str = "kind") -> Any:
        target = self._targets.get(kind)
        if target is None:
            guess = difflib.get_close_matches(kind, self.kinds(), n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            raise ConfigError(
                f"no adapter of kind {kind!r} ({hint}installed: {', '.join(self.kinds())})",
                key=key,
            )
        if isinstance(target, type):
            return target
        if isinstance(target, EntryPoint):
            return target.load()
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigError(f"the {kind} adapter cannot be loaded: {exc}", key=key) from exc
        return getattr(module, attr)
