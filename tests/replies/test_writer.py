"""The optional writer model, against a fake OpenAI-compatible endpoint on 127.0.0.1: its
answer becomes the draft only when every house check passes; otherwise the template draft
stands and its note says why."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from monitor import config
from monitor.config import WriterSettings, demo_settings
from monitor.draft import build_drafter
from monitor.draft.compose import Composer
from monitor.draft.writer import ChatWriter, build_writer, endpoint, writer_client
from monitor.errors import ConfigError
from monitor.model import Classification, Label, Mention, Sentiment
from tests.adapters.fakeserver import FakeServer, Request, Response, json_response

POST = "@northwindkettles my kettle's lid snapped off after a week"


def completion(text: str) -> Response:
    return json_response({"id": "c1", "object": "chat.completion", "model": "m",
                          "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant", "content": text}}]})


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer().start()
    try:
        yield fake
    finally:
        fake.stop()


def compose(server: FakeServer, *, timeout: float = 5.0, environ: dict[str, str] | None = None,
            **writer: object) -> tuple[Composer, ChatWriter]:
    settings = demo_settings()
    settings = dataclasses.replace(settings, replies=dataclasses.replace(
        settings.replies, writer=WriterSettings(url=f"{server.url}/v1", model="qwen2.5:3b",
                                                timeout_seconds=timeout, **writer)))  # type: ignore[arg-type]
    replies = settings.replies
    built = build_writer(replies.writer, brand=settings.brand.name, environ=environ or {},
                         client=writer_client(replies.writer),
                         links=[u for u in (replies.support_url, replies.status_url) if u])
    assert built is not None
    return Composer(build_drafter(settings), writer=built), built


def mention() -> Mention:
    return Mention(feed="t", platform="mastodon", external_id="w1", text=POST,
                   author="@jo@example.social", created_at=datetime(2026, 11, 24, tzinfo=UTC))


def classified() -> Classification:
    return Classification(label=Label.FIX_REQUEST, sentiment=Sentiment(0.3, 0.7, 0, -0.5),
                          topic="product", priority=0.7, reasons=(), confidence=0.9,
                          evidence=("lid",))


def test_a_good_answer_becomes_the_draft_and_the_request_carries_what_it_needs(
        server: FakeServer) -> None:
    server.script(completion("<think>be kind</think>\"Sorry the lid came off so soon. Send us "
                             "a DM with a photo and we will put it right.\""))
    composer, writer = compose(server, api_key_env="LLM_KEY", environ={"LLM_KEY": "sekret"})
    template = composer.drafter.draft(mention(), classified())
    draft = composer.draft(mention(), classified())
    assert draft.text == ("@jo@example.social Sorry the lid came off so soon. Send us a DM with "
                          "a photo and we will put it right. ^NK")
    assert draft.template == f"writer/{template.template}" and draft.violations == ()
    assert draft.note == (f"written by the writer model (qwen2.5:3b) from template "
                          f"{template.template}")
    [request] = server.hits("/v1/chat/completions")
    assert request.method == "POST"
    assert request.headers["authorization"] == "Bearer sekret"
    body = json.loads(request.body)
    assert body["model"] == "qwen2.5:3b" and body["stream"] is False
    system, user = body["messages"]
    assert system["role"] == "system" and "Northwind Kettles" in system["content"]
    assert "https://northwind.example/help" in system["content"]
    facts = json.loads(user["content"])
    assert facts["post"] == POST and facts["label"] == "fix_request"
    assert facts["evidence"] == ["lid"] and facts["language"] == "en"
    assert facts["template_draft"] == template.text.removeprefix("@jo@example.social ")\
        .removesuffix(" ^NK")
    assert writer.host == "127.0.0.1"


@pytest.mark.parametrize(("answer", "why"), [
    ("We have sent you a DM about the lid.", "Says \"We have sent you a DM\""),
    ("Sorry! See https://elsewhere.example/lids for a new lid!", "Links to"),
    ("SORRY ABOUT THE LID. DM us please.", "Shouts in capitals"),
    ("Sorry, we will fix it right away. DM us.", "Promises \"right away\""),
    ("Sorry about that, ask @lidshop for a spare.", "Tags @lidshop"),
])
def test_an_answer_that_breaks_a_house_rule_leaves_the_template_draft(
        server: FakeServer, answer: str, why: str) -> None:
    server.script(completion(answer))
    composer, _ = compose(server)
    template = composer.drafter.draft(mention(), classified())
    draft = composer.draft(mention(), classified())
    assert (draft.text, draft.template) == (template.text, template.template)
    assert draft.note is not None
    assert draft.note.startswith("writer model answer refused: " + why)


@pytest.mark.parametrize(("response", "why"), [
    (Response(500, "boom"), "127.0.0.1 answered HTTP 500"),
    (json_response({"error": "no"}), "not an OpenAI-style chat completion"),
    (completion("   "), "the answer was empty"),
    (Response(302, "", {"Location": "https://elsewhere.example/v1/chat/completions"}),
     "redirected elsewhere"),
])
def test_a_failing_endpoint_leaves_the_template_draft_and_says_why(
        server: FakeServer, response: Response, why: str) -> None:
    server.script(response)
    composer, _ = compose(server)
    draft = composer.draft(mention(), classified())
    assert not draft.template.startswith("writer/")
    assert draft.note is not None and draft.note.startswith("writer model unavailable: ")
    assert why in draft.note
    assert len(server.requests) == 1  # the redirect was not followed


def test_a_time_out_pauses_the_writer_for_a_minute(server: FakeServer) -> None:
    def slow(_: Request) -> Response:
        return Response(200, b"{}", delay=1.0)

    server.route("POST", "/v1/chat/completions", slow)
    composer, writer = compose(server, timeout=0.2)
    now = [100.0]
    writer._clock = lambda: now[0]
    first = composer.draft(mention(), classified())
    assert first.note == "writer model unavailable: no answer from 127.0.0.1 within 0.2 s"
    second = composer.draft(mention(), classified())
    assert second.note is not None and "not asked again for a minute" in second.note
    assert len(server.requests) == 1
    now[0] += 61
    composer.draft(mention(), classified())
    assert len(server.requests) == 2


def test_explicit_wordings_never_go_to_the_writer(server: FakeServer) -> None:
    composer, _ = compose(server)
    composer.draft(mention(), classified(), variant=1)
    assert server.requests == []


def test_writer_settings_are_checked_and_the_key_must_be_set(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    for toml, key in (('[replies.writer]\nurl = "ftp://x"\nmodel = "m"\n', "replies.writer.url"),
                      ('[replies.writer]\nurl = "http://127.0.0.1:1/v1"\n',
                       "replies.writer.model"),
                      ('[replies.writer]\nurel = "x"\n', "replies.writer.urel"),
                      ('[replies.writer]\ntimeout_seconds = 0\n',
                       "replies.writer.timeout_seconds")):
        path.write_text(toml, encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            config.load(path)
        assert err.value.key == key
    path.write_text('[replies.writer]\nurl = "http://127.0.0.1:11434/v1"\nmodel = "m"\n'
                    'api_key_env = "NOPE"\n', encoding="utf-8")
    settings = config.load(path)
    assert settings.replies.writer.url == "http://127.0.0.1:11434/v1"
    assert endpoint(settings.replies.writer.url) == \
        "http://127.0.0.1:11434/v1/chat/completions"
    with pytest.raises(ConfigError, match="NOPE is not set"):
        build_writer(settings.replies.writer, brand="b", environ={},
                     client=httpx.Client())
    assert build_writer(WriterSettings(), brand="b", environ={}, client=httpx.Client()) is None


def test_the_writer_client_ignores_proxy_settings_and_redirects() -> None:
    client = writer_client(WriterSettings(url="http://127.0.0.1:1/v1", model="m"))
    try:
        assert client.follow_redirects is False
        assert client._trust_env is False
    finally:
        client.close()


def test_the_app_wires_the_writer_into_polling_and_closes_its_client(
        server: FakeServer, sqlite_url: str, tmp_path: Path) -> None:
    from monitor.app import App
    from monitor.store import queue as store_queue
    from tests.conftest import make_settings

    server.route("POST", "/v1/chat/completions",
                 lambda _: completion("Thanks for telling us. Send us a DM and we will look "
                                      "into it with you."))
    base = make_settings(sqlite_url, base_dir=str(tmp_path))
    settings = dataclasses.replace(base, replies=dataclasses.replace(
        base.replies, writer=WriterSettings(url=f"{server.url}/v1", model="m")))
    app = App(settings, environ={})
    try:
        app.migrate()
        [result] = app.poll_all()
        assert result.ok
        with app.engine.connect() as conn:
            items = store_queue.list_items(conn, store_queue.QueueFilter(), limit=500).items
        written = [i for i in items if i.draft and i.draft.template.startswith("writer/")]
        assert written and len(server.requests) >= len(written)
        assert all(i.draft and i.draft.note and i.draft.note.startswith(
            ("written by the writer model (m)", "writer model answer refused: "))
            for i in items if i.draft and not i.draft.template.startswith("by_hand/"))
        client = app.writer_http
    finally:
        app.close()
    assert client.is_closed
