"""Cue matching: finds the words and phrases that VADER misses (requests, concrete problems,
venting, praise, resolutions, urgency) and returns them as counts plus reviewer-facing reasons.

Pure and allocation-light: one precompiled tokenising regex, one for reference numbers, and
dictionary lookups in the tables of `lexicon.py` for words and multi-word phrases (a phrase
is keyed by its first word, so a tweet costs one pass over its tokens). It must not decide a
label: `rules.py` does that from the `Cues` this module returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.classify.lexicon import (
    CLOSED,
    CONCRETE_WEIGHT,
    EMOJI_PRAISE,
    EMOJI_VENT,
    GREETINGS,
    HASHTAG_VENT,
    HASHTAG_VENT_WORDS,
    IMPERATIVE_CUE,
    IMPERATIVE_STARTS,
    INFO,
    KINDS,
    NEGATABLE,
    NEGATORS,
    OPEN,
    PHRASES,
    PRAISE,
    PRAISE_EMOJI,
    PROBLEM,
    QUESTION,
    QUESTION_CUE,
    QUESTION_STARTS,
    REFERENCE_CUE,
    REFERENCE_KEYS,
    REQUEST,
    RESOLVED,
    SARCASM,
    TENSE,
    TOKEN,
    URGENT,
    VENT,
    VENT_EMOJI,
    WORDS,
    Cue,
)
from monitor.text import straight_quotes

__all__ = ["CLOSED", "INFO", "KINDS", "OPEN", "PRAISE", "PROBLEM", "QUESTION", "REQUEST",
           "RESOLVED", "SARCASM", "URGENT", "VENT", "Cue", "Cues", "Signals", "find_cues",
           "find_signals", "normalise", "tokenize"]

# Order / booking / ticket / case numbers: "#4521", "order 123456", "booking ref ABC123".
_REFERENCE = re.compile(
    r"#\s?\d{3,}|\b(?:order|booking|ticket|confirmation|conf|reference|ref|case|claim|"
    r"tracking|reservation|pnr|record locator|file)\s*(?:no\.?|number|num|code|#|id)?\s*[:#]?\s*"
    r"(?=[a-z0-9-]*\d)[a-z0-9-]{5,}\b"
)
_SENTENCE_END = frozenset(".!?")
_PRAISE_EMOJI = re.compile(f"[{PRAISE_EMOJI}]")
_VENT_EMOJI = re.compile(f"[{VENT_EMOJI}]")

# Three signs that a complaint still needs the brand (the rubric's fix-request), found on the
# whole text rather than token by token. They are not cue weights: the head's features (and
# so the packaged model) stay as they were trained; `tuned.decide` reads them.
#
# A handle a brand runs for help: "@AppleSupport", "@AmazonHelp", "@comcastcares",
# "@GloCare", "@AskPlayStation", "@Ask_Spectrum", "@ATVIAssist", "@ArgosHelpers". Not an
# e-mail address ("bob@applesupport.com"); ".@AppleSupport" (a reply made public) is one.
_SUPPORT_HANDLE = re.compile(
    r"(?<![\w@])@(?:ask_?[a-z0-9]\w*|\w*?(?:support|help|helpers|care|cares|assist))\b",
    re.IGNORECASE)
_TAG = re.compile(r"@\w")  # any @handle at all
# A problem that has lasted a stated time and is still going on: "been down for almost 30
# mins", "it's been about a week", "on hold for 20 mins", "for the past few hours", "a week
# now", "... and counting". A bare "for 40 minutes" is not enough: "I waited on the phone for
# 40 minutes" is over.
_NUM = (r"(?:\d+\+?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
        r"(?:a\s+)?few|several|(?:a\s+)?couple(?:\s+of)?)")
_UNIT = r"(?:mins?|minutes?|hrs?|hours?|days?|wks?|weeks?|months?)\b"
_ONGOING = re.compile(
    rf"\bbeen\b[^.!?\n]{{0,40}}?\b{_NUM}\s*{_UNIT}"
    rf"|\b(?:past|last)\s+{_NUM}\s*{_UNIT}"
    rf"|\b{_NUM}\s*{_UNIT}\s+(?:now|and\s+counting)\b"
    r"|\band\s+counting\b"
    rf"|\bon\s+hold\s+(?:for\s+)?(?:over\s+|about\s+|almost\s+)?{_NUM}\s*{_UNIT}")
# An explicit ask for a fix or for help: "fix my connection", "fix this", "sort it out",
# "please help", "help me", "need help", "need someone to". Not when negated just before it
# ("you're not gonna help me", "couldn't fix it"): that reports a failure, it asks nothing.
_ASKS_HELP = re.compile(
    r"\b(?:fix|sort|resolve)\s+(?:this|that|it|my|the|your)\b|\bsort\s+(?:it|this|that)\s+out\b"
    r"|\bplease\s+(?:help|fix|sort|resolve|assist)\b|\bhelp\s+(?:me|us|please|pls|plz)\b"
    r"|\bneed\s+(?:help|someone\s+to|you\s+to)\b")
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|never|no|cannot)|n't)\W+(?:\w+\W+){0,2}$")


@dataclass(frozen=True, slots=True)
class Signals:
    """Whole-text signs that a post needs the brand to act (see `find_signals`)."""

    to_support: bool = False  # addressed to a support account ("@XCares my app crashes")
    ongoing: bool = False  # a problem lasting a stated time ("down for 30 mins now")
    asks_help: bool = False  # an explicit ask for a fix or help ("fix my connection")
    # Not a sign on its own, and never a reason: the post tags someone ("@pal", "@brand"),
    # so it is addressed to someone (the everyday gate in `tuned.py` leaves it alone).
    tags_someone: bool = False

    def reasons(self) -> tuple[str, ...]:
        return tuple(reason for on, reason in (
            (self.asks_help, "asks for help"), (self.ongoing, "still going on"),
            (self.to_support, "to a support account")) if on)


def _asks_help(lowered: str) -> bool:
    for hit in _ASKS_HELP.finditer(lowered):
        if _NEGATED_BEFORE.search(lowered, max(0, hit.start() - 30), hit.start()) is None:
            return True
    return False


def find_signals(text: str) -> Signals:
    """The `Signals` of a raw post (handles still in it)."""
    lowered = normalise(text)
    tagged = "@" in text
    return Signals(to_support=tagged and _SUPPORT_HANDLE.search(text) is not None,
                   ongoing=_ONGOING.search(lowered) is not None,
                   asks_help=_asks_help(lowered),
                   tags_someone=tagged and _TAG.search(text) is not None)


@dataclass(frozen=True, slots=True)
class Cues:
    """What the matcher found: a weight per kind and the reasons, in order of first appearance."""

    weights: tuple[float, ...]
    hits: tuple[tuple[int, str], ...]  # (kind, reason), first appearance order, no repeats
    tokens: int

    def reasons(self, kinds: frozenset[int]) -> tuple[str, ...]:
        return tuple(reason for kind, reason in self.hits if kind in kinds)

    def __getitem__(self, kind: int) -> float:
        return self.weights[kind]


# Every token the slow path of find_cues must look at; the rest take the fast path.
_INTERESTING = (frozenset(WORDS) | frozenset(PHRASES) | NEGATORS | IMPERATIVE_STARTS | GREETINGS
                | QUESTION_STARTS | REFERENCE_KEYS | frozenset(TENSE))


def normalise(text: str) -> str:
    """Lower case with typographic apostrophes folded, so one lexicon entry covers both."""
    return straight_quotes(text.lower())


def tokenize(lowered: str) -> list[str]:
    return TOKEN.findall(lowered)


def _hashtag_vent(tok: str) -> bool:
    return any(w in tok for w in HASHTAG_VENT_WORDS)


def _add(hits: list[tuple[int, str]], cue: Cue) -> None:
    item = (cue.kind, cue.reason)
    if item not in hits:
        hits.append(item)


def find_cues(words: list[str], lowered: str) -> Cues:
    """Scan the tokens of lower-cased text (see `normalise`, `tokenize`) once and weigh every
    cue they contain; `lowered` itself is searched for reference numbers.

    Negation looks back up to three tokens within the sentence, which is why "not great"
    counts as negated praise and "wasn't delayed" is not a problem.
    """
    weights = [0.0] * KINDS
    reasons: list[tuple[int, str]] = []
    n = len(words)
    i = 0
    sentence_start = True
    last_negator = -10
    need_reference = False
    interesting = _INTERESTING
    while i < n:
        tok = words[i]
        if tok not in interesting:
            # Fast path: most tokens are no cue at all; only punctuation and hashtags matter.
            first = tok[0]
            if first in _SENTENCE_END:
                if "?" in tok:
                    weights[QUESTION] += 1.0
                    _add(reasons, QUESTION_CUE)
                sentence_start = True
                last_negator = -10
            elif first == "#":
                if tok[1:2].isdigit():
                    need_reference = True
                elif len(tok) > 3 and _hashtag_vent(tok):
                    weights[VENT] += HASHTAG_VENT.weight
                    _add(reasons, HASHTAG_VENT)
                sentence_start = False
            elif first != "@":
                sentence_start = False
            i += 1
            continue
        if tok in REFERENCE_KEYS:
            need_reference = True
        cue: Cue | None = None
        step = 1
        candidates = PHRASES.get(tok)
        if candidates is not None:
            for rest, phrase_cue in candidates:
                k = len(rest)
                if tuple(words[i + 1:i + 1 + k]) == rest:
                    cue = phrase_cue
                    step = 1 + k
                    # A concrete fault ("not working", "never arrived", "charged twice") is
                    # open by nature: something the brand can still put right.
                    if cue.kind == PROBLEM and cue.weight >= CONCRETE_WEIGHT:
                        weights[OPEN] += 1.0
                    break
        if cue is None and tok[0] != "@":
            cue = WORDS.get(tok)
            if cue is not None and cue.kind in NEGATABLE and i - last_negator <= 3:
                cue = cue.negated
        if sentence_start:
            if tok in IMPERATIVE_STARTS and (cue is None or cue.kind != VENT):
                weights[REQUEST] += IMPERATIVE_CUE.weight
                _add(reasons, IMPERATIVE_CUE)
            elif tok in QUESTION_STARTS:
                weights[QUESTION] += 0.7
                _add(reasons, QUESTION_CUE)
        for j in range(i, i + step):  # every token of a matched phrase counts for tense
            tense = TENSE.get(words[j])
            if tense is not None:
                weights[tense[0]] += tense[1]
        if tok in NEGATORS:
            last_negator = i
        if cue is not None:
            weights[cue.kind] += cue.weight
            # Weak cues carry no reason: they tip a score but mean nothing to a reviewer.
            if cue.reason:
                _add(reasons, cue)
        # Handles ("@brand") and greetings are not words of the sentence's body; they do not
        # end its start.
        if tok[0] != "@" and tok not in GREETINGS:
            sentence_start = False
        i += step
    if need_reference and _REFERENCE.search(lowered) is not None:
        weights[REQUEST] += REFERENCE_CUE.weight
        _add(reasons, REFERENCE_CUE)
    if not lowered.isascii():  # emoji: one C-speed scan, and only for the rare non-ASCII post
        for pattern, cue in ((_PRAISE_EMOJI, EMOJI_PRAISE), (_VENT_EMOJI, EMOJI_VENT)):
            if pattern.search(lowered) is not None:
                weights[cue.kind] += cue.weight
                _add(reasons, cue)
    return Cues(weights=tuple(weights), hits=tuple(reasons), tokens=n)
