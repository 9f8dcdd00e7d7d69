"""Fixtures for the drafter tests: settings with links and a product list, a drafter built from
them (and the same without a support page), and small builders for mentions and
classifications."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from monitor.config import BrandSettings, RepliesSettings, Settings, demo_settings
from monitor.draft import TemplateDrafter, build_drafter
from monitor.model import Classification, Label, Mention, Sentiment

MakeMention = Callable[..., Mention]
MakeClass = Callable[..., Classification]


@pytest.fixture
def settings() -> Settings:
    base = demo_settings()
    return dataclasses.replace(
        base,
        brand=BrandSettings(name="Northwind Kettles", handles=("@northwindkettles",),
                            keywords=("northwind",), products=("Aurora", "Aurora Pro", "Brewmate")),
        replies=RepliesSettings(signature="^NK", support_url="https://northwind.example/help",
                                status_url="https://status.northwind.example",
                                dm_wording="Send us a DM",
                                response_window="within one working day"),
    )


@pytest.fixture
def drafter(settings: Settings) -> TemplateDrafter:
    return build_drafter(settings)


@pytest.fixture
def no_support_page(drafter: TemplateDrafter) -> TemplateDrafter:
    """The same drafter for a brand with no support page configured (as in the blind
    readings), where questions are handed off or answered from the post alone."""
    return TemplateDrafter(brand=drafter.brand,
                           replies=dataclasses.replace(drafter.replies, support_url=""),
                           incident=drafter.incident, library=drafter.library,
                           check_below=drafter.check_below)


@pytest.fixture
def mention() -> MakeMention:
    def make(text: str = "my order never arrived", *, platform: str = "x",
             author: str = "@jo_smith", external_id: str = "1", **extra: object) -> Mention:
        return Mention(feed="t", platform=platform, external_id=external_id, text=text,
                       author=author, created_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
                       **extra)  # type: ignore[arg-type]
    return make


@pytest.fixture
def classified() -> MakeClass:
    def make(label: str = "fix_request", topic: str = "delivery", *,
             evidence: tuple[str, ...] = (), language: str = "en",
             confidence: float = 1.0) -> Classification:
        return Classification(label=Label(label), sentiment=Sentiment(0.3, 0.7, 0.0, -0.6),
                              topic=topic, priority=0.7, reasons=("test",), evidence=evidence,
                              language=language, confidence=confidence)
    return make
