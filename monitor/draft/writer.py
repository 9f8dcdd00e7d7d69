"""The optional writer model: an OpenAI-compatible chat endpoint the brand runs itself
(Ollama, vLLM, llama.cpp's server) asked to rewrite a template draft for one post.

Off unless `[replies.writer] url` is set. The post, its label, the topic evidence and the
template draft leave the process for that endpoint, and only for it: requests go to the
configured URL alone, redirects are refused, proxy settings from the environment are not
used. Whatever comes back is only a candidate: the caller (monitor.draft.compose) runs every
house check on it and keeps the template draft when one fails.

This is the one drafting module that does network I/O. Failures are raised as WriterFailed
with a reason a reviewer can read; after a connection failure or a time-out the endpoint is
left alone for `PAUSE_SECONDS`, so a dead server does not slow every poll.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from monitor.config import WriterSettings, secret
from monitor.errors import DraftError

PAUSE_SECONDS = 60.0
MAX_ANSWER_CHARS = 4000
_THINK = re.compile(r"(?is)<think>.*?</think>")


class WriterFailed(DraftError):
    """The writer model gave no usable answer; the message says why, for the item's note."""


@dataclass(frozen=True, slots=True)
class WriterRequest:
    post: str
    label: str
    topic: str
    evidence: tuple[str, ...]
    language: str
    draft: str  # the template draft's body, without handle and signature
    limit: int  # the network's length limit, in characters


def endpoint(url: str) -> str:
    """The chat-completions URL for a configured base URL ("http://h:11434/v1")."""
    base = url.strip().rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def system_prompt(brand: str, links: Sequence[str], sends_dm: bool) -> str:
    allowed = ", ".join(links) if links else "none"
    dm = ("You may say a DM was sent only if the template draft says so."
          if sends_dm else "Never say that a DM or message was sent: invite them to send one.")
    return (
        f"You draft replies to social media posts for {brand}'s customer care team. A person "
        "reviews every reply before it is sent. Rewrite the template draft so that it fits "
        "this customer's post, keeping its next step. Rules: write in the post's language; "
        "name only what the post itself states, never a problem, order, product or detail it "
        "does not; apologise once and plainly for a complaint aimed at us, never for a "
        "question or praise; thank praise for what was praised; for a problem or a question "
        f"give one easy next step; {dm} Give no deadline and promise nothing. No capitals for "
        "emphasis, at most one exclamation mark and only in a thank-you, no hashtags, no "
        f"@handles, no links except: {allowed}. Do not quote the customer's words back. "
        "Answer with the reply text only: no handle, no signature, no quotation marks."
    )


class ChatWriter:
    """Asks one OpenAI-compatible endpoint for a rewritten draft."""

    def __init__(self, settings: WriterSettings, *, brand: str, client: httpx.Client,
                 api_key: str | None = None, links: Sequence[str] = (),
                 sends_dm: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.url = endpoint(settings.url)
        self.host = urlsplit(self.url).hostname or ""
        self.model = settings.model
        self._client = client
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._system = system_prompt(brand, links, sends_dm)
        self._clock = clock
        self._lock = threading.Lock()
        self._paused_until = 0.0
        self._pause_reason = ""

    def _pause(self, reason: str) -> WriterFailed:
        with self._lock:
            self._paused_until = self._clock() + PAUSE_SECONDS
            self._pause_reason = reason
        return WriterFailed(reason)

    def messages(self, request: WriterRequest) -> list[dict[str, str]]:
        facts = {"post": request.post[:4000], "label": request.label, "topic": request.topic,
                 "evidence": list(request.evidence), "language": request.language,
                 "template_draft": request.draft,
                 "max_characters": max(80, request.limit - 40)}
        return [{"role": "system", "content": self._system},
                {"role": "user", "content": json.dumps(facts, ensure_ascii=False)}]

    def write(self, request: WriterRequest) -> str:
        """The model's reply body; WriterFailed with the reason otherwise."""
        with self._lock:
            if self._clock() < self._paused_until:
                raise WriterFailed(f"{self._pause_reason} (not asked again for a minute)")
        payload = {"model": self.model, "messages": self.messages(request),
                   "max_tokens": self.settings.max_tokens, "temperature": 0.2,
                   "stream": False}
        try:
            response = self._client.post(self.url, json=payload, headers=self._headers,
                                         timeout=self.settings.timeout_seconds)
        except httpx.TimeoutException:
            raise self._pause(f"no answer from {self.host} within "
                              f"{self.settings.timeout_seconds:g} s") from None
        except httpx.HTTPError as exc:
            raise self._pause(f"cannot reach {self.host} ({type(exc).__name__})") from exc
        if response.is_redirect:
            raise WriterFailed(f"{self.host} redirected elsewhere; only the configured "
                               "address is used")
        if response.status_code != 200:
            raise WriterFailed(f"{self.host} answered HTTP {response.status_code}")
        return parse_answer(response)


def parse_answer(response: httpx.Response) -> str:
    try:
        data: Any = response.json()
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise WriterFailed("the answer was not an OpenAI-style chat completion") from None
    if not isinstance(content, str):
        raise WriterFailed("the answer held no text")
    text = _THINK.sub("", content).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'“”":
        text = text[1:-1].strip()
    text = " ".join(text.split())
    if not text:
        raise WriterFailed("the answer was empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise WriterFailed(f"the answer was longer than {MAX_ANSWER_CHARS} characters")
    return text


def writer_client(settings: WriterSettings) -> httpx.Client:
    """An HTTP client for the writer: it follows no redirects and ignores proxy environment
    variables, so posts go to the configured host and nowhere else."""
    timeout = settings.timeout_seconds
    return httpx.Client(follow_redirects=False, trust_env=False,
                        timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)))


def build_writer(settings: WriterSettings, *, brand: str, environ: Mapping[str, str],
                 client: httpx.Client, links: Sequence[str] = (),
                 sends_dm: bool = False) -> ChatWriter | None:
    """The configured writer, or None while `url` is empty (the API key, if any, is read
    from the environment variable `api_key_env` names)."""
    if not settings.url:
        return None
    api_key = None
    if settings.api_key_env:
        api_key = secret(settings.api_key_env, environ, key="replies.writer.api_key_env")
    return ChatWriter(settings, brand=brand, client=client, api_key=api_key, links=links,
                      sends_dm=sends_dm)
