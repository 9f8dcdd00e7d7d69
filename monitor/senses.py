"""Word senses shared by the classifier's topics and the drafter: whether a post names a topic
word only in another sense ("$560 down" is a price, not an outage) or only to rule it out
("it's not my internet"). Pure functions over text; no I/O, no state.

`classify.topic` (the topic and its evidence), `draft.drafter` (the words a draft may name)
and `draft.grounding` (the topics a post states, for the never-invent check on drafts and
edits) read it, so the queue's topic, the draft's wording and the check never disagree about a
word. It must not import any component.
"""

from __future__ import annotations

import re

from monitor.text import straight_quotes

_MEDIUM = frozenset({"internet", "web", "online"})
_TRAVEL = re.compile(r"(?i)\b(?:flights?|plane|pilot|boarded|boarding|gate|runway|tarmac|"
                     r"train|bus|terminal)\b")
# "Down" in the sense of an outage: something is, went or has been down, or is down now, again
# or since a time. Tune readings marked "what do you see: an error?" wrong under "shouting
# obscenities down the mic" (a hijacked meeting) and "$560 down today" (a price).
_DOWN_OUTAGE = re.compile(
    r"(?i)\b(?:is|are|was|were|be|been|being|went|go|goes|going|gone|it'?s|its|still|all|"
    r"completely|totally|service|site|app|servers?|internet|network|wifi|system|website|"
    r"page|line|lines|network's)\s+(?:\w+\s+)?down\b|\bdown\s*(?:again|for|since|today|tonight|"
    r"now|right now|in|across|all day|\?|!|\.|,|$)")
_DOWN_NOT_OUTAGE = re.compile(
    r"(?i)(?:[$£€]\s?\d[\d,.]*k?|\b(?:nothing|zero|money)) down\b|\bdown ?payment|"
    r"\b(?:let|letting|lets|calm|calmed|turn|turned|shut|broke|broken|breaks|breaking|slow|"
    r"slowed|sit|sat|lie|lay|put|back|hold|held|write|wrote|mark|marked|step|stepped|walk|"
    r"walked|run|ran|look|looked|upside) (?:\w+ )?down\b")
# "Hacked" names an account only when an account was hacked: not a video meeting, call or
# stream someone broke into ("just been in a meeting that was hacked - shouting obscenities
# down the mic" was drafted as a locked account, with the account recovery steps).
_HACKED_NOT_ACCOUNT = re.compile(
    r"(?i)\b(?:meeting|call|webinar|class|lecture|lesson|session|stream|livestream|"
    r"conference|presentation)s? (?:that |which )?(?:was|were|got|gets|has been|had been|"
    r"have been|is being|being) (?:\w+ )?hacked\b|\bhacked (?:into )?(?:our|my|the|a|this|"
    r"their) (?:\w+ )?(?:meeting|call|webinar|class|lecture|lesson|session|stream|"
    r"conference|presentation)s?\b")
_ACCOUNT_WORDS = re.compile(r"(?i)\b(?:account|accounts|e-?mail|profile|password|log ?in|"
                            r"sign ?in|card)\b")
# What a text must hold for `ruled_out` to rule any word out: a cheap test that spares the
# classifier's topic matcher the regular expressions on most posts.
_NEGATIONS = ("not ", "isn", "wasn", "nothing wrong")
_SENSES = frozenset({"down", "hold", "arrived", "arrive", "arriving", "hacked", *_MEDIUM})


def may_rule_out(words: frozenset[str], lowered: str) -> bool:
    """False when `ruled_out` is False for every word in `words` of this (lower-cased) text,
    without running it: no word with a second sense and no negation."""
    return not _SENSES.isdisjoint(words) or any(n in lowered for n in _NEGATIONS)


def ruled_out(word: str, text: str) -> bool:
    """Whether `text` names `word` only to rule it out ("it's not my internet, it's plugged
    into the box") or, for the internet, as where something else happens ("no time to go
    through lots of pages on internet"): readings marked "sorry about your internet" under
    both wrong, and "still connected to the internet" is no outage. "Down" counts only in the
    sense of an outage (`_DOWN_OUTAGE`), "hold" not for parcels held for later, and
    "hacked" not for a meeting or call someone broke into."""
    key = word.lower()
    text = straight_quotes(text)  # "it isn’t my internet", as phones type it
    if key == "down":
        return bool(_DOWN_NOT_OUTAGE.search(text)) or not _DOWN_OUTAGE.search(text)
    w = re.escape(word)
    if re.search(rf"(?i)\b(?:not|isn'?t|wasn'?t|nothing wrong with) (?:my|the|our|your) {w}\b",
                 text):
        return True
    if key == "hold":
        # On hold to an agent, not "used My Choice to hold two packages" (a reading marked
        # "how you got in touch" under that wrong).
        return bool(re.search(r"(?i)\bhold (?:\w+ ){0,2}(?:packages?|parcels?|deliver\w*|mail|"
                              r"orders?|items?|shipments?)\b", text))
    if key == "hacked":
        return bool(_HACKED_NOT_ACCOUNT.search(text)) and not _ACCOUNT_WORDS.search(text)
    if key in ("arrived", "arrive", "arriving") and _TRAVEL.search(text):
        # A pilot who "arrived minutes before we boarded" is no parcel (a reading marked "send
        # us the order number" under a delayed flight wrong).
        return True
    return key in _MEDIUM and bool(
        re.search(rf"(?i)\b(?:on|from|via|over|through|across|connected to) (?:the )?{w}\b|"
                  rf"\b(?:hello|hi|hey|dear),? (?:the )?{w}\b", text))
