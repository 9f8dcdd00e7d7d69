"""Each safety check catches what it should and lets a house-style reply through (table-driven),
run both directly and through TemplateDrafter.check, which the review app calls on every edit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.draft import TemplateDrafter
from monitor.draft.checks import CHECKS, CheckContext, run_checks
from monitor.model import Mention

MakeMention = Callable[..., Mention]

CTX = CheckContext(
    platform="x",
    author_tag="@jo_smith",
    mention_text="My kettle order NW-48213 has still not arrived after two whole weeks, useless",
    allowed_links=("https://northwind.example/help", "https://status.northwind.example"),
    allowed_caps=frozenset({"NW-48213", "Northwind"}),
    response_window="within one working day",
    order_number="NW-48213",
)
GOOD = ("@jo_smith Sorry your order NW-48213 has not reached you. Send us a DM and we will "
        "look into the delivery; updates at https://status.northwind.example ^NK")

# (case, text, expected fragment of the one violation it must raise)
BAD = [
    ("too long", "@jo_smith " + "word " * 60, "Too long for x"),
    ("long via URLs", "@jo_smith " + "https://northwind.example/help " * 12, "Too long for x"),
    ("third-party tag", "@jo_smith we have asked @courier_co to look", "Tags @courier_co"),
    ("remote third-party tag", "@jo_smith ask @bob@example.social", "Tags @bob@example.social"),
    ("reddit tag", "@jo_smith u/someone_else said so", "Tags u/someone_else"),
    ("unconfigured link", "@jo_smith see https://evil.example/login", "evil.example"),
    ("bare domain link", "@jo_smith see tracking-site.com/123", "tracking-site.com"),
    ("look-alike host", "@jo_smith see https://northwind.example.evil.com/help", "evil.com"),
    ("profanity", "@jo_smith sorry about the shit service", "profanity"),
    ("obfuscated profanity", "@jo_smith that f*cking parcel", "profanity"),
    ("insult", "@jo_smith that sounds useless", "profanity or an insult"),
    ("echo", "@jo_smith has still not arrived after two whole weeks, sorry", "Repeats"),
    ("shouting word", "@jo_smith we are VERY sorry", "Shouts"),
    ("shouting run", "@jo_smith SO SO sorry", "Shouts"),
    ("exclamations", "@jo_smith thank you! We love it!", "exclamation"),
    ("defensive", "@jo_smith we apologise for any inconvenience", "defensive"),
    ("policy", "@jo_smith as per our policy returns take time", "defensive"),
    ("sends them away", "@jo_smith please contact the sales department", "defensive"),
    ("unconfigured deadline", "@jo_smith we will fix it right away", "Promises"),
    ("minutes", "@jo_smith you will hear back in 5 minutes", "Promises"),
    ("other window", "@jo_smith you will hear back within 2 hours", "Promises"),
    ("empty", "@jo_smith", "says nothing"),
    ("asks again", "@jo_smith Please DM us your order number.", "already gave (NW-48213)"),
    ("lone exclamation", "@jo_smith Sorry about that!", "outside a thank-you"),
    ("invents a charge", "@jo_smith Sorry about the wrong charge.", '"charge" (billing)'),
    ("invents a sign-in problem", "@jo_smith Sorry you are locked out.", '"locked out" (account)'),
    ("invents a booking", "@jo_smith We will look at your booking.", "post does not state"),
    ("e-mail in public", "@jo_smith Reply here with the e-mail on your account.",
     "e-mail address or phone number in public"),
    ("other language defensive", "@jo_smith Disculpe las molestias ocasionadas.", "defensive"),
    ("other language deadline", "@jo_smith Lo revisamos de inmediato.", "Promises"),
    ("other language profanity", "@jo_smith qué mierda de envío", "profanity"),
    ("other language asks again", "@jo_smith ¿Nos pasas el número de pedido?", "already gave"),
]


def test_a_house_style_reply_passes_every_check() -> None:
    assert run_checks(GOOD, CTX) == ()


@pytest.mark.parametrize(("case", "text", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_each_check_catches_its_case(case: str, text: str, fragment: str) -> None:
    violations = run_checks(text, CTX)
    assert len(violations) == 1, violations
    assert fragment in violations[0]


def test_the_configured_window_is_allowed_but_not_others() -> None:
    ok = "@jo_smith we will get back to you within one working day ^NK"
    assert run_checks(ok, CTX) == ()
    no_window = CheckContext(platform="x", author_tag="@jo_smith")
    assert any("Promises" in v for v in run_checks(ok, no_window))


def test_every_check_is_listed_and_none_raises_on_odd_input() -> None:
    odd = ["", "\x00", "\ud800", "🙂" * 5000, "@" * 1000, "http://" * 300, "A" * 100_000]
    for text in odd:
        for check in CHECKS:
            assert isinstance(check(text, CTX), list)


def test_a_thank_you_may_have_one_exclamation_and_a_named_detail_is_not_asking() -> None:
    assert run_checks("@jo_smith Thank you, that made our day!", CTX) == ()
    assert run_checks("@jo_smith We have your order number (NW-48213). A DM is on its way.",
                      CTX) == ()
    booking = CheckContext(platform="x", booking_ref="QWERTY",
                           mention_text="booking QWERTY was cancelled")
    assert run_checks("Reply with your booking reference.", booking)
    assert run_checks("We have your booking reference, QWERTY.", booking) == ()


def test_violations_do_not_echo_profanity_in_full() -> None:
    (violation,) = run_checks("@jo_smith shitty parcel", CTX)
    assert "shitty" not in violation
    assert "s****y" in violation


def test_handles_and_links_in_capitals_are_not_shouting() -> None:
    ctx = CheckContext(platform="x", author_tag="@JOSMITH",
                       allowed_links=("https://NORTHWIND.EXAMPLE/HELP",))
    assert run_checks("@JOSMITH Sorry. See https://NORTHWIND.EXAMPLE/HELP for more.", ctx) == ()


def test_allowed_caps_cover_details_and_brand() -> None:
    ctx = CheckContext(platform="x", allowed_caps=frozenset({"QWERTY", "NORTHWIND"}),
                       mention_text="my booking QWERTY")
    assert run_checks("Booking QWERTY is noted, NORTHWIND team. A DM is on its way.", ctx) == ()


def test_drafter_check_uses_the_mention_and_brand(drafter: TemplateDrafter,
                                                 mention: MakeMention) -> None:
    m = mention("order NW-48213 missing, ask @courier_co why", platform="mastodon",
                author="@jo@example.social")
    assert drafter.check("@jo@example.social Sorry about order NW-48213. ^NK", m) == ()
    problems = drafter.check("@jo@example.social @courier_co see https://bit.ly/x!!", m)
    joined = " | ".join(problems)
    assert "Tags @courier_co" in joined and "bit.ly" in joined and "exclamation" in joined
    # X weighs the whole edit the X way: a 280-char reply full of emoji is too long.
    x = mention("hi", platform="x", author="@jo")
    assert any(v.startswith("Too long for x") for v in drafter.check("@jo Thanks " + "🙂" * 140, x))
    assert drafter.check("@jo Thanks " + "🙂" * 134, x) == ()


def test_two_sentences_run_together_are_flagged_but_links_and_handles_are_not() -> None:
    ctx = CheckContext(platform="x", author_tag="@jo",
                       allowed_links=("https://northwind.example/Help.Page",))
    assert any("No space between two sentences" in v and "question.Send" in v
               for v in run_checks("@jo Good question.Send us a DM.", ctx))
    assert run_checks("@jo Thanks. See https://northwind.example/Help.Page for more.", ctx) == ()
    assert run_checks("@jo Good question. Send us a DM.", ctx) == ()
