"""The house-style safety checks (docs reply-tone.md), run on every draft and every edit.

Each check is a pure function (text, context) -> list of violations; a violation is one short
sentence a reviewer can act on. The checks never change the text and never raise on any input:
a failing draft is queued with its violations shown, not dropped and not silently sent. Words
from the mention are never echoed in full into a violation (they may be profane).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from monitor.draft import length

RUN_WORDS = 6
"""A draft may not repeat this many consecutive words of the mention."""

MAX_EXCLAMATIONS = 1

# Profanity and insults, as word stems (matched at a word start); obfuscated spellings included.
_PROFANE_STEMS = (
    r"f+[\*u@#]+c?k+\w*", r"fck\w*", r"fuk\w*", r"sh[i\*!1]t\w*", r"bullsh\w*",
    r"crap(?:py|s)?", r"damn\w*", r"bastard\w*", r"bitch\w*", r"a+ss+hole\w*",
    r"arse(?:hole)?s?", r"dick(?:s|head\w*)?", r"piss\w*", r"wtf", r"stfu", r"omfg",
    r"cunt\w*", r"wank\w*", r"twat\w*", r"bollock\w*",
    r"idiot\w*", r"moron\w*", r"stupid\w*", r"dumb\w*", r"useless", r"pathetic",
    r"incompetent\w*", r"clowns?", r"liars?", r"scam(?:s|mers?|med|ming)?", r"thie(?:f|ves)",
    r"crooks?", r"garbage", r"trash\w*", r"rubbish", r"suck(?:s|ed|ing)?", r"hell",
)
_PROFANE = re.compile(r"(?i)(?<![\w])(?:" + "|".join(_PROFANE_STEMS) + r")(?![\w])")

_DEFENSIVE = re.compile(
    r"(?i)\b(?:any inconvenience|unfortunately(?:,)? you|as per (?:our )?policy|per our policy|"
    r"calm down|you should have|as (?:we|i) (?:already )?said|not our fault|"
    r"read (?:our|the) faq|contact (?:the|our) \w+ department|fill (?:in|out) (?:the|our|a) form)"
)
_DEADLINE = re.compile(
    r"(?i)\b(?:right away|straight away|immediately|asap|in no time|"
    r"in (?:a|one|two|\d+) (?:minute|min|hour|hr)s?|"
    r"within (?:a|an|one|two|three|\d+|the next) (?:minute|min|hour|hr|day|business day|"
    r"working day|week)s?|"
    r"(?:by|later|before the end of) (?:today|tonight|tomorrow))\b"
)

_THANKS = re.compile(r"(?i)\b(?:thank|thanks|thx|cheers|grateful|appreciate)")
_SENTENCE = re.compile(r"(?<=[.;?!])\s+")
_ASK_ORDER = re.compile(r"(?i)\border\s*(?:number|no\b|nr\b|#|id\b|ref)")
_ASK_BOOKING = re.compile(r"(?i)\b(?:booking|reservation|confirmation)\s*(?:ref|reference|number|"
                          r"code|no\b|#)|\breference\b")
_TAG = re.compile(
    r"(?<![\w@/.])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?"
)
_REDDIT_TAG = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
ACRONYMS = frozenset({"DM", "DMs", "FAQ", "PIN", "SMS", "ID", "UK", "EU", "USA", "URL", "OK",
                      "TV", "PC", "GPS", "NFC", "USB", "LED", "CEO", "HQ", "UPS", "DHL"})


@dataclass(frozen=True)
class CheckContext:
    """What the checks need to know about the mention and the brand."""

    platform: str
    author_tag: str | None = None
    mention_text: str = ""
    allowed_links: tuple[str, ...] = ()
    allowed_caps: frozenset[str] = field(default_factory=frozenset)
    response_window: str | None = None
    order_number: str | None = None
    booking_ref: str | None = None

    @cached_property
    def _mention_word_list(self) -> list[str]:
        return _words(self.mention_text)

    @cached_property
    def mention_vocabulary(self) -> frozenset[str]:
        """Every distinct word of the mention (computed once: a mention may be a megabyte)."""
        return frozenset(self._mention_word_list)

    @cached_property
    def mention_words(self) -> str:
        """The mention's words, lower-cased and space-separated, with a space at each end."""
        return " " + " ".join(self._mention_word_list) + " "


Check = Callable[[str, CheckContext], list[str]]


def check_empty(text: str, ctx: CheckContext) -> list[str]:
    body = text.replace(ctx.author_tag, "") if ctx.author_tag else text
    return [] if _WORD.search(body) else ["The reply says nothing; write a reply."]


def check_length(text: str, ctx: CheckContext) -> list[str]:
    out: list[str] = []
    used, most = length.count(text, ctx.platform), length.limit(ctx.platform)
    if used > most:
        out.append(f"Too long for {ctx.platform}: {used} of {most} characters as it counts them; "
                   "shorten it.")
    bytes_most = length.byte_limit(ctx.platform)
    if bytes_most is not None and len(text.encode("utf-8", "surrogatepass")) > bytes_most:
        out.append(f"Too long for {ctx.platform}: more than {bytes_most} bytes; shorten it.")
    return out


def _norm_handle(tag: str) -> str:
    tag = tag.strip().lower()
    for prefix in ("/u/", "u/", "@"):
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return tag


def check_tags(text: str, ctx: CheckContext) -> list[str]:
    author = _norm_handle(ctx.author_tag) if ctx.author_tag else None
    others: list[str] = []
    for pattern in (_TAG, _REDDIT_TAG):
        for match in pattern.finditer(text):
            tag = match.group(0)
            if _norm_handle(tag) != author and tag not in others:
                others.append(tag)
    if not others:
        return []
    return [f"Tags {', '.join(others[:3])}, not the author; tag only the author."]


