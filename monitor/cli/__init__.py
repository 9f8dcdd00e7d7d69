"""The command line. Every known failure becomes one line on stderr and an exit code, here only.

Exit codes: 0 ok; 1 not found or not allowed (and `templates check` violations);
2 bad config (ConfigError), usage or input (InputError); 3 a feed failed during `poll`.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from monitor.cli.base import CliState
from monitor.errors import ConfigError, InputError, MonitorError

# Each module adds its commands to the group; listed explicitly (no import-time discovery).
COMMAND_MODULES = (
    "monitor.cli.core_cmds",
    "monitor.cli.queue_cmds",
    "monitor.cli.relabel_cmds",  # adds to queue_cmds' group, so after it
    "monitor.cli.classify_cmds",
    "monitor.cli.draft_cmds",
    "monitor.cli.web_cmds",
    "monitor.cli.replies_cmds",
    "monitor.cli.learn_cmds",
    "monitor.cli.incident_cmds",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="PATH", default=None,
              help="Config file (default: $COMPLAINT_MONITOR_CONFIG, ./config.toml, "
                   "or the built-in demo).")
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.version_option(package_name="complaint-monitor")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """complaint-monitor: watch brand mentions, draft calm replies, review them."""
    ctx.obj = CliState(config_path=config_path, verbose=verbose)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from monitor.text import LogSafeFilter

    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, LogSafeFilter) for f in handler.filters):
            handler.addFilter(LogSafeFilter())
    for noisy in ("httpx", "httpcore", "apscheduler.scheduler", "apscheduler.executors.default",
                  "alembic"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that part of the tool is not built in this checkout
                continue
            raise
        module.register(cli)


def exit_code_for(exc: MonitorError) -> int:
    """2 for the config's mistake or the user's (ConfigError, InputError); 1 for every other
    known failure (not found, not allowed in the item's state, template violations)."""
    return 2 if isinstance(exc, ConfigError | InputError) else 1


def main(argv: list[str] | None = None) -> None:
    _register()
    try:
        rv = cli.main(args=argv, prog_name="complaint-monitor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except MonitorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exit_code_for(exc))
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
