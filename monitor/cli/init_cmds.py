"""`init`: write a starter config. Alone in its module so that a new user's first command
loads nothing but click.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click


def example_config_text() -> str:
    """The starter config: the shipped copy of config.example.toml."""
    try:
        return (resources.files("monitor.examples") / "config.example.toml").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        here = Path(__file__).resolve().parents[2] / "config.example.toml"
        return here.read_text("utf-8")


@click.command()
@click.argument("path", default="config.toml", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a starter config (the content of config.example.toml) to PATH."""
    target = Path(path)
    if target.exists() and not force:
        click.echo(f"error: {target} exists; use --force to overwrite it", err=True)
        raise SystemExit(1)
    target.write_text(example_config_text(), encoding="utf-8")
    click.echo(f"wrote {target}; edit it, then run: complaint-monitor --config {target} poll")


COMMANDS = (init,)
