"""Shared plumbing for the command modules: the lazily built settings and output helpers.

Command modules import from here, never from each other. Errors are not handled here:
`monitor.cli.main` maps every MonitorError to a message and exit code in one place.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import click

from monitor import config
from monitor.config import Settings
from monitor.errors import ConfigError
from monitor.model import Label

LABELS = [label.value for label in Label]


log = logging.getLogger(__name__)


@dataclass
class CliState:
    config_path: str | None = None
    verbose: bool = False
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = field(default_factory=Path.cwd)
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = config.resolve(self.config_path, self.environ, self.cwd)
            if not self.verbose:
                level = logging.getLevelName(self._settings.logging.level.upper())
                if not isinstance(level, int):
                    raise ConfigError(
                        "expected DEBUG, INFO, WARNING or ERROR", key="logging.level",
                        path=self._settings.source,
                    )
                logging.getLogger().setLevel(level)
        return self._settings


pass_state = click.make_pass_decorator(CliState, ensure=True)


def install_stop_handlers(stop: threading.Event) -> None:
    """SIGINT/SIGTERM ask for a clean stop: the page being stored commits or rolls back whole."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.warning("received %s: finishing the current page, then stopping",
                    signal.Signals(signum).name)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def emit_jsonl(rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


def emit_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    click.echo(buf.getvalue(), nl=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    click.echo(fmt.format(*headers).rstrip())
    for row in rows:
        click.echo(fmt.format(*row).rstrip())


def one_line(text: str, width: int) -> str:
    """The first line of `text`, shortened to `width` characters for tables."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def read_input_lines(path: str) -> Iterable[str]:
    """Lines of PATH, or of standard input for '-'."""
    if path == "-":
        yield from sys.stdin
        return
    with open(path, encoding="utf-8") as fh:
        yield from fh
