"""Fixtures for the adapter tests: a fake API server on 127.0.0.1 and a short-time-out client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .fakenets import NOW
from .fakeserver import FakeServer

CLIENT_TIMEOUT = 0.3  # seconds: short, so the time-out tests stay fast


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer(now=NOW).start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=CLIENT_TIMEOUT) as http:
        yield http
