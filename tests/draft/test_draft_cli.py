"""`draft` and `templates check` through the real click group, plus the checker itself on the
shipped templates under several configurations and on a deliberately unsafe override."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import monitor.cli as cli_module
from monitor.config import IncidentSettings, RepliesSettings, Settings, demo_settings
from monitor.draft import build_drafter
from monitor.draft.selfcheck import check_templates
from monitor.errors import MonitorError

ROOT = Path(__file__).resolve().parents[2]
Invoke = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def run() -> Invoke:
    cli_module._register()
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli_module.cli, list(args), env={"COMPLAINT_MONITOR_CONFIG": ""})
        err = result.stderr
        if isinstance(result.exception, MonitorError):  # what monitor.cli.main would print
            err += f"error: {result.exception}\n"
        return result.exit_code, result.stdout, err
    return invoke


def test_draft_json_has_the_contract_shape(run: Invoke) -> None:
    code, out, _ = run("draft", "My order #NW-48213 never arrived, where is it?",
                       "--platform", "mastodon", "--author", "@jo@example.social",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"label", "template", "text", "checks"} <= set(data)
    assert data["label"] == "fix_request"
    assert data["template"].startswith("fix_request/")
    assert data["text"].startswith("@jo@example.social ")
    assert data["checks"] == [] and data["length"] <= data["limit"] == 500


def test_draft_text_prints_the_reply_and_details_on_stderr(run: Invoke) -> None:
    code, out, err = run("draft", "love my new kettle, thank you", "--author", "@jo",
                         "--label", "praise", "--variant", "0")
    assert code == 0
    assert out.startswith("@jo ") and out.count("\n") == 1
    assert "praise/" in err and "/280 on x" in err


def test_templates_check_passes_on_the_shipped_templates(run: Invoke) -> None:
    code, out, _ = run("templates", "check")
    assert code == 0, out
    assert out.startswith("ok: ") and "x, bluesky, mastodon, reddit" in out


def test_templates_check_fails_and_prints_every_violation(run: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    (folder / "praise").mkdir(parents=True)
    (folder / "praise" / "default.j2").write_text(
        "THANK YOU SO MUCH!!! Visit https://evil.example\n---\n" + "Thanks a lot. " * 30,
        encoding="utf-8")
    (folder / "stray").mkdir()
    (folder / "stray" / "oops.j2").write_text("hello", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[replies]\ntemplates_dir = "{folder.name}"\n', encoding="utf-8")
    code, out, err = run("--config", str(config), "templates", "check")
    assert code == 1
    assert "Shouts" in out and "exclamation" in out and "evil.example" in out
    assert "Too long for x" in out and "oops.j2: not used" in out
    assert "violation(s)" in err


def test_templates_check_bad_templates_dir_is_a_config_error(run: Invoke,
                                                             tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[replies]\ntemplates_dir = "nope"\n', encoding="utf-8")
    code, _, _ = run("--config", str(config), "templates", "check")
    assert code != 0


def _full(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        replies=RepliesSettings(signature="– Sam from the Northwind team",
                                support_url="https://help.northwind.example/contact/kettles",
                                status_url="https://status.northwind.example/incidents",
                                dm_wording="Reply to the direct message we have sent you",
                                brand_sends_dm=True,
                                response_window="within one working day"),
        incident=IncidentSettings(active=True, summary="the delay to orders shipped this week"),
    )


@pytest.mark.parametrize("name", ["demo", "full"])
def test_shipped_templates_pass_under_other_configs(name: str) -> None:
    settings = demo_settings()
    if name == "full":
        settings = _full(settings)
    assert check_templates(build_drafter(settings)) == []


def test_a_dm_claim_is_reported_unless_the_brand_sends_dms() -> None:
    # The old default wording claims an action nobody took: every draft using it is flagged.
    settings = demo_settings()
    claim = dataclasses.replace(settings.replies, dm_wording="We have sent you a DM")
    problems = check_templates(build_drafter(dataclasses.replace(settings, replies=claim)))
    assert problems and all("nobody sends DMs" in p for p in problems)
    sends = dataclasses.replace(claim, brand_sends_dm=True)
    assert not [p for p in check_templates(build_drafter(dataclasses.replace(
        settings, replies=sends))) if "nobody sends DMs" in p]


def _python_m(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_python_dash_m_templates_check_exit_codes(tmp_path: Path) -> None:
    result = _python_m("templates", "check")
    assert result.returncode == 0, result.stderr
    assert "ok:" in result.stdout
    (tmp_path / "tpl" / "neutral").mkdir(parents=True)
    (tmp_path / "tpl" / "neutral" / "default.j2").write_text("HELLO THERE!!", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[replies]\ntemplates_dir = "tpl"\n', encoding="utf-8")
    result = _python_m("--config", str(config), "templates", "check")
    assert result.returncode == 1
    assert "Shouts" in result.stdout and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "violation(s)" in result.stderr


@pytest.mark.parametrize("args", [("",), ("   ",), ("where is my order?", "--platform", "tiktok")])
def test_draft_refuses_empty_text_and_unknown_networks_with_exit_2(run: Invoke,
                                                                   args: tuple[str, ...]) -> None:
    """Issue 16, item 12: these exited 0 and printed a reply."""
    code, out, err = run("draft", *args)
    assert code == 2 and out == ""
    assert ("TEXT" in err) if not args[0].strip() else ("tiktok" in err and "mastodon" in err)


def test_draft_takes_any_installed_network_in_any_case(run: Invoke) -> None:
    code, _, err = run("draft", "my kettle broke", "--platform", "Bluesky")
    assert code == 0 and "/300 on bluesky" in err
