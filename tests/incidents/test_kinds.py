"""A surge is a service failure only if its posts say something is broken: a copy-and-paste
campaign and a wave of opinions are told apart from an outage, by what the posts say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.incidents import detect, kinds

T0 = datetime(2026, 11, 1, tzinfo=UTC)
TH = detect.Thresholds(window=timedelta(hours=1), baseline=timedelta(days=7),
                       min_history=timedelta(hours=12), min_authors=6, ratio=5.0)


@pytest.mark.parametrize("text", [
    "your app crashes every time I open it", "can't log in to manage my booking",
    "I was charged twice for one ticket", "is the website down?", "check-in doesn't work",
    "the page won't load at all", "unable to check in online", "error 503 when I sign in",
    "my bag never arrived", "flight delayed again",
    # Something that has not come, told the common ways.
    "landed an hour ago and still no bags on the carousel",
    "waiting over 90 minutes for luggage at baggage claim",
    "where are the bags from flight 212?", "no bags coming out at claim",
    "my refund still hasn't arrived",
])
def test_failures_are_described(text: str) -> None:
    assert kinds.describes_failure(text)


@pytest.mark.parametrize("text", [
    "I need my coffee but I can't do black. Please add vegan creamer",
    "the new boarding policy is a disgrace", "please bring back the old menu",
    "when do the Hawaii flights start?", "love the new lounge",
    "where is the nearest lounge at JFK?",
])
def test_requests_and_opinions_describe_no_failure(text: str) -> None:
    assert not kinds.describes_failure(text)


def test_wording_ignores_handles_links_numbers_and_retweet_marks() -> None:
    assert kinds.wording("RT @a: Please add #vegan creamer! https://x.example 2") == \
        kinds.wording("please add vegan CREAMER @brand")


def _posts(texts: list[str]) -> list[tuple[str, str, bool]]:
    return [(f"@a{k}", t, kinds.describes_failure(t)) for k, t in enumerate(texts)]


def test_verdicts() -> None:
    template = "please add vegan creamer to every flight #vegan"
    assert kinds.verdict(_posts([template] * 5 + ["my app crashes", "app crash again"])) \
        == "campaign"
    # Copies of a failure are still a failure: many people posting "the app is down".
    assert kinds.verdict(_posts(["RT @a: the app is down again"] * 6 + ["new menu please"])) \
        == ""
    assert kinds.verdict(_posts(["new policy is awful", "hate the new policy",
                                 "policy change is a disgrace", "the app crashes"])) \
        == "no failure described"
    # An outage told in ten wordings over thirty posts (as the bench's surges) is a failure,
    # although every wording is posted by several people.
    outage = [f"the app crashes at check in, try {w}" for w in "abcdefghij"] * 3
    assert kinds.verdict(_posts(outage)) == ""
    # One author posting the template ten times is one author.
    assert kinds.verdict([("@one", template, False)] * 10 + _posts(
        ["the app crashes", "app down", "app error", "cannot log in to the app"])) == ""


def _burst(texts: list[str], at: datetime) -> list[detect.Post]:
    return [detect.post(1000 + k, at + timedelta(minutes=3 * k), f"@v{k}", "x", "other", t)
            for k, t in enumerate(texts)]


def test_a_campaign_surges_but_carries_its_verdict() -> None:
    at = T0 + timedelta(hours=20)
    background = [detect.post(i, T0 + timedelta(minutes=30 * i), f"@b{i}", "x", "other",
                              "my parcel is late again") for i in range(48)]
    campaign = _burst(["please add vegan creamer to every flight #vegan"] * 8, at)
    [surge] = detect.evaluate(detect.Index(background + campaign), at + timedelta(minutes=30),
                              T0, TH)
    assert surge.verdict == "campaign" and len(surge.mention_ids) == 8
    outage = _burst(["the app crashes at checkout", "app checkout crashed on me",
                     "checkout in the app crashes", "app crashes at checkout again",
                     "why does the app crash at checkout", "checkout crash in app",
                     "app keeps crashing at checkout", "app checkout crashes, fix it"], at)
    [surge] = detect.evaluate(detect.Index(background + outage), at + timedelta(minutes=30),
                              T0, TH)
    assert surge.verdict == "" and len(surge.mention_ids) == 8


def test_an_outage_whose_first_posts_say_little_is_a_failure_once_most_describe_it() -> None:
    at = T0 + timedelta(hours=20)
    background = [detect.post(i, T0 + timedelta(minutes=30 * i), f"@b{i}", "x", "other",
                              "my parcel is late again") for i in range(48)]
    vague = ["where are the bags from the carousel?", "bags carousel empty, hello?",
             "any news on the bags at the carousel", "carousel bags???",
             "still waiting at the carousel for bags", "bags and carousel, come on",
             "the carousel has no bags"]
    said = ["bags stuck, carousel broken", "carousel belt down, bags missing",
            "carousel system failed, no bags", "bags lost? carousel not working",
            "carousel error, bags delayed", "bags missing at carousel 6, belt broken",
            "carousel broke down, bags stuck", "bags delayed, carousel broken again"]
    index = detect.Index(background + _burst(vague + said, at))
    [early] = detect.evaluate(index, at + timedelta(minutes=20), T0, TH)
    assert early.verdict == "no failure described"
    [later] = detect.evaluate(index, at + timedelta(minutes=45), T0, TH)
    assert later.verdict == "" and len(later.mention_ids) == 15
