"""Table-driven tests for the rules classifier: VADER's blind spots, sarcasm, negation,
requests without '?', praise with a complaint inside, non-English, topics, reasons."""

from __future__ import annotations

import pytest

from monitor.classify import Classifier
from monitor.model import TOPICS, Label

FIX, VENT, PRAISE, NEUTRAL = Label.FIX_REQUEST, Label.VENTING, Label.PRAISE, Label.NEUTRAL
QUESTION = Label.QUESTION

LABEL_CASES = [
    # VADER's blind spots from classifier-notes.md
    ("can someone please help me find my bag", FIX),
    ("my order #4521 never arrived, I want a refund", FIX),
    ("Is the app down? It keeps crashing when I check in", FIX),
    # requests without a question mark, imperatives
    ("still waiting for my refund from last week", FIX),
    ("where is my parcel it said delivered yesterday", FIX),
    ("please reset my password I am locked out of my account", FIX),
    ("charged twice for the same subscription this month", FIX),
    ("can you look into booking ABC123 it shows cancelled", FIX),
    ("my internet has been down since this morning", FIX),
    # venting: insults, never again, worst, thanks for nothing, #fail
    ("you are the worst company ever, idiots", VENT),
    ("thanks for nothing", VENT),
    ("never again. absolutely pathetic #fail", VENT),
    ("what a joke of an airline, disgusting", VENT),
    # closed judgements: a wish about how it should have gone, custom taken elsewhere
    ("it would have been nice to get a warning before the price went up", VENT),
    ("you just lost a customer, the delivery was two days late", VENT),
    ("the router was slow all week, no wonder people leave", VENT),
    # no contact yet is a still-open problem; "no need to" asks for nothing
    ("sent my claim two weeks ago and never heard back", FIX),
    ("rubbish broadband provider, why will nobody answer the phone", FIX),
    ("heard about the new delivery fees - no need to be a loyal customer anymore!", VENT),
    # an imperative after a greeting, and "open more ..." ask for action
    ("hello fix the app, it crashed again, rubbish", FIX),
    ("hi, call me back about the bill. ridiculous", FIX),
    ("Open more tills at the Leeds store. One cashier for a queue of 40 people? Really?", FIX),
    # sarcasm: praise words beside a problem are not praise
    ("great job losing my bag again #fail", VENT),
    ("oh great, another delay. love it", VENT),
    # ... but "great job" with no problem anywhere is plain praise
    ("The agent on the phone did a great job.", PRAISE),
    ("cannot wait for my new sofa to arrive!", PRAISE),
    ("screwed me over twice in one month. learned my lesson", VENT),
    # negation
    ("not impressed with the service today", VENT),
    ("the flight wasn't delayed at all, great crew", PRAISE),
    ("not happy", VENT),
    # praise, including praise that mentions a resolved problem
    ("thanks so much for the quick help!", PRAISE),
    ("love the new app, so easy to use", PRAISE),
    ("thank you for finally fixing my order, all good now", PRAISE),
    # praise with a complaint inside: the complaint wins
    ("love the kettle but the lid broke after two days, can you send a new one", FIX),
    # neutral chatter and info questions
    ("do you ship to Canada?", QUESTION),
    ("what time does the store open on sunday", QUESTION),
    ("heading to the airport for my trip to Denver", NEUTRAL),
    ("", NEUTRAL),
    # non-English complaints
    ("mi pedido no ha llegado, ayuda por favor", FIX),
    ("la application ne marche pas depuis hier", FIX),
    ("die App funktioniert nicht", FIX),
]


@pytest.mark.parametrize(("text", "label"), LABEL_CASES)
def test_label(clf: Classifier, text: str, label: Label) -> None:
    result = clf.classify(text)
    assert result.label is label, (text, result)


