"""Surge detection, pure: which distinctive words many independent complaints share in a
recent window, far above those words' usual rate.

The method (documented in the README): every complaint (fix-request, venting or question)
becomes a set of distinctive words (no stop words, no brand names, no links or handles).
Plurals and -ing / -ed forms are folded ("crashes", "crashing" -> "crash"). At each
evaluation time t, for each word, the *authors* in the window (t - window, t] whose
complaints hold it are counted (one angry customer posting ten times is one author) and
compared with the word's usual count per window over the trailing baseline (t - window -
baseline, t - window]: a surge needs at least `min_authors` authors and `ratio` times (usual
+ 1). A word that most authors in the window use without complaining (praise and neutral
posts: a new route, a sale) is news, not a problem, and never surges. Surging words that
mostly cover the same posts form one suggestion, which needs at least two of them: one word
alone names something (a place in the news), two describe a problem ("app" and "crash").
A surge that is not a service failure (a copy-and-paste campaign, or posts that mostly
describe nothing broken: opinions against a policy, a request many make) carries a verdict
saying so (monitor.incidents.kinds), and the service does not suggest it. All times are
the posts' own (`created_at`), so an import or a backlog polled at once shows its surges
too. No I/O.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.incidents import kinds
from monitor.text import straight_quotes

STOP = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "already", "also", "am", "an",
    "and", "any", "anyone", "anything", "are", "aren", "around", "as", "at", "away", "back",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
    "came", "can", "cannot", "cant", "could", "couldn", "did", "didn", "do", "does", "doesn",
    "doing", "don", "done", "down", "during", "each", "even", "ever", "every", "few", "for",
    "from", "further", "get", "gets", "getting", "give", "go", "goes", "going", "gone", "got",
    "gotten", "had", "hadn", "has", "hasn", "have", "haven", "having", "he", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "im", "in",
    "into", "is", "isn", "it", "its", "itself", "ive", "just", "know", "last", "let", "like",
    "ll", "made", "make", "makes", "many", "may", "me", "might", "more", "most", "much",
    "must", "my", "myself", "need", "needs", "new", "next", "no", "nor", "not", "now", "of",
    "off", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves", "out",
    "over", "own", "please", "pls", "plz", "put", "re", "really", "right", "said", "same",
    "say", "says", "see", "seems", "shan", "she", "should", "shouldn", "since", "so", "some",
    "still", "such", "sure", "take", "than", "thank", "thanks", "that", "thats", "the",
    "their", "theirs", "them", "themselves", "then", "there", "these", "they", "thing",
    "things", "think", "this", "those", "though", "through", "thx", "time", "to", "today",
    "too", "tried", "try", "trying", "two", "under", "until", "up", "us", "use", "used",
    "using", "ve", "very", "via", "want", "wants", "was", "wasn", "way", "we", "well", "were",
    "weren", "what", "whats", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "won", "would", "wouldn", "yes", "yet", "you", "your", "youre", "yours",
    "yourself", "yourselves", "day", "days", "hour", "hours", "minute", "minutes", "week",
    "weeks", "year", "years", "hi", "hello", "hey", "guys", "ok", "okay", "lol", "omg", "wtf",
    "anyone", "someone", "somebody", "help", "customer", "customers", "service", "support",
    "company", "companies", "team", "people", "person", "going", "got", "again", "amp", "via",
))
_ES = ("sh", "ch", "x", "ss", "zz")
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<!\w)[@＠][\w.@-]+")
_WORD = re.compile(r"[a-z][a-z0-9']{2,}")
MIN_TERMS = 2
"""A surge is told in at least two surging words that ride on the same posts."""
COMPLAINT_SHARE = 0.5
"""A word surges only if more than this share of the window's authors using it complain."""


def words_of(text: str, ignore: Iterable[str] = ()) -> frozenset[str]:
    """The distinctive words of a post: lower case, plurals folded ("delays" -> "delay"),
    without stop words, links, handles, numbers or the `ignore` words (the brand's names)."""
    skip = STOP | frozenset(ignore)
    out = set()
    for raw, word in _folded(text):
        if len(word) >= 3 and word not in skip and raw not in skip and "'" not in word:
            out.add(word)
    return frozenset(out)


def _folded(text: str) -> list[tuple[str, str]]:
    """(word, folded word) for each word of `text`: plurals and -ing / -ed forms folded
    ("crashes", "crashing", "crashed" -> "crash"), so that one problem told in different
    forms of a word counts as one word."""
    text = straight_quotes(_HANDLE.sub(" ", _URL.sub(" ", text.lower())))
    out = []
    for raw in _WORD.findall(text):
        word = raw.strip("'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) > 4 and word.endswith("es") and word[:-2].endswith(_ES):
            word = word[:-2]  # crashes -> crash, boxes -> box
        elif len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]  # delays -> delay, issues -> issue
        elif (len(word) > 6 and word.endswith("ing")) or (len(word) > 5 and word.endswith("ed")):
            word = word[:-3] if word.endswith("ing") else word[:-2]  # crashing -> crash
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]  # stopped -> stop
        out.append((raw.strip("'"), word))
    return out


