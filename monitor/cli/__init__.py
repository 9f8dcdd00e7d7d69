"""The command line. Every known failure becomes one line on stderr and an exit code, here only.

Exit codes: 0 ok; 1 not found or not allowed (and `templates check` violations);
2 bad config (ConfigError), usage or input (InputError); 3 a feed failed during `poll`.

Every command is a top-level function in one of the modules named in COMMAND_TABLE, and each
that needs the App takes it from `monitor.cli.opening.pass_app`, which opens, migrates and
closes it.
"""

from __future__ import annotations

import importlib
import logging
import sys
from gettext import gettext

import click

from monitor.cli.base import CliState
from monitor.errors import ConfigError, InputError, MonitorError
from monitor.text import LogSafeFilter

# Every top-level command: the module (under monitor.cli) that defines it, and its short help.
# The module is listed here, explicitly, so that a command loads only its own module (each
# module lists its own in COMMANDS): `init`, `classify` and `draft` never load the database
# layer, nor `poll`, `queue` or `users` the web server and the scheduler. The short help is
# copied here so that the root --help can list every command without importing every module
# (0.07 s instead of 1.0 s): it is the command's help up to the end of its first
# sentence, which click shortens to the terminal's width as it would the command's own help.
# tests/test_cli_app.py checks it against the commands themselves, so it cannot drift.
COMMAND_TABLE: dict[str, tuple[str, str]] = {
    "classify": ("classify_cmds",
                 "Classify TEXTs or an --input file without storing anything."),
    "db": ("core_cmds", "Database maintenance."),
    "draft": ("draft_cmds",
              "Preview the reply that would be drafted for TEXT (nothing is stored): the "
              "templates, the saved answers in [replies] answers_file and the writer model if "
              "one is configured; not reply memory or answers saved in review, which live in "
              "the database."),
    "eval": ("classify_cmds",
             "Score the classifier on labelled JSON lines: accuracy, per-label precision, "
             "recall and F1, macro-F1, confusion matrix."),
    "feeds": ("core_cmds", "Feed state."),
    "incidents": ("incident_cmds",
                  "Widespread problems: suggested by detection, confirmed, resolved or "
                  "dismissed."),
    "init": ("init_cmds",
             "Write a starter config (the content of config.example.toml) to PATH."),
    "labels": ("labels_cmds",
               "Reviewers' labels: the classifier's mistakes they corrected, and the labels "
               "they approved as they stood."),
    "learn": ("learn_cmds",
              "Learn the brand from its reviewers: every relabel and the label of every "
              "approved item train the brand's own head (beside the shipped training posts); "
              "a fifth of those labels is held back, and the new head is used only when its "
              "macro-F1 there beats the current head's."),
    "poll": ("core_cmds",
             "Poll every feed (or one) once, process what arrived, print a line per feed."),
    "queue": ("queue_cmds", "The review queue: list, show, approve, reject."),
    "replies": ("replies_cmds",
                "The brand's own replies: reply memory (approved and imported replies drafted "
                "again for similar posts) and saved answers to questions."),
    "run": ("serve_cmds",
            "The daemon: polls every feed at its interval and serves the review web app."),
    "serve": ("serve_cmds", "Serve the review web app alone (no polling); Ctrl-C stops it."),
    "templates": ("draft_cmds", "Reply templates: check them against the house style."),
    "users": ("web_cmds", "Web users and their API tokens."),
}
COMMAND_MODULES: dict[str, str] = {name: module for name, (module, _) in COMMAND_TABLE.items()}


class CommandGroup(click.Group):
    """The root group: a command's module is imported when the command is asked for, and the
    root help lists the commands from COMMAND_TABLE without importing any."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"monitor.cli.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click.Group.format_commands, but a command not loaded yet is described by a stand-in
        made from its COMMAND_TABLE entry, so its module is not imported."""
        commands: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            loaded = self.commands.get(name)
            cmd = loaded if loaded is not None else _help_stand_in(name)
            if cmd is not None and not cmd.hidden:
                commands.append((name, cmd))
        if commands:
            # click's own limit: three times the default spacing
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, cmd.get_short_help_str(limit)) for name, cmd in commands]
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)


def _help_stand_in(name: str) -> click.Command | None:
    """A command that only carries `name`'s short help from COMMAND_TABLE, for the root help
    (never run, never registered)."""
    if name not in COMMAND_TABLE:
        return None
    return click.Command(name, help=COMMAND_TABLE[name][1])


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
