"""The CLI's plumbing: `pass_app` (opens, migrates where the command needs it, closes), bad
user input as InputError (exit 2, one line), and the one exit-code mapping."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
from pathlib import Path

import click
import pytest

from monitor import cli as cli_module
from monitor.errors import (
    ConfigError,
    InputError,
    InvalidTransition,
    MonitorError,
    NotFound,
    UnsafeDraft,
)
from monitor.review.accounts import check_role, check_username


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with no config (the built-in demo) and a SQLite file not made yet."""
    for key in ("COMPLAINT_MONITOR_CONFIG", "COMPLAINT_MONITOR_DATABASE_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "cm.db"
    monkeypatch.setenv("COMPLAINT_MONITOR_DATABASE_URL", f"sqlite:///{db}")
    return db


def main(*args: str) -> int:
    with pytest.raises(SystemExit) as done:
        cli_module.main(list(args))
    code = done.value.code
    return code if isinstance(code, int) else 0


def test_exit_codes_come_from_one_mapping() -> None:
    assert cli_module.exit_code_for(InputError("x", key="--by")) == 2
    assert cli_module.exit_code_for(ConfigError("x", key="brand.name")) == 2
    for other in (NotFound("x"), InvalidTransition("x"), UnsafeDraft("x", violations=()),
                  MonitorError("x")):
        assert cli_module.exit_code_for(other) == 1


def test_bad_user_input_is_an_input_error_naming_what_to_fix() -> None:
    with pytest.raises(InputError) as bad:
        check_username("no spaces please")
    assert bad.value.key == "username" and not isinstance(bad.value, ConfigError)
    with pytest.raises(InputError, match="role must be one of"):
        check_role("owner")
    assert check_username("ann.lee") == "ann.lee"


def test_a_bad_username_exits_2_before_the_database_is_touched(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main("users", "add", "no spaces", "--password-stdin") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: username: a username is") and len(err.splitlines()) == 1
    assert not here.exists()  # users add migrates only once the input is good


def test_no_password_on_stdin_is_bad_input(here: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main("users", "add", "ann", "--password-stdin") == 2
    assert capsys.readouterr().err == ("error: --password-stdin: no password on standard "
                                       "input\n")
    assert not here.exists()


def test_pass_app_migrates_then_the_command_reads_through_the_app(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main("users", "add", "ann", "--role", "admin", "--password-stdin") == 0
    assert capsys.readouterr().out == "created admin ann\n"
    assert main("users", "list", "--format", "json") == 0
    assert '"username": "ann"' in capsys.readouterr().out
    assert main("users", "token", "nobody") == 1  # NotFound, from App.accounts
    assert capsys.readouterr().err == "error: no user named 'nobody'\n"


def test_a_dry_run_import_leaves_the_database_alone(
        here: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"post": "kettle broke", "reply": "Sorry!", "label": "fix_request"}\n',
                     encoding="utf-8")
    assert main("replies", "import", str(pairs), "--dry-run") == 0
    assert "nothing imported (--dry-run)" in capsys.readouterr().out
    assert not here.exists()
    assert main("replies", "import", str(pairs)) == 0
    assert "1 added to reply memory" in capsys.readouterr().out
    assert here.exists()


def test_every_command_is_listed_once_with_its_module() -> None:
    """COMMAND_MODULES is what the root group loads from: a command a module lists but the
    table forgets would vanish from the CLI."""
    found: dict[str, str] = {}
    for path in sorted(Path(cli_module.__file__).parent.glob("*_cmds.py")):
        module = importlib.import_module(f"monitor.cli.{path.stem}")
        for command in module.COMMANDS:
            assert command.name not in found, command.name
            found[str(command.name)] = path.stem
    assert found == cli_module.COMMAND_MODULES


def test_a_command_loads_only_its_own_module() -> None:
    """`init`, `classify` and `draft` start without the database layer; `poll`, `queue` and
    `users` without the web server and the scheduler (the README's classify start-up figure
    depends on it)."""
    script = (
        "import sys, click, monitor.cli as c\n"
        "ctx = click.Context(c.cli)\n"
        "for name in ('init', 'classify', 'eval', 'draft', 'templates'):\n"
        "    assert c.cli.get_command(ctx, name) is not None\n"
        "print(sorted(m for m in ('monitor.app', 'sqlalchemy', 'fastapi') if m in sys.modules))\n"
        "for name in ('poll', 'feeds', 'queue', 'labels', 'incidents', 'learn', 'replies',\n"
        "             'users'):\n"
        "    assert c.cli.get_command(ctx, name) is not None\n"
        "print(sorted(m for m in ('monitor.app', 'uvicorn', 'apscheduler') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.splitlines() == ["[]", "['monitor.app']"]


def test_the_root_help_table_gives_each_command_its_own_short_help() -> None:
    """COMMAND_TABLE's short help is what the root --help shows for a command not loaded yet:
    at every width click can ask for, it is shortened to exactly what the command itself
    gives, so the table cannot drift from the code."""
    assert list(cli_module.COMMAND_TABLE) == sorted(cli_module.COMMAND_TABLE)
    for name, (module_name, short_help) in cli_module.COMMAND_TABLE.items():
        module = importlib.import_module(f"monitor.cli.{module_name}")
        real = {command.name: command for command in module.COMMANDS}[name]
        stand_in = cli_module._help_stand_in(name)
        assert stand_in is not None
        assert (stand_in.hidden, stand_in.deprecated) == (real.hidden, real.deprecated), name
        assert short_help == real.get_short_help_str(limit=10_000), name
        for limit in range(0, 300):
            assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit), (
                name, limit)
    assert cli_module._help_stand_in("no-such-command") is None


def test_the_root_help_imports_no_command_module_and_reads_as_the_commands_do(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The root --help (0.07 s, not 1.0 s) lists the commands from COMMAND_TABLE without
    importing any command module, and its text is byte for byte what the loaded commands
    give."""
    widths = (50, 60, 80, 200)
    script = (
        "import os, sys\n"
        "from monitor import cli as c\n"
        f"for width in {widths!r}:\n"
        "    os.environ['COLUMNS'] = str(width)\n"
        "    try:\n"
        "        c.main(['--help'])\n"
        "    except SystemExit as done:\n"
        "        assert done.code == 0, done.code\n"
        "    print('\\x00', end='')\n"
        "loaded = sorted(m for m in sys.modules if m.endswith('_cmds') or m in\n"
        "                ('monitor.app', 'sqlalchemy', 'fastapi', 'uvicorn', 'apscheduler'))\n"
        "print(loaded, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stderr == "[]\n"
    shown = done.stdout.split("\x00")
    assert shown[-1] == "" and len(shown) == len(widths) + 1
    cli_module._register()  # every command loaded: the root help now asks the commands
    for width, text in zip(widths, shown, strict=False):
        monkeypatch.setenv("COLUMNS", str(width))  # as the subprocess had it
        ctx = click.Context(cli_module.cli, info_name="complaint-monitor")
        assert text == ctx.get_help() + "\n", width
    assert "Commands:\n  classify   Classify TEXTs or an --input file" in shown[2]
