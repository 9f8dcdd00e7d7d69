"""A package declaring an entry point in `complaint_monitor.adapters` becomes a new feed kind:
install the example plugin from the repo into a temporary folder and use it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from monitor.adapters.registry import Registry

from .cases import make
from .fakeserver import FakeServer, json_response

PLUGIN = Path(__file__).resolve().parents[2] / "examples" / "adapter-plugin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("plugin-site")
    # Built from a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = tmp_path_factory.mktemp("plugin-src") / "adapter-plugin"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    # --no-build-isolation: build with the venv's setuptools, so no network is needed.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    return target


def test_installed_plugin_appears_as_a_kind(installed: Path, monkeypatch: pytest.MonkeyPatch,
                                            server: FakeServer, client: httpx.Client) -> None:
    assert "jsonfeed" not in Registry().kinds()
    monkeypatch.syspath_prepend(str(installed))
    registry = Registry()
    assert "jsonfeed" in registry.kinds()
    assert {"mastodon", "bluesky", "reddit", "hackernews", "rss", "x"} <= set(registry.kinds())

    server.route("GET", "/feed.json", lambda _req: json_response({
        "version": "https://jsonfeed.org/version/1.1", "title": "Acme watch",
        "items": [{"id": "post-1", "url": "https://blog.example.org/1",
                   "content_html": "<p>Acme &amp; the late refund</p>",
                   "date_published": "2026-11-24T09:00:00+01:00",
                   "authors": [{"name": "Sam"}]}]}, ETag='"v1"'))
    adapter = make("jsonfeed", {"url": f"{server.url}/feed.json"}, client)
    page = adapter.fetch(None)
    mention = adapter.normalise(page.items[0])
    assert (mention.external_id, mention.text, mention.author) == (
        "post-1", "Acme & the late refund", "Sam")
    assert mention.created_at.isoformat() == "2026-11-24T08:00:00+00:00"
    assert page.cursor == {"etag": '"v1"'}
