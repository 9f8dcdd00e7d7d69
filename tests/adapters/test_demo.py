"""Tests for the demo feed: its written content (coverage of labels, topics and hard cases,
realistic handles and lengths, originality) and the adapter (paging, cursor, determinism,
normalisation, option checks). No network: the injected http client is never used."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

import httpx
import pytest

from monitor.adapters.base import AdapterContext, FeedAdapter, RawItem, thaw
from monitor.adapters.demo import PAGE_SIZE, URL_BASE, DemoAdapter
from monitor.adapters.demo_data import HARD_CASES, INTENTS, NETWORKS, POSTS, DemoPost
from monitor.adapters.registry import Registry
from monitor.config import BrandSettings, FeedSettings
from monitor.errors import ConfigError, FetchError, NormaliseError
from monitor.model import TOPICS, Mention

FIXED_NOW = datetime(2026, 11, 24, 9, 30, 41, 123456, tzinfo=UTC)
DATA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

HANDLE_FORMATS = {
    "mastodon": re.compile(r"^@[A-Za-z0-9_]+@[a-z0-9.-]+\.[a-z]+$"),
    "bluesky": re.compile(r"^[a-z0-9-]+\.bsky\.social$"),
    "reddit": re.compile(r"^u/[A-Za-z0-9_-]{3,20}$"),
    "x": re.compile(r"^@[A-Za-z0-9_]{1,15}$"),
}
# The networks' own post limits (reddit's self-post body limit is far above anything here).
LENGTH_LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500, "reddit": 40_000}
FIX_TOPICS = {"delivery", "billing", "account", "product", "outage", "booking", "service"}


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def make(
    http: httpx.Client, now: datetime = FIXED_NOW, name: str = "demo", **options: object
) -> DemoAdapter:
    ctx = AdapterContext(http=http, environ={}, clock=lambda: now)
    return DemoAdapter(FeedSettings(name=name, kind="demo", options=options), ctx)


def all_items(adapter: DemoAdapter) -> list[RawItem]:
    items: list[RawItem] = []
    cursor = None
    for _ in range(100):  # a bound, so a paging bug fails instead of hanging
        page = adapter.fetch(cursor)
        items.extend(page.items)
        cursor = page.cursor
        if not page.more:
            return items
    raise AssertionError("the demo feed never said it was done")


def all_mentions(adapter: DemoAdapter) -> list[Mention]:
    return [adapter.normalise(item) for item in all_items(adapter)]


# --- the written content -------------------------------------------------------------------


def test_enough_posts_with_unique_ids() -> None:
    assert len(POSTS) >= 60
    assert len({p.id for p in POSTS}) == len(POSTS)


def test_every_intent_and_every_fix_request_kind_is_present() -> None:
    intents = Counter(p.intent for p in POSTS)
    assert set(intents) == set(INTENTS)
    # Enough of each that a classifier demo shows every label more than once (questions to
    # the brand are rarer than the rest, as in real feeds).
    assert min(intents.values()) >= 3
    assert min(n for intent, n in intents.items() if intent != "question") >= 8
    assert {p.topic for p in POSTS if p.intent == "fix_request"} == FIX_TOPICS
    assert all(p.topic in TOPICS for p in POSTS)


def test_every_hard_case_is_present_and_really_hard_in_that_way() -> None:
    tagged = {tag: [p for p in POSTS if tag in p.tags] for tag in HARD_CASES}
    assert all(tagged.values()), [t for t, ps in tagged.items() if not ps]
    assert all(set(p.tags) <= set(HARD_CASES) for p in POSTS)

    assert all(len(p.text) >= 1500 for p in tagged["long"])
    assert all(p.lang != "en" for p in tagged["non_english"])
    assert {p.lang for p in tagged["non_english"]} >= {"de", "es"}
    assert all(re.search(r"#?NW-\d{5}", p.text) for p in tagged["order_number"])
    assert any("#NW-48213" in p.text for p in tagged["order_number"])
    assert all("?" not in p.text for p in tagged["no_question_mark"])
    assert any(p.intent == "fix_request" for p in tagged["no_question_mark"])
    # Mixed posts: praise when the problem is over, a fix-request when it is still open.
    assert {p.intent for p in tagged["mixed"]} == {"praise", "fix_request"}
    assert all(_has_emoji(p.text) for p in tagged["emoji"])
    for post in tagged["third_party"]:
        others = [h for h in re.findall(r"@\w+", post.text) if h != "@northwindkettles"]
        assert others, post.id
    brand = BrandSettings()
    assert all(p.handle in brand.handles for p in tagged["brand_account"])


def test_complaint_kinds_are_all_represented() -> None:
    venting = [p for p in POSTS if p.intent == "venting"]
    assert any("never again" in p.text.lower() for p in venting)
    assert any("#fail" in p.text for p in venting)
    assert any("sarcasm" in p.tags for p in venting)
    billing = " ".join(p.text.lower() for p in POSTS if p.topic == "billing")
    assert "charged twice" in billing
    assert "refund" in billing


def test_handles_names_followers_and_lengths_look_like_their_network() -> None:
    assert {p.network for p in POSTS} == set(NETWORKS)
    brand = BrandSettings()
    for post in POSTS:
        # The brand's own handle is fixed by its config (16 characters, one over X's limit).
        if post.handle not in brand.handles:
            assert HANDLE_FORMATS[post.network].match(post.handle), (post.id, post.handle)
        assert post.name.strip(), post.id
        assert isinstance(post.followers, int) and post.followers >= 0
        assert len(post.text) <= LENGTH_LIMITS[post.network], (post.id, len(post.text))
    assert min(Counter(p.network for p in POSTS).values()) >= 10


def test_times_spread_over_about_three_days() -> None:
    ages = sorted(p.minutes_ago for p in POSTS)
    assert ages[0] == 0
    assert timedelta(days=2.5) <= timedelta(minutes=ages[-1]) <= timedelta(days=3.5)
    # Spread, not clumped: no gap between consecutive posts longer than three hours.
    assert max(b - a for a, b in pairwise(ages)) <= 180


def test_follow_ups_answer_an_earlier_post_by_the_same_author() -> None:
    by_id = {p.id: p for p in POSTS}
    follow_ups = [p for p in POSTS if p.reply_to is not None]
    assert follow_ups
    for post in follow_ups:
        parent = by_id[post.reply_to]  # type: ignore[index]
        assert parent.minutes_ago > post.minutes_ago
        assert parent.handle == post.handle


def test_texts_are_not_copied_from_the_shared_datasets() -> None:
    sources = [DATA_DIR / "airline-tweets.csv", DATA_DIR / "twcs-reply-pairs.csv"]
    if not all(s.exists() for s in sources):
        pytest.skip(f"shared data not found at {DATA_DIR}")
    ours = {g for p in POSTS for g in _shingles(p.text)}
    copied: set[tuple[str, ...]] = set()
    for path, column in zip(sources, ("text", "customer_text"), strict=True):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                copied |= ours & _shingles(row[column])
    assert not copied, sorted(copied)[:5]


# --- the adapter ---------------------------------------------------------------------------


def test_registry_resolves_demo_and_it_satisfies_the_protocol(http: httpx.Client) -> None:
    assert Registry(plugins=()).get("demo") is DemoAdapter
    adapter = make(http)
    assert isinstance(adapter, FeedAdapter)
    assert (adapter.kind, adapter.platform, adapter.name) == ("demo", "demo", "demo")


def test_pages_of_25_in_order_and_the_cursor_survives_json(http: httpx.Client) -> None:
    adapter = make(http)
    cursor = None
    seen: list[str] = []
    pages = 0
    while True:
        page = adapter.fetch(cursor)
        pages += 1
        assert page.problems == ()
        assert len(page.items) == (PAGE_SIZE if page.more else len(POSTS) - len(seen))
        seen.extend(item.external_id for item in page.items)
        assert page.cursor == {"offset": len(seen)}
        # The pipeline stores the cursor as JSON: resume from what comes back.
        cursor = json.loads(json.dumps(page.cursor))
        if not page.more:
            break
    assert pages == -(-len(POSTS) // PAGE_SIZE)
    assert sorted(seen) == sorted(p.id for p in POSTS)
    times = [adapter.normalise(i).created_at for i in all_items(adapter)]
    assert times == sorted(times)

    # At the end: nothing more, cursor stays put, so a second poll adds nothing.
    done = adapter.fetch(cursor)
    assert (done.items, done.cursor, done.more) == ((), {"offset": len(POSTS)}, False)


def test_resuming_mid_feed_gives_exactly_the_rest(http: httpx.Client) -> None:
    adapter = make(http)
    everything = [i.external_id for i in all_items(adapter)]
    page = adapter.fetch({"offset": 30})
    assert [i.external_id for i in page.items] == everything[30:55]
    assert page.cursor == {"offset": 55}


def test_a_cursor_past_the_end_means_nothing_new(http: httpx.Client) -> None:
    page = make(http).fetch({"offset": 10_000})
    assert (page.items, page.cursor, page.more) == ((), {"offset": len(POSTS)}, False)


@pytest.mark.parametrize("cursor", [{}, {"offset": -1}, {"offset": "3"}, {"offset": True}])
def test_a_corrupt_cursor_is_refused_by_name(http: httpx.Client, cursor: dict[str, object]) -> None:
    with pytest.raises(FetchError, match="reset this feed's cursor") as info:
        make(http, name="kettles").fetch(cursor)
    assert info.value.feed == "kettles"


def test_output_is_deterministic_for_a_fixed_clock(http: httpx.Client) -> None:
    first = [_comparable(m) for m in all_mentions(make(http))]
    second = [_comparable(m) for m in all_mentions(make(http))]
    assert first == second


def test_times_follow_the_clock_but_ids_do_not(http: httpx.Client) -> None:
    today = all_mentions(make(http))
    later = all_mentions(make(http, now=FIXED_NOW + timedelta(days=40, hours=5)))
    assert [m.external_id for m in today] == [m.external_id for m in later]
    assert [m.url for m in today] == [m.url for m in later]
    assert all(
        b.created_at - a.created_at == timedelta(days=40, hours=5)
        for a, b in zip(today, later, strict=True)
    )
    newest = max(m.created_at for m in today)
    assert newest == datetime(2026, 11, 24, 9, 27, tzinfo=UTC)  # 09:30 floored, minus 3 minutes
    oldest = min(m.created_at for m in today)
    assert newest - oldest == timedelta(minutes=max(p.minutes_ago for p in POSTS))


def test_a_clock_in_another_zone_gives_the_same_utc_times(http: httpx.Client) -> None:
    tokyo = FIXED_NOW.astimezone(timezone(timedelta(hours=9)))
    assert [_comparable(m) for m in all_mentions(make(http, now=tokyo))] == [
        _comparable(m) for m in all_mentions(make(http))
    ]


def test_every_mention_normalises_to_a_valid_demo_mention(http: httpx.Client) -> None:
    by_id = {p.id: p for p in POSTS}
    mentions = all_mentions(make(http, name="nk-demo"))
    assert len(mentions) == len(POSTS)
    for m in mentions:
        post = by_id[m.external_id]
        assert (m.feed, m.platform) == ("nk-demo", "demo")
        assert m.created_at.tzinfo is not None and m.created_at.utcoffset() == timedelta(0)
        assert m.text.strip() and m.text == post.text
        assert m.author.strip() and m.author == post.handle
        assert (m.author_name, m.author_followers) == (post.name, post.followers)
        assert m.language == post.lang
        assert m.url == f"{URL_BASE}/{post.network}/{post.id}"
        assert m.raw["network"] == post.network
        assert m.raw["demo"]["intent"] == post.intent
        assert m.raw["demo"]["topic"] == post.topic
        # The raw payload must go into the database as JSON.
        assert json.loads(json.dumps(thaw(m.raw)))["id"] == post.id


def test_replies_carry_their_thread(http: httpx.Client) -> None:
    mentions = {m.external_id: m for m in all_mentions(make(http))}
    follow_up = next(p for p in POSTS if p.reply_to is not None)
    m = mentions[follow_up.id]
    assert m.reply_to_id == follow_up.reply_to
    assert m.thread_id == follow_up.reply_to
    assert mentions[follow_up.reply_to].thread_id is None  # type: ignore[index]


def test_a_handmade_chain_points_at_its_root(http: httpx.Client) -> None:
    posts = (
        DemoPost("a", "x", "@a", "A", 1, 30, "fix_request", "delivery", "where is it"),
        DemoPost("b", "x", "@a", "A", 1, 20, "venting", "delivery", "still nothing", reply_to="a"),
        DemoPost("c", "x", "@a", "A", 1, 10, "venting", "delivery", "hello??", reply_to="b"),
    )
    ctx = AdapterContext(http=http, environ={}, clock=lambda: FIXED_NOW)
    adapter = DemoAdapter(FeedSettings(name="d", kind="demo"), ctx, posts=posts)
    got = {m.external_id: (m.reply_to_id, m.thread_id) for m in all_mentions(adapter)}
    assert got == {"a": (None, None), "b": ("a", "a"), "c": ("b", "a")}


def test_unknown_options_are_refused_naming_the_key(http: httpx.Client) -> None:
    with pytest.raises(ConfigError) as info:
        make(http, name="kettles", page_size=10)
    assert info.value.key == "feeds[kettles].page_size"


def test_a_real_network_platform_is_refused(http: httpx.Client) -> None:
    ctx = AdapterContext(http=http, environ={}, clock=lambda: FIXED_NOW)
    feed = FeedSettings(name="kettles", kind="demo", platform="mastodon")
    with pytest.raises(ConfigError) as info:
        DemoAdapter(feed, ctx)
    assert info.value.key == "feeds[kettles].platform"
    explicit = FeedSettings(name="kettles", kind="demo", platform="demo")
    assert DemoAdapter(explicit, ctx).platform == "demo"


def test_a_naive_clock_is_a_programming_error(http: httpx.Client) -> None:
    with pytest.raises(TypeError, match="timezone-aware"):
        make(http, now=datetime(2026, 11, 24, 9, 0))


def test_duplicate_ids_in_injected_posts_are_refused(http: httpx.Client) -> None:
    post = POSTS[0]
    ctx = AdapterContext(http=http, environ={}, clock=lambda: FIXED_NOW)
    with pytest.raises(ValueError, match="unique ids"):
        DemoAdapter(FeedSettings(name="d", kind="demo"), ctx, posts=(post, post))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "text must be a non-empty string"),
        ({"handle": None}, "handle must be a non-empty string"),
        ({"created_at": "2026-11-24T09:00:00"}, "no time zone"),
        ({"created_at": "yesterday"}, "Invalid isoformat"),
        ({"followers": -3}, "followers"),
        ({"reply_to": 17}, "reply_to must be a string"),
    ],
)
def test_malformed_items_raise_normalise_error(
    http: httpx.Client, change: dict[str, object], message: str
) -> None:
    adapter = make(http, name="kettles")
    item = adapter.fetch(None).items[0]
    bad = RawItem(item.external_id, {**item.payload, **change})
    with pytest.raises(NormaliseError, match=message) as info:
        adapter.normalise(bad)
    assert (info.value.external_id, info.value.feed) == (item.external_id, "kettles")


def test_a_missing_key_is_named(http: httpx.Client) -> None:
    adapter = make(http)
    item = adapter.fetch(None).items[0]
    payload = {k: v for k, v in item.payload.items() if k != "network"}
    with pytest.raises(NormaliseError, match="has no 'network'"):
        adapter.normalise(RawItem(item.external_id, payload))


# --- helpers -------------------------------------------------------------------------------


def _has_emoji(text: str) -> bool:
    return any(unicodedata.category(ch) == "So" for ch in text)


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _comparable(m: Mention) -> tuple[object, ...]:
    return (
        m.feed, m.platform, m.external_id, m.text, m.author, m.created_at, m.url,
        m.author_name, m.author_followers, m.language, m.reply_to_id, m.thread_id,
        json.dumps(thaw(m.raw), sort_keys=True),
    )
