"""The VADER sentiment scorer: the only module that imports vaderSentiment.

It builds `SentimentIntensityAnalyzer` once (about 6 ms, so once per classifier, never per
mention) and turns its dict into a `Sentiment`. It must not classify anything and must not
raise: VADER is third-party code fed with arbitrary user text, so a failure inside it is
reported as an all-neutral score instead of taking the pipeline down.
"""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitor.model import Sentiment

NEUTRAL_SENTIMENT = Sentiment(neg=0.0, neu=1.0, pos=0.0, compound=0.0)


class VaderScorer:
    """Wraps one analyser. `score` is pure from the caller's point of view (VADER keeps no
    state between calls) and deterministic."""

    __slots__ = ("_analyser", "_polarity")

    def __init__(self) -> None:
        self._analyser = SentimentIntensityAnalyzer()
        # Bound once: the attribute lookup is measurable at 20 µs per call.
        self._polarity = self._analyser.polarity_scores

    def score(self, text: str) -> Sentiment:
        if not text or text.isspace():
            return NEUTRAL_SENTIMENT
        try:
            s = self._polarity(text)
            return Sentiment(s["neg"], s["neu"], s["pos"], s["compound"])
        except Exception:  # third-party code on hostile text must not crash the pipeline
            return NEUTRAL_SENTIMENT

    def compound(self, text: str) -> float:
        """Bare compound score, for baselines in evaluation and benches."""
        return self.score(text).compound
