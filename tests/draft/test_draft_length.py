"""Reply length as each network counts it: X weighted (URL 23, emoji and CJK 2), Bluesky
graphemes, Mastodon graphemes with URL 23 and remote mentions as @user, Reddit characters."""

from __future__ import annotations

import pytest

from monitor.draft import length
from monitor.draft.length import count, grapheme_count, graphemes, limit


@pytest.mark.parametrize(("platform", "expected"), [
    ("x", 280), ("twitter", 280), ("X", 280), ("bluesky", 300), ("mastodon", 500),
    ("reddit", 10_000), ("hackernews", 500), ("something-new", 500),
])
def test_limits(platform: str, expected: int) -> None:
    assert limit(platform) == expected


def test_bluesky_has_a_byte_limit_too() -> None:
    assert length.byte_limit("bluesky") == 3000
    assert length.byte_limit("x") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("hello", 5),
    ("see https://example.com/a/very/long/path/indeed/more/than/23", 4 + 23),
    ("short http://a.co", 6 + 23),                      # a short URL still counts 23
    ("at northwind.example/help.", 3 + 23 + 1),          # bare domains are links; '.' is not
    ("mail help@northwind.example", 27),                 # an e-mail address is not a link
    ("😀", 2), ("👍🏽", 2), ("👨‍👩‍👧‍👦", 2), ("🇬🇧", 2), ("❤️", 2),     # one emoji sequence weighs 2
    ("日本語", 6), ("한국", 4),                              # CJK weighs 2 per character
    ("café", 4), ("cafe\u0301", 4),                        # NFC first: e + accent is one
    ("“quotes” – dash", 15),             # quotes and dashes (U+2010-201F) weigh 1
    ("wait…", 6),                      # but U+2026 is outside twitter-text's light ranges
])
def test_x_weighted_count(text: str, expected: int) -> None:
    assert count(text, "x") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("hello", 5),
    ("e\u0301", 1),                     # combining accent joins its letter
    ("👨‍👩‍👧‍👦 family", 8),             # a ZWJ family is one grapheme
    ("🇬🇧🇫🇷", 2),                        # regional indicators pair up
    ("👍🏽👍", 2),                         # a skin tone modifier extends its emoji
    ("\u1100\u1161\u11a8", 1),          # Hangul jamo L V T make one syllable
    ("a\r\nb", 3),                      # CR LF is one
    ("https://example.com/" + "x" * 40, 60),  # Bluesky counts URLs in full
])
def test_bluesky_counts_graphemes(text: str, expected: int) -> None:
    assert count(text, "bluesky") == expected


def test_mastodon_counts_urls_as_23_and_remote_mentions_as_local() -> None:
    assert count("@jo@example.social hi", "mastodon") == len("@jo hi")
    assert count("see https://example.com/" + "x" * 100, "mastodon") == 4 + 23
    assert count("👨‍👩‍👧‍👦", "mastodon") == 1


def test_reddit_counts_characters() -> None:
    assert count("😀 ok", "reddit") == 4
    assert count("x" * 10_001, "reddit") > limit("reddit")


def test_graphemes_round_trip_and_ascii_fast_path() -> None:
    text = "Hi 👋🏾, naïve café 🇯🇵!\r\n한국어 e\u0301"
    assert "".join(graphemes(text)) == text
    assert grapheme_count("plain ascii") == len("plain ascii")
    assert grapheme_count(text) == len(list(graphemes(text)))
