"""Fixtures for the classifier tests: one classifier per session (VADER loads once)."""

from __future__ import annotations

import pytest

from monitor.classify import Classifier, build_classifier
from monitor.config import BrandSettings, ClassifierSettings, Settings


@pytest.fixture(scope="session")
def clf() -> Classifier:
    return build_classifier(Settings(), kind="rules")


@pytest.fixture(scope="session")
def brand_clf() -> Classifier:
    brand = BrandSettings(
        name="Best Buy", handles=("@bestbuy",), keywords=("best buy", "bestbuy"),
        products=("geek squad",), exclude_terms=("best buy sign", "buy the best"),
    )
    return build_classifier(Settings(
        brand=brand,
        classifier=ClassifierSettings(kind="rules", topics={"delivery": ("curbside",)})))