def fold(term: str) -> str:
    """A term as posts' words hold it ("crashing" -> "crash")."""
    found = _folded(term)
    return found[0][1] if found else term


def brand_words(names: Iterable[str]) -> frozenset[str]:
    """The words of the brand's names, handles and keywords (never distinctive)."""
    out: set[str] = set()
    for name in names:
        out.update(_WORD.findall(name.lower().replace("@", " ")))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Post:
    mention_id: int
    created_at: datetime
    author: str
    platform: str
    topic: str
    text: str
    words: frozenset[str]
    # A fix-request, venting or question (only these make surges and join incidents); the
    # other labels only tell whether a surging word is used mostly without complaint.
    complaint: bool = True
    # Whether the text says something is broken, failing, missing or refused (kinds).
    failure: bool = False


def post(mention_id: int, created_at: datetime, author: str, platform: str, topic: str,
         text: str, *, ignore: Iterable[str] = (), complaint: bool = True) -> Post:
    """A Post with its distinctive words worked out from `text`."""
    return Post(mention_id, created_at, author, platform, topic, text,
                words_of(text, ignore), complaint, kinds.describes_failure(text))


@dataclass(frozen=True)
class Thresholds:
    window: timedelta
    baseline: timedelta
    min_history: timedelta
    min_authors: int
    ratio: float
    # Only surges with no verdict (kinds.verdict: a service failure) are suggested.
    failures_only: bool = True


@dataclass(frozen=True)
class Surge:
    """One suggested incident: its words (the strongest first), its posts and its rate."""

    terms: tuple[str, ...]
    topic: str
    mention_ids: tuple[int, ...]
    authors: int
    networks: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    examples: tuple[str, ...]
    rate: float       # authors in the window
    baseline: float   # the usual count per window over the baseline
    at: datetime      # the evaluation time it was found at
    # Why it is not a service failure ("campaign", "no failure described"); "" when it is.
    verdict: str = ""