def _link_key(url: str) -> tuple[str, str]:
    if not re.match(r"(?i)^[a-z][a-z0-9+.-]*://", url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ("", url)
    if host.startswith("www."):
        host = host[4:]
    return host, parts.path.rstrip("/")


def _allowed(url: str, allowed: Sequence[str]) -> bool:
    host, path = _link_key(url)
    for ok in allowed:
        ok_host, ok_path = _link_key(ok)
        if host and host == ok_host and (path == ok_path or path.startswith(ok_path + "/")):
            return True
    return False


def check_links(text: str, ctx: CheckContext) -> list[str]:
    links = [text[s:e] for s, e in length.url_spans(text)]
    bad = [link for link in links if not _allowed(link, ctx.allowed_links)]
    if not bad:
        return []
    shown = ", ".join(b if len(b) <= 40 else b[:39] + "…" for b in bad[:3])
    return [f"Links to {shown}, which is not a configured link (support or status page); "
            "remove it."]


def _mask(word: str) -> str:
    return word[0] + "*" * max(1, len(word) - 2) + (word[-1] if len(word) > 2 else "")


def check_profanity(text: str, ctx: CheckContext) -> list[str]:
    found = sorted({m.group(0).lower() for m in _PROFANE.finditer(text)})
    if not found:
        return []
    return [f"Contains profanity or an insult ({', '.join(_mask(w) for w in found[:3])}); "
            "a reply never repeats one."]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def check_echo(text: str, ctx: CheckContext) -> list[str]:
    draft_words = _words(text)
    if len(draft_words) < RUN_WORDS or not ctx.mention_text:
        return []
    vocabulary = ctx.mention_vocabulary
    for i in range(len(draft_words) - RUN_WORDS + 1):
        words = draft_words[i:i + RUN_WORDS]
        if not all(w in vocabulary for w in words):
            continue  # cheap rejection before searching a possibly huge text
        gram = " ".join(words)
        if " " + gram + " " in ctx.mention_words:
            shown = " ".join(draft_words[i:i + 3])
            return [f"Repeats {RUN_WORDS}+ words of the mention in a row (\"{shown} …\"); "
                    "say it in our own words."]
    return []


def check_shouting(text: str, ctx: CheckContext) -> list[str]:
    details = {d.upper() for d in (ctx.order_number, ctx.booking_ref) if d}
    allowed = {a.upper() for a in ctx.allowed_caps} | {a.upper() for a in ACRONYMS} | details
    loud: list[str] = []
    run = 0
    for word in text.split():
        if word.startswith(("@", "u/", "/u/")) or "://" in word or word.lower().startswith("www."):
            run = 0  # handles and links are names, whatever their case
            continue
        letters = "".join(_LETTERS.findall(word))
        is_caps = len(letters) >= 2 and letters.isupper() and not any(c.isdigit() for c in word)
        core = word.strip(".,;:!?()\"'")
        if not is_caps or core.upper() in allowed or letters.upper() in allowed:
            run = 0
            continue
        run += 1
        if len(letters) >= 4 or run >= 2:
            loud.append(core)
    if not loud:
        return []
    return [f"Shouts in capitals ({' '.join(loud[:3])}); write in sentence case."]


def check_exclamations(text: str, ctx: CheckContext) -> list[str]:
    n = text.count("!") + text.count("！")
    if n > MAX_EXCLAMATIONS:
        return [f"Has {n} exclamation marks; use at most one, and only in a thank-you."]
    if n == 1 and not _THANKS.search(text):
        return ["Has an exclamation mark outside a thank-you; end with a full stop."]
    return []


def check_asks_again(text: str, ctx: CheckContext) -> list[str]:
    """Never ask for something they already told us: a sentence about the order number or
    booking reference must name the one they gave."""
    out: list[str] = []
    for given, pattern, what in ((ctx.order_number, _ASK_ORDER, "order number"),
                                 (ctx.booking_ref, _ASK_BOOKING, "booking reference")):
        if not given:
            continue
        for sentence in _SENTENCE.split(text):
            if pattern.search(sentence) and given.lower() not in sentence.lower():
                out.append(f"Asks about the {what} they already gave ({given}); "
                           "name it instead of asking for it.")
                break
    return out


def check_defensive(text: str, ctx: CheckContext) -> list[str]:
    match = _DEFENSIVE.search(text)
    if not match:
        return []
    return [f"Sounds defensive or sends them elsewhere (\"{match.group(0)}\"); "
            "own it plainly and offer one easy next step."]


def check_deadline(text: str, ctx: CheckContext) -> list[str]:
    window = (ctx.response_window or "").strip().lower()
    lowered = text.lower()
    for match in _DEADLINE.finditer(text):
        if window and window in lowered:
            start = lowered.find(window)
            while start != -1:
                if start <= match.start() and match.end() <= start + len(window):
                    break
                start = lowered.find(window, start + 1)
            if start != -1:
                continue
        return [f"Promises \"{match.group(0)}\"; give no deadline unless the brand configured "
                "one, and then that one."]
    return []


CHECKS: tuple[Check, ...] = (
    check_empty, check_length, check_tags, check_links, check_profanity, check_echo,
    check_shouting, check_exclamations, check_defensive, check_deadline, check_asks_again,
)


def run_checks(text: str, ctx: CheckContext) -> tuple[str, ...]:
    """Every violation of the house rules in `text`, in a stable order; () if it is safe."""
    out: list[str] = []
    for check in CHECKS:
        out.extend(check(text, ctx))
    return tuple(out)
