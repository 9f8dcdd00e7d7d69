"""The VADER sentiment scorer: the only module that imports vaderSentiment.

It builds `SentimentIntensityAnalyzer` once (about 6 ms, so once per classifier, never per
mention) and scores text with `_vader_fast.FastPolarity`, an exact re-implementation of
`polarity_scores` (same floats, bit for bit, 3 to 5 times faster on tweets) fed with the library's
own lexicon, emoji dict, rule tables and constants, so a library upgrade cannot silently
leave the two apart on data: tests/classify/test_vader_exact.py compares them.
It must not classify anything and must not raise: VADER is third-party code fed with
arbitrary user text, so if the fast path fails the library itself scores the text, and a
failure there is reported as an all-neutral score instead of taking the pipeline down.
"""

from __future__ import annotations

import string

from vaderSentiment import vaderSentiment as _vs
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitor.classify._vader_fast import FastPolarity
from monitor.model import Sentiment

NEUTRAL_SENTIMENT = Sentiment(neg=0.0, neu=1.0, pos=0.0, compound=0.0)


def fast_polarity(analyser: SentimentIntensityAnalyzer) -> FastPolarity:
    """The fast scorer over `analyser`'s lexicons and the library's module-level tables."""
    return FastPolarity(
        lexicon=analyser.lexicon, emojis=analyser.emojis, boosters=_vs.BOOSTER_DICT,
        negations=_vs.NEGATE, special_cases=_vs.SPECIAL_CASES, c_incr=_vs.C_INCR,
        n_scalar=_vs.N_SCALAR, punctuation=string.punctuation, normalize=_vs.normalize,
        but_check=SentimentIntensityAnalyzer._but_check,
        punct_emphasis=analyser._punctuation_emphasis)


class VaderScorer:
    """Wraps one analyser. `score` is pure from the caller's point of view (VADER keeps no
    state between calls) and deterministic."""

    __slots__ = ("_analyser", "_fast", "_polarity")

    def __init__(self) -> None:
        self._analyser = SentimentIntensityAnalyzer()
        # Bound once: the attribute lookup is measurable at this call rate.
        self._fast = fast_polarity(self._analyser).scores
        self._polarity = self._analyser.polarity_scores

    def score(self, text: str) -> Sentiment:
        if not text or text.isspace():
            return NEUTRAL_SENTIMENT
        try:
            return Sentiment(*self._fast(text))
        except Exception:  # a bug in the fast path must not cost the score: ask the library
            return self.library_score(text)

    def library_score(self, text: str) -> Sentiment:
        """The library's own `polarity_scores`, same contract as `score`: the reference
        the fast path is tested and benched against."""
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