@pytest.mark.parametrize(("text", "topic"), [
    ("my parcel never arrived, the tracking has not moved", "delivery"),
    ("you charged my card twice, I want a refund", "billing"),
    ("I cannot log in, password reset email never comes", "account"),
    ("the kettle is broken and leaking", "product"),
    ("is the website down? error 503 everywhere", "outage"),
    ("my flight got cancelled and I need to rebook", "booking"),
    ("the agent on the phone was rude and hung up", "service"),
    ("hello there", "other"),
    # A plan, not a parcel.
    ("can I drop the sports channels from my cable package?", "billing"),
    ("my package never arrived", "delivery"),
    ("stuck with my old crew emblem, the new one won't show", "product"),
    # A ticket with the helpdesk is not a travel ticket.
    ("the pack is bugged, I submitted a ticket a month ago and never got a response",
     "service"),
    ("the crew on my flight were rude", "service"),
    # A delivery in a game is a mission, not a parcel; a console delivered is a parcel.
    ("I'm unable to do any delivery missions for the moonshiner, lost 2 deliveries", "product"),
    ("my xbox delivery never arrived", "delivery"),
    # A word in another sense names no topic (monitor/senses.py, shared with the drafter):
    # "down" a price or a let-down is no outage, a pilot who arrived no parcel, parcels held
    # for later no wait on the line, and a ruled-out internet no outage.
    ("you let me down again, four hour delay on my flight", "booking"),
    ("it was $0 down on any phone, now it's $560 down and a $30 fee", "billing"),
    ("the pilot arrived an hour late so the flight left late", "booking"),
    ("I used My Choice to hold two packages and they vanished", "delivery"),
    ("both parcels are missing", "delivery"),
    ("it's not my internet, the app crashes on every phone", "product"),
    ("my internet is down again since this morning", "outage"),
    ("on hold for an hour to the helpline", "service"),
    # A meeting someone broke into is no account problem; an account that was hacked is.
    ("just been in a meeting that was hacked, obscenities down the mic, the host was rude",
     "service"),
    ("my account was hacked and the password changed", "account"),
    ("someone hacked into our webinar", "other"),
])
def test_topic(clf: Classifier, text: str, topic: str) -> None:
    result = clf.classify(text)
    assert result.topic == topic
    assert result.topic in TOPICS


def test_evidence_leaves_out_words_in_another_sense(clf: Classifier) -> None:
    # The queue shows these words as why the topic was chosen, and the drafter names the
    # topic only with them: "down" here is a price, "internet" ruled out.
    assert "down" not in clf.classify("$560 down and the phone still will not connect").evidence
    assert "internet" not in clf.classify("not my internet, your servers are down").evidence
    assert "down" in clf.classify("not my internet, your servers are down").evidence


@pytest.mark.parametrize(("text", "reason"), [
    ("my order #4521 never arrived, I want a refund", "asks for a refund"),
    ("my order #4521 never arrived, I want a refund", "order or booking number"),
    ("you are the worst company ever, idiots", "insult"),
    ("thanks for nothing", "thanks for nothing"),
    ("still waiting on my replacement", "still waiting"),
    ("great job losing my bag", "sarcasm"),
    ("love the kettle but the lid broke", "praise beside a problem"),
])
def test_reasons(clf: Classifier, text: str, reason: str) -> None:
    result = clf.classify(text)
    assert reason in result.reasons
    assert len(result.reasons) <= 5
    assert all(r and len(r) <= 40 for r in result.reasons)


def test_reasons_match_the_label(clf: Classifier) -> None:
    result = clf.classify("thanks, but my refund still has not arrived, please help")
    assert result.label is FIX
    assert "thanks" not in result.reasons
    praise = clf.classify("thank you, you were so helpful")
    assert praise.label is PRAISE
    assert not {"asks for help", "something is missing"} & set(praise.reasons)


def test_sentiment_is_vaders(clf: Classifier) -> None:
    s = clf.classify("my order #4521 never arrived, I want a refund").sentiment
    assert s.compound == pytest.approx(-0.0572)
    assert s.neg + s.neu + s.pos == pytest.approx(1.0, abs=0.01)


def test_deterministic(clf: Classifier) -> None:
    text = "great job losing my bag again #fail"
    assert clf.classify(text) == clf.classify(text)


def test_brand_terms_are_not_cues(clf: Classifier, brand_clf: Classifier) -> None:
    # "Best" is praise to VADER and the cues; as the brand's name it is neither.
    text = "best buy my order never arrived"
    assert brand_clf.classify(text).label is FIX
    assert brand_clf.classify("@bestbuy where is my order").label is FIX


def test_exclude_terms_make_it_neutral(brand_clf: Classifier) -> None:
    result = brand_clf.classify("I always buy the best tools, my old drill broke, help")
    assert result.label is NEUTRAL
    assert result.reasons == ("not about the brand: buy the best",)


def test_config_topics_and_products(brand_clf: Classifier) -> None:
    assert brand_clf.classify("curbside was a mess, waited an hour").topic == "delivery"
    assert brand_clf.classify("geek squad never showed up, I need help").topic == "product"


@pytest.mark.parametrize("text", [
    "love love love the new kettle, it's amazing, the lid is broken though",
    "thanks so much, great team, wonderful, my order never arrived",
])
def test_a_concrete_problem_is_never_praise(clf: Classifier, text: str) -> None:
    assert clf.classify(text).label.is_complaint


def test_a_negated_problem_can_still_be_praise(clf: Classifier) -> None:
    assert clf.classify("the flight wasn't delayed at all, great crew").label is PRAISE


def test_a_batterys_charge_is_not_a_bill(clf: Classifier) -> None:
    for text in ("my left earbud disconnects randomly even though it's charged",
                 "my phone dies so quickly, I have to charge it 3 times a day"):
        assert clf.classify(text).topic != "billing", text
    assert clf.classify("you charged me twice for my order").topic == "billing"
    assert clf.classify("you charged me twice for cable this month").topic == "billing"
