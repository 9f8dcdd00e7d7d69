"""Which language a post is written in: an ISO 639-1 code, from py3langid's n-gram model.

Built once per process (the model loads in about a tenth of a second; a post then takes
about 20 microseconds). Short or mixed posts are often ambiguous ("UK plug?", "lol"): below
`min_probability` the configured default language answers, so a terse English post is not
sent to a Spanish rule set on the strength of three letters. It never raises on any str.
This module must not import other components.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The languages the identifier chooses among: the ones the product classifies and drafts in,
# plus the commonest others on social media, so a Dutch or Italian post is named as such
# (and gets "reply by hand") instead of being forced into the nearest supported language.
CANDIDATES: tuple[str, ...] = (
    "en", "es", "fr", "de", "pt", "it", "nl", "sv", "da", "no", "pl", "tr", "ru", "uk",
    "ar", "he", "hi", "ja", "ko", "zh", "id", "ms", "tl", "vi", "th", "el", "cs", "ro", "hu",
    "fi", "ca",
)
UNKNOWN = "und"
MIN_LETTERS = 12  # fewer letters than this (after handles and links are removed): default
_NOISE = re.compile(r"(?:https?://\S+)|(?:[@#]\w+)")


class LanguageDetector:
    def __init__(self, default: str = "en", min_probability: float = 0.8,
                 candidates: Iterable[str] = CANDIDATES) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._ident: Any = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._ident.set_languages(list(candidates))
        self._default = default
        self._min = min_probability

    def detect(self, text: str) -> str:
        """The post's language, or the default when the text is too short or too mixed to
        tell."""
        try:
            body = _NOISE.sub(" ", str(text)[:2000])
            if sum(ch.isalpha() for ch in body) < MIN_LETTERS:
                return self._default
            code, probability = self._ident.classify(body)
        except Exception:  # a classifier must never raise on odd input
            return self._default
        return str(code) if probability >= self._min else self._default
