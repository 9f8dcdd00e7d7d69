"""The `jsonl` adapter: a file of JSON lines (id, text, author, created_at, optional url), for
imports and load tests.

Reads the file in pages of `page_size` lines; the cursor is the byte offset after the last line
read, so an interrupted import resumes where it stopped. A malformed line is reported with its
line number and skipped; the rest still load. The file is only read, never changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from monitor.adapters._http import parse_time
from monitor.adapters.base import (
    AdapterContext,
    Cursor,
    ItemProblem,
    Page,
    RawItem,
    freeze,
    parse_options,
)
from monitor.config import FeedSettings
from monitor.errors import ConfigError, NormaliseError, SourceUnavailable
from monitor.model import Mention


@dataclass(frozen=True)
class JsonlOptions:
    path: str
    page_size: int = 1000


class JsonlAdapter:
    kind: ClassVar[str] = "jsonl"
    default_max_pages: ClassVar[int] = 1_000_000  # an import reads its whole file in one poll

    def __init__(self, feed: FeedSettings, ctx: AdapterContext) -> None:
        opts = parse_options(JsonlOptions, feed)
        if opts.page_size < 1:
            raise ConfigError("must be at least 1", key=feed.key("page_size"))
        self.name = feed.name
        self.platform = feed.platform or "jsonl"
        base = Path(ctx.base_dir)
        path = Path(opts.path).expanduser()
        self.path = path if path.is_absolute() else base / path
        self.page_size = opts.page_size
        self._key = feed.key("path")
        self._clock = ctx.clock

    def fetch(self, cursor: Cursor | None) -> Page:
        offset = int((cursor or {}).get("offset", 0))
        line_no = int((cursor or {}).get("line", 0))
        items: list[RawItem] = []
        problems: list[ItemProblem] = []
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            raise SourceUnavailable(
                f"file not found: {self.path} (check {self._key})", feed=self.name
            ) from None
        except OSError as exc:
            raise SourceUnavailable(f"cannot read {self.path}: {exc.strerror}",
                                    feed=self.name) from exc
        with fh:
            size = fh.seek(0, 2)
            if offset > size:  # the file was replaced by a shorter one: start again
                offset, line_no = 0, 0
            fh.seek(offset)
            while len(items) + len(problems) < self.page_size:
                line = fh.readline()
                if not line:
                    break
                if not line.endswith(b"\n") and fh.tell() >= size:
                    # A last line still being written: leave it for the next poll.
                    fh.seek(offset)
                    break
                offset = fh.tell()
                line_no += 1
                if not line.strip():
                    continue
                where = f"line {line_no}"
                try:
                    data = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    problems.append(ItemProblem(where, f"not valid JSON: {exc}"))
                    continue
                if not isinstance(data, dict):
                    problems.append(ItemProblem(where, "expected a JSON object"))
                    continue
                missing = [k for k in ("id", "text") if data.get(k) in (None, "")]
                if missing:
                    problems.append(ItemProblem(where, f"missing {' and '.join(missing)}"))
                    continue
                data["_line"] = line_no
                items.append(RawItem(str(data["id"]), freeze(data)))
            more = fh.tell() < size
        return Page(items=items, cursor={"offset": offset, "line": line_no}, more=more,
                    problems=problems)

    def normalise(self, raw: RawItem) -> Mention:
        data = raw.payload
        where = f"line {data.get('_line', '?')}"
        text = data.get("text")
        if not isinstance(text, str):
            raise NormaliseError(f"{where}: text must be a string", external_id=raw.external_id)
        created = None
        given = data.get("created_at")
        if given:
            # A trailing lower-case "z" is accepted too, as for the upper-case one.
            if isinstance(given, str) and given.rstrip().endswith("z"):
                given = given.rstrip()[:-1] + "Z"
            created = parse_time(given)
            if created is None:
                raise NormaliseError(
                    f"{where}: bad created_at: {given!r} is not an ISO 8601 time or epoch "
                    "seconds in range", external_id=raw.external_id,
                )
        author = data.get("author") or "unknown"
        followers = data.get("followers")
        return Mention(
            feed=self.name,
            platform=str(data.get("platform") or self.platform),
            external_id=raw.external_id,
            text=text,
            author=str(author),
            created_at=created or self._clock(),
            url=str(data["url"]) if data.get("url") else None,
            author_name=str(data["author_name"]) if data.get("author_name") else None,
            author_followers=followers if isinstance(followers, int)
            and not isinstance(followers, bool) else None,
            language=str(data["lang"]) if data.get("lang") else None,
            raw={k: v for k, v in data.items() if k != "_line"},
        )
