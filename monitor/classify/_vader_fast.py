"""VADER's `polarity_scores` re-done without its waste, giving bit-for-bit the same floats.

vaderSentiment 3.3.2 spends most of its time on work that does not change the result:
rebuilding the text one character at a time to look for emojis, lower-casing the whole word
list again for every lexicon word (twice, in `_negation_check` and `_special_idioms_check`),
building one-element lists for `negated`, lower-casing the same word up to ten times.
`FastPolarity` lower-cases each word once and then runs the library's rules on that list
with the same arithmetic in the same order (same operands, same int/float types, same
rounding), so every score is identical, not merely close; tests/classify/test_vader_exact.py
checks that against the library on every text of the shared data and on generated text.

It must not import vaderSentiment (only vader.py does): the lexicon, the emoji dict, the rule
tables and the few library functions it still calls (`normalize`, `_but_check`,
`_punctuation_emphasis`) are handed in by the caller. It keeps no state between calls.

One fact it relies on: `str.lower` is idempotent (checked over every code point by the
tests), so the library's lower-casing of already lower-cased words changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

# neg, neu, pos, compound: the library's dict as a tuple, rounded as it rounds them.
Scores = tuple[float, float, float, float]

# Text with no word of the lexicon: every sentiment is 0, so the library computes exactly
# these (compound normalize(0.0) = 0.0, neu = n / n = 1.0).
NO_HITS: Scores = (0.0, 1.0, 0.0, 0.0)
EMPTY: Scores = (0.0, 0.0, 0.0, 0.0)
# A noncharacter that marks where an emoji was while its description is put in.
MARK = "\uffff"


def cap_differential(words: list[str]) -> bool:
    """`allcap_differential`: some but not all of the words are ALL CAPS."""
    n = len(words)
    return 0 < n - sum(map(str.isupper, words)) < n


class FastPolarity:
    """`scores(text)` equals the library's `polarity_scores(text)` values, field by field."""

    __slots__ = ("_boosters", "_but_check", "_c_incr", "_emoji_ascii", "_emoji_chars",
                 "_emoji_table", "_emoji_translate", "_emojis",
                 "_idiom_words", "_least_free", "_lexicon", "_n_scalar", "_negations",
                 "_normalize", "_punct_emphasis", "_punctuation", "_scored",
                 "_special_cases")

    def __init__(
        self, *, lexicon: Mapping[str, float], emojis: Mapping[str, str],
        boosters: Mapping[str, float], negations: Iterable[str],
        special_cases: Mapping[str, float], c_incr: float, n_scalar: float,
        punctuation: str, normalize: Callable[[float], float],
        but_check: Callable[[list[str], list[float]], list[float]],
        punct_emphasis: Callable[[str], float],
    ) -> None:
        self._lexicon = lexicon
        self._boosters = boosters
        self._negations = frozenset(negations)
        self._special_cases = special_cases
        self._c_incr = c_incr
        self._n_scalar = n_scalar
        self._punctuation = punctuation
        self._normalize = normalize
        self._but_check = but_check
        self._punct_emphasis = punct_emphasis
        self._emojis = emojis
        # The library tests each *character* against the emoji dict, so only one-character
        # keys can ever match (the multi-character ones, skin tones and keycaps, never do).
        # All of them are non-ASCII (the lowest is U+00A9), so ASCII text skips the search.
        singles = {k: d for k, d in emojis.items() if len(k) == 1}
        self._emoji_chars = frozenset(singles)
        self._emoji_ascii = any(k.isascii() for k in singles)
        # For `str.translate`: each emoji becomes MARK + description; see `_replace_emojis`.
        self._emoji_table = {ord(k): MARK + d for k, d in singles.items()}
        self._emoji_translate = all(d and d[-1] != " " and MARK not in d
                                    for d in singles.values())
        # Words that get a valence of their own: in the lexicon and not a booster (the
        # library gives boosters 0 before it looks at the lexicon).
        self._scored = frozenset(w for w in lexicon if w not in boosters)
        # Every idiom or booster n-gram the library looks up is made of these words; a
        # window without any of them cannot match, so the string building is skipped.
        self._idiom_words = frozenset(
            w for key in (*special_cases, *boosters) if " " in key for w in key.split(" "))
        # `_least_check` requires the word before not to be in the lexicon.
        self._least_free = "least" not in lexicon

    def _replace_emojis(self, text: str) -> str:
        """The library's emoji loop: each emoji character becomes its description, with a
        space before it unless the character the loop emitted last was a space (after a
        description it never is) or it is the first character."""
        if self._emoji_translate and MARK not in text:
            # In C: emoji -> MARK + description, then decide each MARK by what precedes
            # it, which is the original previous character or the end of a description
            # (never a space: checked in __init__).
            out = text.translate(self._emoji_table).replace(" " + MARK, " ")
            if out.startswith(MARK):
                out = out[1:]
            return out.replace(MARK, " ")
        emojis = self._emojis
        parts: list[str] = []
        prev_space = True
        for ch in text:
            if ch in self._emoji_chars:
                if not prev_space:
                    parts.append(" ")
                parts.append(emojis[ch])
                prev_space = False
            else:
                parts.append(ch)
                prev_space = ch == " "
        return "".join(parts)

    def scores(self, text: str) -> Scores:
        if ((self._emoji_ascii or not text.isascii())
                and not self._emoji_chars.isdisjoint(text)):
            text = self._replace_emojis(text)
        # The library strips the text before splitting; split() ignores the same outer
        # whitespace, and the later '!' and '?' counts cannot see it either.
        punct = self._punctuation
        words = [tok if len(core := tok.strip(punct)) <= 2 else core for tok in text.split()]
        n = len(words)
        if not n:
            return EMPTY
        lw = list(map(str.lower, words))
        scored = self._scored
        hits = [i for i, w in enumerate(lw) if w in scored]
        if not hits:
            return NO_HITS

        lex = self._lexicon
        boosters = self._boosters
        c_incr = self._c_incr
        n_scalar = self._n_scalar
        negations = self._negations
        idiom_words = self._idiom_words
        least_free = self._least_free
        last = n - 1
        sentiments: list[float] = [0] * n  # the library appends int 0 for unscored words

        for i in hits:
            lw_i = lw[i]
            if lw_i == "kind" and i < last and lw[i + 1] == "of":
                continue
            valence = lex[lw_i]
            if lw_i == "no" and i != last and lw[i + 1] in lex:
                valence = 0.0
            if ((i > 0 and lw[i - 1] == "no") or (i > 1 and lw[i - 2] == "no")
                    or (i > 2 and lw[i - 3] == "no" and lw[i - 1] in ("or", "nor"))):
                valence = lex[lw_i] * n_scalar
            # allcap_differential only matters next to an ALL-CAPS word: computed there.
            if words[i].isupper() and cap_differential(words):
                if valence > 0:
                    valence += c_incr
                else:
                    valence -= c_incr

            # start_i == 0: the word just before.
            if i > 0 and (w1 := lw[i - 1]) not in lex:
                s = self._scalar(w1, words[i - 1], valence, words) if w1 in boosters else 0.0
                valence = valence + s
                if w1 in negations or "n't" in w1:
                    valence = valence * n_scalar
            # start_i == 1: two words before.
            if i > 1 and (w2 := lw[i - 2]) not in lex:
                s = self._scalar(w2, words[i - 2], valence, words) if w2 in boosters else 0.0
                if s != 0:
                    s = s * 0.95
                valence = valence + s
                w1 = lw[i - 1]
                if w2 == "never" and (w1 == "so" or w1 == "this"):
                    valence = valence * 1.25
                elif w2 == "without" and w1 == "doubt":
                    pass
                elif w2 in negations or "n't" in w2:
                    valence = valence * n_scalar
            # start_i == 2: three words before, then the idioms.
            if i > 2 and (w3 := lw[i - 3]) not in lex:
                s = self._scalar(w3, words[i - 3], valence, words) if w3 in boosters else 0.0
                if s != 0:
                    s = s * 0.9
                valence = valence + s
                w2 = lw[i - 2]
                w1 = lw[i - 1]
                if (w3 == "never" and (w2 == "so" or w2 == "this")) or (
                        w1 == "so" or w1 == "this"):
                    valence = valence * 1.25
                elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                    pass
                elif w3 in negations or "n't" in w3:
                    valence = valence * n_scalar
                # Every sequence `_special_idioms_check` builds contains word i-2, i-1 or i.
                if w2 in idiom_words or w1 in idiom_words or lw_i in idiom_words:
                    valence = self._idioms(valence, lw, i)

            # _least_check
            if i > 1 and least_free and lw[i - 1] == "least":
                if lw[i - 2] != "at" and lw[i - 2] != "very":
                    valence = valence * n_scalar
            elif i > 0 and least_free and lw[i - 1] == "least":
                valence = valence * n_scalar
            sentiments[i] = valence

        if "but" in lw:
            # The library's own `_but_check` (it finds positions with list.index on the
            # values, a quirk worth keeping exactly); it lower-cases `words` itself.
            sentiments = self._but_check(words, sentiments)
            nonzero: Sequence[float] = sentiments
        else:
            nonzero = [sentiments[i] for i in hits]
        return self._score_valence(sentiments, nonzero, text)

    def _scalar(self, word_lower: str, word: str, valence: float, words: list[str]) -> float:
        """`scalar_inc_dec` for a booster word (any other word gives 0.0)."""
        scalar = self._boosters[word_lower]
        if valence < 0:
            scalar *= -1
        if word.isupper() and cap_differential(words):
            if valence > 0:
                scalar += self._c_incr
            else:
                scalar -= self._c_incr
        return scalar

    def _idioms(self, valence: float, lw: list[str], i: int) -> float:
        """`_special_idioms_check` on the already lower-cased words (i > 2 here)."""
        special = self._special_cases
        onezero = f"{lw[i - 1]} {lw[i]}"
        twoonezero = f"{lw[i - 2]} {lw[i - 1]} {lw[i]}"
        twoone = f"{lw[i - 2]} {lw[i - 1]}"
        threetwoone = f"{lw[i - 3]} {lw[i - 2]} {lw[i - 1]}"
        threetwo = f"{lw[i - 3]} {lw[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        if len(lw) - 1 > i:
            zeroone = f"{lw[i]} {lw[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
        if len(lw) - 1 > i + 1:
            zeroonetwo = f"{lw[i]} {lw[i + 1]} {lw[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        boosters = self._boosters
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in boosters:
                valence = valence + boosters[n_gram]
        return valence

    def _score_valence(self, sentiments: list[float], nonzero: Sequence[float],
                       text: str) -> Scores:
        """`score_valence` for a non-empty list. `nonzero` holds every non-zero entry of
        `sentiments` in order (zeros add nothing to either sum)."""
        sum_s = float(sum(sentiments))
        punct_emph_amplifier = self._punct_emphasis(text)
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        compound = self._normalize(sum_s)

        pos_sum = 0.0
        neg_sum = 0.0
        for score in nonzero:
            if score > 0:
                pos_sum += (float(score) + 1)
            elif score < 0:
                neg_sum += (float(score) - 1)
        neu_count = sentiments.count(0)  # == 0 like the library's test: 0, 0.0 and -0.0

        if pos_sum > math.fabs(neg_sum):
            pos_sum += punct_emph_amplifier
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= punct_emph_amplifier
        total = pos_sum + math.fabs(neg_sum) + neu_count
        pos = math.fabs(pos_sum / total)
        neg = math.fabs(neg_sum / total)
        neu = math.fabs(neu_count / total)
        return (round(neg, 3), round(neu, 3), round(pos, 3), round(compound, 4))
