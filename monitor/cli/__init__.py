"""The command line. Every known failure becomes one line on stderr and an exit code, here only.

Exit codes: 0 ok; 1 not found or not allowed (and `templates check` violations);
2 bad config (ConfigError), usage or input (InputError); 3 a feed failed during `poll`.

Every command is a top-level function in one of the modules named in COMMAND_MODULES, and each
that needs the App takes it from `monitor.cli.opening.pass_app`, which opens, migrates and
closes it.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from monitor.cli.base import CliState
from monitor.errors import ConfigError, InputError, MonitorError
from monitor.text import LogSafeFilter

# Every top-level command and the module (under monitor.cli) that defines it; each module
# lists its own in COMMANDS. Listed here, explicitly, so that a command loads only its own
# module: `init`, `classify` and `draft` never load the database layer, nor `poll`, `queue`
# or `users` the web server and the scheduler.
COMMAND_MODULES: dict[str, str] = {
    "init": "init_cmds",
    "poll": "core_cmds", "db": "core_cmds", "feeds": "core_cmds",
    "queue": "queue_cmds", "labels": "labels_cmds",
    "classify": "classify_cmds", "eval": "classify_cmds",
    "draft": "draft_cmds", "templates": "draft_cmds",
    "run": "serve_cmds", "serve": "serve_cmds", "users": "web_cmds",
    "replies": "replies_cmds", "learn": "learn_cmds", "incidents": "incident_cmds",
}


class CommandGroup(click.Group):
    """The root group: a command's module is imported when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"monitor.cli.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, LogSafeFilter) for f in handler.filters):
            handler.addFilter(LogSafeFilter())
    for noisy in ("httpx", "httpcore", "apscheduler.scheduler", "apscheduler.executors.default",
                  "alembic"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


def _register() -> None:
    """Load every command now, for code that reads `cli.commands` (tests, benches); running
    a command does not need it."""
    for name in COMMAND_MODULES:
        cli.get_command(click.Context(cli), name)


def exit_code_for(exc: MonitorError) -> int:
    """2 for the config's mistake or the user's (ConfigError, InputError); 1 for every other
    known failure (not found, not allowed in the item's state, template violations)."""
    return 2 if isinstance(exc, ConfigError | InputError) else 1


def main(argv: list[str] | None = None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="complaint-monitor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except MonitorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exit_code_for(exc))
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