class Index:
    """Posts by time, and each word's complaint times, for counting over any span quickly."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.posts = sorted(posts, key=lambda p: (p.created_at, p.mention_id))
        self.times = [p.created_at for p in self.posts]
        self.word_times: dict[str, list[datetime]] = defaultdict(list)
        for p in self.posts:
            if not p.complaint:
                continue  # the usual rate is the word's rate in complaints
            for w in p.words:
                self.word_times[w].append(p.created_at)

    def between(self, start: datetime, end: datetime) -> list[Post]:
        """Posts with start < created_at <= end."""
        lo = bisect.bisect_right(self.times, start)
        hi = bisect.bisect_right(self.times, end)
        return self.posts[lo:hi]

    def count(self, word: str, start: datetime, end: datetime) -> int:
        times = self.word_times.get(word, [])
        return bisect.bisect_right(times, end) - bisect.bisect_right(times, start)


def matches(words: frozenset[str], terms: Sequence[str]) -> bool:
    """Whether a post belongs to an incident with these terms: it holds two of them (the
    one term of a one-term incident). One shared everyday word ("app") is not enough."""
    if not terms:
        return False
    folded = [fold(t) for t in terms]
    if len(folded) == 1:
        return folded[0] in words
    return sum(1 for t in dict.fromkeys(folded) if t in words) >= 2


def evaluate(index: Index, t: datetime, history_start: datetime, th: Thresholds
             ) -> list[Surge]:
    """The surges in the window ending at `t` (none until `min_history` of posts exists)."""
    base_end = t - th.window
    span = min(th.baseline, base_end - history_start)
    if span < th.min_history or span.total_seconds() <= 0:
        return []
    base_start = base_end - span
    per_window = th.window.total_seconds() / span.total_seconds()
    window = index.between(t - th.window, t)
    recent = [p for p in window if p.complaint]
    authors: dict[str, set[str]] = defaultdict(set)
    for p in recent:
        for w in p.words:
            authors[w].add(f"{p.platform}\x1f{p.author}")
    scored: list[tuple[float, str, float, int]] = []
    for word, who in authors.items():
        n = len(who)
        if n < th.min_authors:
            continue
        usual = index.count(word, base_start, base_end) * per_window
        if n >= th.ratio * (usual + 1.0) and _complained(word, window):
            scored.append((n / (usual + 1.0), word, usual, n))
    scored.sort(reverse=True)
    surges: list[Surge] = []
    taken: set[str] = set()
    for _score, word, usual, n in scored:
        if word in taken:
            continue
        group = [p for p in recent if word in p.words]
        ids = {p.mention_id for p in group}
        terms = [word]
        for _, other, _, _ in scored:
            if other in taken or other == word:
                continue
            others = [p.mention_id for p in recent if other in p.words]
            # A word that mostly rides on the same posts is the same problem, not another.
            if sum(1 for m in others if m in ids) >= 0.5 * len(others):
                terms.append(other)
        taken.update(terms)
        if len(terms) < MIN_TERMS:
            continue  # a word alone names something (a place in the news), not a problem
        members = [p for p in recent if matches(p.words, terms)]
        surges.append(_surge(terms, members, rate=float(n), usual=usual, at=t))
    return surges


def _complained(word: str, window: Sequence[Post]) -> bool:
    """Whether most authors using `word` in the window complain with it (a word most use in
    praise or neutral posts is news: a new route, a sale)."""
    complaining: set[tuple[str, str]] = set()
    everyone: set[tuple[str, str]] = set()
    for p in window:
        if word in p.words:
            everyone.add((p.platform, p.author))
            if p.complaint:
                complaining.add((p.platform, p.author))
    return len(complaining) > COMPLAINT_SHARE * len(everyone)


def _surge(terms: list[str], members: list[Post], *, rate: float, usual: float,
           at: datetime) -> Surge:
    topics = Counter(p.topic for p in members)
    examples: list[str] = []
    seen_authors: set[str] = set()
    for p in members:
        if p.author not in seen_authors and len(examples) < 3:
            examples.append(p.text[:280])
            seen_authors.add(p.author)
    return Surge(
        verdict=kinds.verdict((f"{p.platform}\x1f{p.author}", p.text, p.failure)
                              for p in members),
        terms=tuple(_shown(t, members) for t in terms[:8]),
        topic=topics.most_common(1)[0][0] if topics else "other",
        mention_ids=tuple(p.mention_id for p in members),
        authors=len({(p.platform, p.author) for p in members}),
        networks=tuple(sorted({p.platform for p in members})),
        first_seen=min(p.created_at for p in members),
        last_seen=max(p.created_at for p in members),
        examples=tuple(examples), rate=rate, baseline=round(usual, 3), at=at,
    )


def _shown(term: str, members: Sequence[Post]) -> str:
    """The commonest form of a folded word in the posts ("crash" for "crashes", "booked" for
    "book" when only that form is written)."""
    forms = Counter(raw for p in members for raw, word in _folded(p.text) if word == term)
    return forms.most_common(1)[0][0] if forms else term


def scan(index: Index, start: datetime, end: datetime, history_start: datetime,
         th: Thresholds) -> list[Surge]:
    """Every surge in windows ending from `start` to `end` (stepping a quarter window), the
    first sighting of each: later windows of the same surge add their posts to it."""
    step = th.window / 4
    times: list[datetime] = []
    t = start
    while t < end:
        times.append(t)
        t += step
    times.append(end)
    found: list[Surge] = []
    for t in times:
        for surge in evaluate(index, t, history_start, th):
            same = next((f for f in found if overlaps(f.terms, surge.terms)), None)
            if same is None:
                found.append(surge)
            else:
                found[found.index(same)] = merge(same, surge)
    return found


def overlaps(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two term lists name the same problem: one's strongest term is in the other."""
    if not (a and b):
        return False
    fa, fb = [fold(t) for t in a], [fold(t) for t in b]
    return fa[0] in fb or fb[0] in fa


def union_terms(a: Sequence[str], b: Sequence[str]) -> tuple[str, ...]:
    """`a` then the terms of `b` it lacks (one form of each folded word), at most eight."""
    out: dict[str, str] = {}
    for term in (*a, *b):
        out.setdefault(fold(term), term)
    return tuple(out.values())[:8]


def merge(old: Surge, new: Surge) -> Surge:
    """`old` grown by the posts of a later sighting `new` (its first rate kept); a failure
    if either sighting was one."""
    ids = tuple(dict.fromkeys((*old.mention_ids, *new.mention_ids)))
    terms = union_terms(old.terms, new.terms)
    return Surge(
        terms=terms, topic=old.topic, mention_ids=ids, authors=max(old.authors, new.authors),
        networks=tuple(sorted({*old.networks, *new.networks})),
        first_seen=min(old.first_seen, new.first_seen),
        last_seen=max(old.last_seen, new.last_seen), examples=old.examples,
        rate=max(old.rate, new.rate), baseline=old.baseline, at=old.at,
        verdict=old.verdict and new.verdict,
    )
