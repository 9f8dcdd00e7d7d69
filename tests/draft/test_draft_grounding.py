"""Never invent (issue 13): a reply names a problem or topic only when the post states it.

The check on drafts and edits (a topic word needs the topic in the post), the phrases the
templates get (built only from the post's own words), and the tables behind both: every phrase
passes the check on the word it came from, and every keyword the classifier takes as evidence
is read the same way here."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.classify.topic import BUILTIN
from monitor.config import IncidentSettings
from monitor.draft import TemplateDrafter, grounding
from monitor.draft.checks import CheckContext, check_grounded
from monitor.model import TOPICS, Classification, Mention

MakeMention = Callable[..., Mention]
MakeClass = Callable[..., Classification]
INVENTS = "Names a problem the post does not state"


@pytest.mark.parametrize(("post", "reply", "invented"), [
    ("my app keeps crashing", "Sorry about the wrong charge.", '"charge" (billing)'),
    ("my app keeps crashing", "Sorry you are locked out of your account.", '"locked out"'),
    ("my app keeps crashing", "Sorry your parcel has not turned up.", '"parcel" (delivery)'),
    ("the agent was great but", "Sorry about the outage.", '"outage" (outage)'),
    ("thanks for the lovely mug", "Sorry the help you got fell short.", "help you got"),
    ("does the offer apply to bowls?", "Sorry about your booking.", '"booking" (booking)'),
    ("¿tenéis tazas rojas?", "Lamentamos los problemas con tu paquete.", '"paquete"'),
    ("la app no abre", "Désolés pour le prélèvement.", '"prelevement"'),
    ("die App stürzt ab", "Es tut uns leid wegen Ihrer Buchung.", '"buchung"'),
    ("o app fecha sozinho", "Sentimos muito pela cobrança.", '"cobranca"'),
    # A topic word in another sense, or ruled out, states nothing (monitor/senses.py), as the
    # classifier's topic reads it: a price, a breakdown, the internet as where one reads.
    ("That'll be about $560 down today for the new phone", "Sorry the site is down.",
     '"is down" (outage)'),
    ("My driver broke down. Any tips on getting a refund?", "Sorry about the outage.",
     '"outage" (outage)'),
    ("It's not my internet, it's plugged straight into the box", "Sorry about the outage.",
     '"outage" (outage)'),
    ("It isn\u2019t my internet, it\u2019s plugged into the box", "Sorry about the outage.",
     '"outage" (outage)'),
    ("I used My Choice to hold two items until Monday", "Sorry the help you got fell short.",
     "help you got"),
    ("just been in a meeting that was hacked, please help", "Sorry you are locked out.",
     '"locked out" (account)'),
])
def test_a_reply_naming_a_topic_the_post_does_not_state_is_flagged(
        post: str, reply: str, invented: str) -> None:
    [violation] = check_grounded(reply, CheckContext(platform="x", mention_text=post))
    assert violation.startswith(INVENTS) and invented in violation


@pytest.mark.parametrize(("post", "reply"), [
    ("I was charged twice", "Sorry about the charge."),
    ("my order never came", "Sorry your parcel is late."),  # an order is a delivery
    ("cannot log in since the update", "Sorry you cannot sign in."),
    ("the flight was delayed 4 hours", "Sorry about your flight."),
    ("is the app down?", "Sorry about the outage."),
    ("the agent hung up on me", "Sorry the help you got fell short."),
    ("app crashes", "Which device and app version are you on?"),  # asking names nothing
    ("hello", "Sorry about this. Send us a DM with your order number."),
    ("hello", "See https://northwind.example/billing/refunds or ask @refunds_desk."),
    ("mi paquete no llega", "Lamentamos los problemas con tu paquete."),
    ("the site is down again", "Sorry the site is down."),  # "down" as an outage
    ("the website's been down since 9am", "Sorry about the outage."),
    ("on hold for 40 minutes", "Sorry the help you got fell short."),
    ("my account got hacked last night", "Sorry you are locked out."),
])
def test_a_reply_in_the_post_s_terms_or_in_general_words_passes(post: str, reply: str) -> None:
    assert check_grounded(reply, CheckContext(platform="x", mention_text=post)) == []


def test_the_classifier_evidence_counts_and_the_incident_summary_may_be_quoted() -> None:
    ctx = CheckContext(platform="x", mention_text="the thing is broken",
                       evidence_topic="billing")
    assert check_grounded("Sorry about the charge.", ctx) == []
    incident = CheckContext(platform="x", mention_text="nothing works",
                            exempt=("the sign-in outage",))
    assert check_grounded("We know about the sign-in outage.", incident) == []
    assert check_grounded("We know about the outage.", incident)


def test_drafter_check_runs_it_on_edits_with_and_without_the_classification(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    m = mention("the app crashes every time I open it")
    assert any(v.startswith(INVENTS) for v in drafter.check("@jo_smith Sorry about the "
                                                            "refund.", m))
    assert drafter.check("@jo_smith Sorry about the crashes. ^NK", m) == ()
    # The classification's evidence is read as the post's words are.
    cls = classified("fix_request", "product", evidence=("crashes",))
    assert drafter.check("@jo_smith Sorry about the crashes. ^NK", m, classification=cls) == ()


def test_problem_phrases_pass_the_check_on_the_word_they_came_from() -> None:
    for language, table in grounding.PROBLEM_PHRASES.items():
        for word, phrase in table.items():
            stated = grounding.post_topics(word)
            assert stated, (language, word)  # a phrase only from a word the post states
            for topics, _ in grounding.reply_topic_words(phrase):
                assert not stated.isdisjoint(topics), (language, word, phrase)
    for language, table in grounding.PRAISE_PHRASES.items():
        for word, phrase in table.items():
            stated = grounding.post_topics(word)
            for topics, _ in grounding.reply_topic_words(phrase):
                assert not stated.isdisjoint(topics), (language, word, phrase)


def test_every_classifier_keyword_states_its_topic_here() -> None:
    # So a draft built on the classifier's evidence passes the check on the post alone,
    # which is how every edit and every publish re-check runs it.
    for topic, words in BUILTIN.items():
        for word in words:
            assert topic in grounding.post_topics(word), (topic, word)


@pytest.mark.parametrize("word", ["charge", "parcel", "sign in", "booking", "outage", "broken",
                                  "rude", "cobro", "colis", "Buchung", "senha", "app"])
def test_a_post_saying_a_reply_word_states_its_topics(word: str) -> None:
    for topics, _ in grounding.reply_topic_words(word):
        assert topics <= grounding.post_topics(word)
    assert check_grounded(f"About the {word}.", CheckContext(platform="x",
                                                            mention_text=word)) == []


def test_the_problem_is_named_only_from_evidence_the_post_holds(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    m = mention("where is my parcel, ten days now", platform="mastodon",
                author="@jo@example.social")
    grounded = classified("fix_request", "delivery", evidence=("parcel",))
    texts = [drafter.draft(m, grounded, variant=i).text
             for i in range(drafter.variants(m, grounded))]
    assert any("your parcel" in t for t in texts)
    # Evidence the post does not hold, or a topic with none, gives topic-neutral wording.
    for cls in (classified("fix_request", "billing", evidence=("charged",)),
                classified("fix_request", "billing")):
        for i in range(drafter.variants(m, cls)):
            draft = drafter.draft(m, cls, variant=i)
            assert draft.template == "fix_request/other" and draft.ok, draft
            assert "charge" not in draft.text


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("label", ["fix_request", "question", "venting", "praise"])
def test_a_guessed_topic_never_reaches_the_wording(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass, topic: str,
        label: str) -> None:
    # The same neutral post under every guessed topic: no wording names any topic.
    m = mention("well, here we go again", platform="mastodon", author="@jo@example.social")
    cls = classified(label, topic)
    for i in range(drafter.variants(m, cls)):
        draft = drafter.draft(m, cls, variant=i)
        assert draft.ok, draft
        assert grounding.reply_topic_words(draft.text) == [], draft.text


def test_the_brand_s_incident_summary_is_not_an_invention(
        mention: MakeMention, classified: MakeClass, drafter: TemplateDrafter) -> None:
    incident = IncidentSettings(active=True, summary="the sign-in outage")
    m = mention("nothing works today", platform="mastodon", author="@jo@example.social")
    cls = classified("fix_request", "other")
    for i in range(drafter.variants(m, cls)):
        draft = drafter.draft(m, cls, incident=incident, variant=i)
        assert draft.template == "incident/default" and draft.ok, draft
