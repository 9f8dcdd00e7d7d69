"""The drafter's fast paths give exactly what the plain code they stand in for gives.

Drafting is on the ingest hot path, so the checks take shortcuts: substring gates before slow
searches, case-sensitive twins of the case-blind patterns for lower-cased ASCII text, a bytes
translation instead of the word pattern, a set of word runs for the echo check. Each test here
pits one shortcut against the straightforward version (kept in this file as the reference)
on generated text that is mostly ASCII, with the awkward characters mixed in.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.config import demo_settings
from monitor.draft import build_drafter, checks, details, length
from monitor.draft.checks import CheckContext, check_echo
from monitor.model import Mention

DRAFTER = build_drafter(demo_settings())  # built once: templates are compiled at build time

# Reference versions: the patterns and code as they were before the fast paths.
REF_TAG = re.compile(r"(?<![\w@/.])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
                     r"(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?")
REF_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")

PIECES = st.sampled_from([
    "order", "ORDER", "number", "#NW-48213", "booking", "BooKing", "ref", "QWERTY", "reference",
    "www.", "WWW.", "https://", "http://", ".com", ".COM", ".example", "northwind.example/help",
    "@jo", "@jo@example.social", "x@y.com", "u/jo", "/u/jo", "DM", "SHOUT", "I", "^NK",
    "fuck", "F**K", "sh!t", "idiot", "Hell", "hello", "as per policy", "Calm down",
    "right away", "IMMEDIATELY", "within two days", "by tomorrow", "within one working day",
    "we're", "'quoted'", "a''b", "it's'", "’", "don’t", "!", "?", " .", " ,", "\t", "\n",
    "\u00a0", "\u2003", "\u0130", "\u0131", "\u017f", "\u212a", "é", "😡", "\u0301",
])
TEXT = st.one_of(
    st.lists(PIECES, max_size=30).map(" ".join),
    st.lists(PIECES, max_size=30).map("".join),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=200),
    st.text(max_size=120),
)
FAST = settings(max_examples=400, deadline=None)


def test_case_folds_to_ascii_lists_every_non_ascii_letter_twin() -> None:
    # The gates in details.py rely on this list being complete for the running Python.
    letter = re.compile(r"(?i)[a-z]")
    found = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if letter.fullmatch(chr(c)))
    assert found == details.CASE_FOLDS_TO_ASCII


@FAST
@given(text=TEXT)
def test_words_match_the_word_pattern(text: str) -> None:
    assert checks._words(text) == checks._WORD.findall(text.lower().replace("’", "'"))


def _reference_url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in length.URL_RE.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in length._TRAILING:
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


@FAST
@given(text=TEXT)
def test_url_spans_gate_never_hides_a_link(text: str) -> None:
    assert length.url_spans(text) == _reference_url_spans(text)


@FAST
@given(text=TEXT)
def test_lower_case_twins_match_the_case_blind_patterns(text: str) -> None:
    pairs = ((checks._PROFANE, checks._PROFANE_LOWER), (checks._DEFENSIVE, checks._DEFENSIVE_LOWER),
             (checks._DEADLINE, checks._DEADLINE_LOWER))
    if not text.isascii():
        return  # the twins are only used on ASCII text
    for blind, twin in pairs:
        assert [m.span() for m in blind.finditer(text)] == \
            [m.span() for m in twin.finditer(text.lower())]


@FAST
@given(text=TEXT)
def test_tag_pattern_finds_what_the_reference_finds(text: str) -> None:
    assert [m.span() for m in checks._TAG.finditer(text)] == \
        [m.span() for m in REF_TAG.finditer(text)]


@FAST
@given(text=TEXT)
def test_detail_gates_never_skip_a_match(text: str) -> None:
    head = text[:details.SCAN_CHARS]
    if details._ORDER.search(head):
        assert details._may_hold(head, details._ORDER_WORDS)
    if details._BOOKING.search(head):
        assert details._may_hold(head, details._BOOKING_WORDS)


def test_detail_gates_see_letters_that_only_fold_to_ascii() -> None:
    # "booKing" with a Kelvin sign: the case-blind pattern matches it, a lower() test would not.
    text = "my boo\u212aing ref AB12CD is lost"
    assert details.find_details(text).booking_ref == "AB12CD"


@FAST
@given(body=TEXT, author=st.sampled_from(["", "@jo_smith", "u/jo"]))
def test_assemble_drops_space_before_punctuation_like_the_regex(body: str, author: str) -> None:
    m = Mention(feed="t", platform="x", external_id="1", text="hi", author=author,
                created_at=datetime(2026, 11, 24, tzinfo=UTC))
    flat = REF_SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(body.split()))
    parts = (details.author_tag(author, "x") or "", flat, DRAFTER.replies.signature.strip())
    assert DRAFTER.assemble(body, m) == " ".join(p for p in parts if p)


def _reference_echo(text: str, mention_text: str) -> bool:
    words = checks._WORD.findall(text.lower().replace("’", "'"))
    said = " " + " ".join(checks._WORD.findall(mention_text.lower().replace("’", "'"))) + " "
    return any(" " + " ".join(words[i:i + checks.RUN_WORDS]) + " " in said
               for i in range(len(words) - checks.RUN_WORDS + 1))


@FAST
@given(text=TEXT, said=TEXT, pad=st.booleans())
def test_echo_check_agrees_with_a_plain_search(text: str, said: str, pad: bool) -> None:
    # `pad` pushes the mention past ECHO_SCAN_CHARS, onto the tokenised path.
    mention_text = said + " ~" * checks.ECHO_SCAN_CHARS if pad else said
    found = check_echo(text, CheckContext(platform="x", mention_text=mention_text))
    assert bool(found) == (bool(mention_text) and _reference_echo(text, mention_text))


def test_echo_check_reports_the_first_repeat_on_both_paths() -> None:
    said = "the kettle stopped working after two days and nobody answers the phone at all"
    draft = "Sorry the kettle stopped working after two days and nobody answers, truly"
    for mention_text in (said, said + " ~" * checks.ECHO_SCAN_CHARS):
        found = check_echo(draft, CheckContext(platform="x", mention_text=mention_text))
        assert found and '"the kettle stopped …"' in found[0]


def _reference_shouting(text: str, ctx: CheckContext) -> list[str]:
    details_ = {d.upper() for d in (ctx.order_number, ctx.booking_ref) if d}
    allowed = ({a.upper() for a in ctx.allowed_caps} | {a.upper() for a in checks.ACRONYMS}
               | details_)
    loud: list[str] = []
    run = 0
    for word in text.split():
        if word.startswith(("@", "u/", "/u/")) or "://" in word or word.lower().startswith("www."):
            run = 0
            continue
        letters = "".join(checks._LETTERS.findall(word))
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


SHOUTY = st.one_of(TEXT, st.lists(st.sampled_from(
    ["DM", "NW-48213", "NW48213", "ORDER", "OK", "A", "I", "B2B", "SHOUT!", "(NO)", "WWW.X.COM",
     "@JO", "U/JO", "ÉTÉ", "ＦＵＬＬ", "NORTHWIND", "QWERTY", "it", "-", "^NK", "A.B", "X_Y"]),
    max_size=20).map(" ".join))


@FAST
@given(text=SHOUTY)
def test_shouting_check_agrees_with_the_reference(text: str) -> None:
    ctx = CheckContext(platform="x", allowed_caps=frozenset({"Northwind", "NK"}),
                       order_number="NW-48213", booking_ref="QWERTY")
    assert checks.check_shouting(text, ctx) == _reference_shouting(text, ctx)


def _alternatives(body: str) -> list[str]:
    """The top-level alternatives of a `\\b(?:a|b|...)` body (with an optional `\\b` after)."""
    inner = body[body.index("(?:") + 3:body.rindex(")")]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "\\":
            continue
        if ch == "(" and inner[i - 1:i] != "\\":
            depth += 1
        elif ch == ")" and inner[i - 1:i] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


GATED = [(alt, checks._DEFENSIVE_NEEDS) for alt in _alternatives(checks._DEFENSIVE_BODY)] + \
    [(alt, checks._DEADLINE_NEEDS) for alt in _alternatives(checks._DEADLINE_BODY)]


def test_gates_cover_every_alternative() -> None:
    assert len(GATED) == 11 + 8
    assert all("|" not in alt or "(?:" in alt for alt, _ in GATED)  # split at the top level


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_every_match_of_a_gated_pattern_holds_a_gate_string(data: st.DataObject) -> None:
    for alternative, needs in GATED:
        # ASCII only: the gates guard the twins, which only ever see ASCII text.
        sample = data.draw(st.from_regex(re.compile(alternative, re.ASCII), fullmatch=True))
        assert any(n in sample.lower() for n in needs), (alternative, sample)


def test_device_gates_cover_every_device_name() -> None:
    assert all(any(g in name for g in details._DEVICE_GATES) for name in details.DEVICES)
    assert details.find_details("crashes on my IPHONE 15, app 5.2.1").device == "iPhone"
    assert details.find_details("crashes on my IPHONE 15, app 5.2.1").app_version == "5.2.1"
    assert details.find_details("my machine is a Macintosh").device is None


@FAST
@given(text=TEXT)
def test_ascii_tokens_match_the_token_pattern(text: str) -> None:
    from monitor.draft import grounding
    if text.isascii():
        assert grounding.tokens(text) == grounding._TOKEN.findall(text.lower())
