"""Classification of mentions: the Classifier protocol and the factory the app uses.

`build_classifier(settings)` builds the configured classifier once per process (VADER's
analyser is built here, never per mention). Classifiers are pure and deterministic and
never raise on any str. A classifier that is much cheaper on many texts at once also offers
`classify_many` (the BatchClassifier protocol); callers with many texts may use it.
This package must not import other components (store, draft, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from monitor.config import Settings
from monitor.errors import ConfigError
from monitor.model import Classification, ClassifyContext

__all__ = ["BatchClassifier", "Classifier", "build_classifier"]


@runtime_checkable
class Classifier(Protocol):
    name: str

    def classify(self, text: str, context: ClassifyContext | None = None) -> Classification:
        """Label, sentiment, topic, priority and reasons for one mention's text."""
        ...


@runtime_checkable
class BatchClassifier(Classifier, Protocol):
    def classify_many(self, texts: Sequence[str],
                      contexts: Sequence[ClassifyContext | None] | None = None
                      ) -> list[Classification]:
        """`classify` for each text (and its context, if given), in order."""
        ...


def build_classifier(settings: Settings, kind: str | None = None) -> Classifier:
    """The classifier `kind` (default: `settings.classifier.kind`) names: "model" (the
    default: rules, the packaged encoder and head, or the brand's own head at `model_path`),
    "rules", "learned" or "semantic"."""
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
        product_terms=brand.products,
    )
    kind = kind or cfg.kind
    if kind == "rules":
        return rules
    if kind == "model":
        from monitor.classify.tuned import load_model

        head = settings.resolve_path(cfg.model_path) if cfg.model_path else None
        if cfg.brand_head:  # the brand's own head (`complaint-monitor learn`) when there is one
            from monitor.classify.learn import usable_brand_head

            head = usable_brand_head(settings.resolve_path(cfg.brand_head)) or head
        try:
            return load_model(rules, head, gate=cfg.everyday_gate)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot load the classifier's model: {exc}",
                              key="classifier.model_path" if head else "classifier.kind",
                              path=settings.source) from exc
    if kind == "learned":
        if not cfg.model_path:
            raise ConfigError("the learned classifier needs a model file; run "
                              "scripts/train_learned.py and set it", key="classifier.model_path",
                              path=settings.source)
        from monitor.classify.learned import load_learned

        return load_learned(settings.resolve_path(cfg.model_path), fallback=rules,
                            source=settings.source)
    if kind == "semantic":
        if not cfg.model_path:
            raise ConfigError("the semantic classifier needs a model folder; run "
                              "scripts/train_semantic.py and set it",
                              key="classifier.model_path", path=settings.source)
        from monitor.classify.semantic import load_semantic

        return load_semantic(settings.resolve_path(cfg.model_path), fallback=rules,
                             source=settings.source)
    raise ConfigError(f"unknown classifier kind {kind!r}; use \"model\", \"rules\", "
                      "\"learned\" or \"semantic\"", key="classifier.kind",
                      path=settings.source)
