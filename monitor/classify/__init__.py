"""Classification of mentions: the Classifier protocol and the factory the app uses.

`build_classifier(settings)` builds the configured classifier once per process (VADER's
analyser is built here, never per mention). Classifiers are pure and deterministic and
never raise on any str. This package must not import other components (store, draft, ...).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from monitor.config import Settings
from monitor.errors import ConfigError
from monitor.model import Classification, ClassifyContext

__all__ = ["Classifier", "build_classifier"]


@runtime_checkable
class Classifier(Protocol):
    name: str

    def classify(self, text: str, context: ClassifyContext | None = None) -> Classification:
        """Label, sentiment, topic, priority and reasons for one mention's text."""
        ...


def build_classifier(settings: Settings) -> Classifier:
    """The classifier `settings.classifier.kind` names ("rules", the default, or "learned")."""
    from monitor.classify.rules import RulesClassifier
    from monitor.classify.topic import TopicMatcher
    from monitor.classify.vader import VaderScorer

    brand = settings.brand
    cfg = settings.classifier
    topics = TopicMatcher(cfg.topics, brand.products)
    rules = RulesClassifier(
        VaderScorer(), topics,
        brand_terms=(*brand.keywords, *brand.handles, brand.name),
        exclude_terms=brand.exclude_terms,
    )
    if cfg.kind == "rules":
        return rules
    if cfg.kind == "learned":
        if not cfg.model_path:
            raise ConfigError("the learned classifier needs a model file; run "
                              "scripts/train_learned.py and set it", key="classifier.model_path",
                              path=settings.source)
        from monitor.classify.learned import load_learned

        return load_learned(settings.resolve_path(cfg.model_path), fallback=rules,
                            source=settings.source)
    raise ConfigError(f"unknown classifier kind {cfg.kind!r}; use \"rules\" or \"learned\"",
                      key="classifier.kind", path=settings.source)
