"""Replies a manager can send unchanged (issue 13): one concrete next step for every fix-request
and question, asked through the brand's channel and never for what the post gave; no claimed
action; questions answered without an apology; praise that reacts to what was praised;
wording that fits any reading when the label is uncertain; drafts in Spanish, French, German
and Portuguese and none (reply by hand) in other languages; venting met with calm warmth."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pytest

from monitor.config import IncidentSettings, RepliesSettings, Settings
from monitor.draft import TemplateDrafter, build_drafter, shipped_templates_dir
from monitor.draft.drafter import BY_HAND_MARK
from monitor.model import CHECK_LABEL_BELOW, Classification, Mention, Sentiment

MakeMention = Callable[..., Mention]
MakeClass = Callable[..., Classification]
APOLOGY = re.compile(r"(?i)\b(?:sorry|apologi[sz]e|lamentamos|sentimos|perdona|d[ée]sol[ée]s?|"
                     r"excuses|tut uns (?:\w+ )?leid|entschuldig|desculp)")
PRIVATE = re.compile(r"(?i)\b(?:DM|mensaje directo|por privado|message priv[ée]|"
                     r"Direktnachricht|mensagem direta)\b")
NEXT_STEP = re.compile(r"(?i)\bDM\b|reply here|mensaje directo|por privado|message priv[ée]|"
                       r"Direktnachricht|mensagem direta|https://")


def _wordings(drafter: TemplateDrafter, m: Mention, cls: Classification) -> list[str]:
    out = []
    for i in range(drafter.variants(m, cls)):
        draft = drafter.draft(m, cls, variant=i)
        assert draft.ok, draft
        out.append(draft.text)
    return out


def _on(mention: MakeMention, text: str, network: str = "mastodon") -> Mention:
    return mention(text, platform=network, author="@jo@example.social")


# topic: (post, the classifier's evidence, the detail every wording must ask for)
ASKS = {
    "delivery": ("where is my parcel? ten days now", ("parcel",), "order or tracking number"),
    "billing": ("I was charged twice for my order last week", ("charged",), "order number"),
    "account": ("cannot log in, the reset e-mail never arrives", ("log in",), "e-mail"),
    "booking": ("my flight got cancelled, what now", ("flight",), "booking reference"),
    "product": ("the app crashes every time I open it", ("crashes",), "app version"),
    "outage": ("is the app down? nothing loads", ("down",), "app version"),
    "service": ("the agent hung up on me twice", ("agent",), "when"),
}


@pytest.mark.parametrize("topic", sorted(ASKS))
def test_every_fix_request_wording_asks_for_what_the_topic_needs(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass, topic: str) -> None:
    post, evidence, ask = ASKS[topic]
    for network in ("x", "mastodon"):
        m = mention(post, platform=network, author="@jo")
        for text in _wordings(drafter, m, classified("fix_request", topic, evidence=evidence)):
            assert ask in text.lower(), text
            assert len(APOLOGY.findall(text)) == 1, text  # own it, once
            assert NEXT_STEP.search(text), text
            for claim in ("on us", "sent you", "our fault", "right away"):
                assert claim not in text.lower(), text


def test_a_line_or_connection_outage_asks_for_the_account_by_dm(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    m = _on(mention, "my internet has been down all day")
    for text in _wordings(drafter, m, classified("fix_request", "outage",
                                                 evidence=("internet", "down"))):
        assert "e-mail address on your account" in text and "DM" in text, text
        assert "app version" not in text, text


def test_details_they_gave_are_used_not_asked_for(drafter: TemplateDrafter, mention: MakeMention,
                                                  classified: MakeClass) -> None:
    order = _on(mention, "order NW-48213 never arrived")
    for text in _wordings(drafter, order, classified("fix_request", "delivery",
                                                     evidence=("order", "arrived"))):
        assert "NW-48213" in text and "order number" not in text, text
    device = _on(mention, "App crashes on my iPhone since version 5.2.1")
    for text in _wordings(drafter, device, classified("fix_request", "product",
                                                      evidence=("crashes",))):
        assert "device" not in text and "app version" not in text, text
    iphone = _on(mention, "App crashes on my iPhone")
    for text in _wordings(drafter, iphone, classified("fix_request", "product",
                                                      evidence=("crashes",))):
        assert "app version" in text and "device" not in text, text


def test_account_details_are_asked_for_by_dm_only(drafter: TemplateDrafter, mention: MakeMention,
                                                  classified: MakeClass) -> None:
    subscription = _on(mention, "charged twice for my subscription")
    cases = [(subscription, classified("fix_request", "billing", evidence=("charged",))),
             (_on(mention, "my account was suspended without warning"),
              classified("fix_request", "account", evidence=("suspended",)))]
    for m, cls in cases:
        for text in _wordings(drafter, m, cls):
            [sentence] = [s for s in re.split(r"(?<=[.?])\s", text) if "e-mail" in s]
            assert PRIVATE.search(sentence), text
    # Getting back in: the message they see is the next step, and no wording asks for the
    # account's e-mail at all (a reading called that a promise of checks we cannot make).
    locked = _on(mention, "locked out of my account, can't recover it")
    for text in _wordings(drafter, locked, classified("fix_request", "account",
                                                      evidence=("locked out",))):
        assert "what message do you see" in text.lower() and "e-mail" not in text, text
        assert "never share your password" in text.lower(), text
    reply_here = drafter.check("@jo@example.social Reply here with your account e-mail.",
                               subscription)
    assert any("in public" in v for v in reply_here)


def test_the_default_channel_is_an_invitation_and_claims_need_brand_sends_dm(
        settings: Settings, mention: MakeMention, classified: MakeClass) -> None:
    assert RepliesSettings().dm_wording == "Send us a DM"
    assert not RepliesSettings().brand_sends_dm
    m = _on(mention, "where is my parcel")
    cls = classified("fix_request", "delivery", evidence=("parcel",))
    claim = dataclasses.replace(settings.replies, dm_wording="We have sent you a DM")
    claiming = build_drafter(dataclasses.replace(settings, replies=claim))
    draft = claiming.draft(m, cls, variant=0)
    assert any("nobody sends DMs" in v for v in draft.violations)
    # A reviewer may really have sent one: edits are not held to it.
    assert claiming.check("@jo@example.social We have sent you a DM. ^NK", m) == ()
    sends = dataclasses.replace(settings.replies, dm_wording="Reply to the DM we sent you",
                                brand_sends_dm=True)
    assert build_drafter(dataclasses.replace(settings, replies=sends)).draft(m, cls).ok


def test_no_shipped_wording_claims_fault_or_an_action_or_speaks_of_the_brand() -> None:
    for path in shipped_templates_dir().rglob("*.j2"):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL).lower()
        for phrase in ("on us", "sent you", "mentioning", "{{ brand }}", "our fault",
                       "any inconvenience", "te hemos enviado", "nous vous avons envoyé"):
            assert phrase not in text, (path, phrase)


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "pt"])
def test_questions_get_a_pointer_or_a_hand_off_never_an_apology(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass,
        language: str) -> None:
    posts = [("does the offer apply to bowls?", "other", ()),
             ("do you deliver to Ireland?", "delivery", ("deliver",)),
             ("can I move my booking to Friday?", "booking", ("booking",)),
             ("how do I change the e-mail on my account?", "account", ("account",)),
             ("does the app work on older phones?", "product", ("app",))]
    for post, topic, evidence in posts:
        cls = classified("question", topic, evidence=evidence, language=language)
        for text in _wordings(drafter, _on(mention, post), cls):
            assert not APOLOGY.search(text), text
            assert NEXT_STEP.search(text) or "aqui" in text or "ici" in text \
                or "hier" in text or "aquí" in text, text


def test_a_general_question_is_answered_here_and_a_wish_is_passed_on(
        drafter: TemplateDrafter, no_support_page: TemplateDrafter, mention: MakeMention,
        classified: MakeClass) -> None:
    # With no support page: tune readings marked a DM under a general question needless
    # (several times wrong) and approved it under a question about the customer's own thing.
    bare = no_support_page
    cls = classified("question", "other")
    general = _wordings(bare, _on(mention, "what time does the halloween offer end?"), cls)
    own = _wordings(bare, _on(mention, "can I change the region on my account?"), cls)
    wish = _wordings(bare, _on(mention, "please add the new album by Kes, pls pls"), cls)
    for text in general:
        assert "DM" not in text and "here" in text, text
    for text in own:
        assert "DM" in text, text
    for text in wish:
        assert "DM" not in text and "team" in text and "?" not in text, text
        assert not APOLOGY.search(text), text
    for post in ("you should have a way to broadcast live", "any plans for a Hilo route?",
                 "hurry up with gigabit internet, that'd be great"):
        for text in _wordings(bare, _on(mention, post), cls):
            assert "team" in text and "?" not in text, (post, text)
    # A wish about their own booking asks for action on it: not "we will share it".
    group = _on(mention, "it would be awesome if you could issue separate vouchers for our "
                         "group flight contract")
    for text in _wordings(bare, group, cls):
        assert "DM" in text, text
    # A post that only asks for help, or to ask, is asked what it needs.
    for text in _wordings(bare, _on(mention, "can someone answer a question"), cls):
        assert "checking" not in text and "finding out" not in text, text
    for text in _wordings(bare, _on(mention, "can you just help me please"), cls):
        assert "?" in text or "Tell us" in text, text
        assert "checking" not in text and "finding out" not in text, text
    # An account question about no account of theirs gets no e-mail or password line.
    legal = _on(mention, "who can I speak to regarding a legal claim? need an email address")
    for text in _wordings(bare, legal, classified("question", "account")):
        assert "password" not in text and "e-mail address on" not in text, text


def test_praise_reacts_to_what_was_praised_in_our_own_voice(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    crew = _on(mention, "Thanks for the amazing crew on my flight to Denver today")
    texts = _wordings(drafter, crew, classified("praise", "booking", evidence=("flight",)))
    assert sum("the crew" in t for t in texts) >= 2, texts
    product = _on(mention, "loving my Aurora Pro, best coffee in years")
    texts = _wordings(drafter, product, classified("praise", "product"))
    assert sum("Aurora Pro" in t for t in texts) >= 3, texts
    for text in texts:
        assert "Northwind" not in text and "mention" not in text.lower(), text
        assert text.count("!") <= 1


def test_an_uncertain_label_gets_wording_that_fits_any_reading(
        settings: Settings, drafter: TemplateDrafter, mention: MakeMention,
        classified: MakeClass) -> None:
    m = _on(mention, "well that was something")
    calm = Sentiment(0.0, 1.0, 0.0, 0.0)  # what VADER gives this post
    # (A best guess of venting is read as sour: see the test on "is honestly trash".)
    for label in ("fix_request", "question", "praise"):
        cls = dataclasses.replace(classified(label, "delivery", confidence=0.4), sentiment=calm)
        draft = drafter.draft(m, cls)
        assert draft.template == "uncertain/default" and draft.ok, draft
        for text in _wordings(drafter, m, cls):
            assert not APOLOGY.search(text) and "DM" in text, text
    # An angry post the classifier is unsure of: no "thanks for this" (a reading called it
    # dismissive), a plain apology that names no problem the post did not state.
    angry = _on(mention, "make that on hold for 20 mins - really first class service - erm not")
    cls = classified("fix_request", "other", confidence=0.4)
    assert cls.sentiment.compound <= -0.05
    for text in _wordings(drafter, angry, cls):
        assert APOLOGY.search(text) and "DM" in text and "thanks" not in text.lower(), text
        assert not re.search(r"(?i)order|parcel|charge|account", text), text
    es = drafter.draft(m, classified("fix_request", "other", confidence=0.4, language="es"))
    assert es.template == "lang/es/uncertain/default"
    # The threshold is the classifier's "check the label" one.
    assert drafter.check_below == getattr(settings.classifier, "check_below", CHECK_LABEL_BELOW)
    sure = TemplateDrafter(brand=drafter.brand, replies=drafter.replies, incident=drafter.incident,
                           library=drafter.library, check_below=0.3)
    assert sure.draft(m, classified("fix_request", "other", confidence=0.4)).template \
        == "fix_request/other"


def test_an_uncertain_label_leans_on_the_best_guess_without_assuming_a_problem(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    # A request the classifier is unsure of: say what to send, not "if there is anything we
    # can help with" (a reading called that generic); still no apology for an unstated problem.
    asks = _on(mention, "what can i do when it times out downloading the players data")
    calm = Sentiment(0.0, 1.0, 0.0, 0.0)
    for label in ("fix_request", "question"):
        cls = dataclasses.replace(classified(label, "other", confidence=0.4), sentiment=calm)
        for text in _wordings(drafter, asks, cls):
            assert "with a few details" in text or "with a little more detail" in text, text
            assert "DM" in text and not APOLOGY.search(text) and "anything" not in text, text
    # A happy post read as praise or chatter at low confidence: a plain thank-you with an easy
    # way in, never an offer to "look into" something.
    happy = _on(mention, "Excellent Halloweening, the costumes were brilliant")
    warm = Sentiment(0.0, 0.5, 0.5, 0.8)
    for label in ("praise", "neutral"):
        cls = dataclasses.replace(classified(label, "other", confidence=0.4), sentiment=warm)
        for text in _wordings(drafter, happy, cls):
            assert text.split(" ", 1)[1].startswith("Thank"), text
            assert "look into" not in text and not APOLOGY.search(text), text
    # An upbeat post that names a thing ("a Halloween flight") is not told it was a hassle.
    trip = _on(mention, "Celebrated Halloween on a flight with a delicious free drink")
    cls = dataclasses.replace(classified("praise", "booking", evidence=("flight",),
                                         confidence=0.4), sentiment=warm)
    for text in _wordings(drafter, trip, cls):
        assert not APOLOGY.search(text) and "hassle" not in text, text
    # The same best guess on a post that is not clearly positive keeps the neutral offer.
    flat = dataclasses.replace(classified("praise", "other", confidence=0.4),
                               sentiment=Sentiment(0.0, 0.9, 0.1, 0.1))
    assert not any(t.split(" ", 1)[1].startswith("Thanks for sharing")
                   for t in _wordings(drafter, happy, flat))


def test_a_booking_reference_is_asked_for_by_dm_and_a_page_on_a_bill_is_not_a_charge(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    # With a surname a booking reference opens the booking to anyone: never asked in public.
    flight = _on(mention, "my flight got cancelled, what now", network="x")
    for text in _wordings(drafter, flight, classified("fix_request", "booking",
                                                      evidence=("flight",))):
        assert "booking reference" in text and "DM" in text and "reply here" not in text, text
    # An invoice link that opens a blank page names no charge: its question is the page's.
    page = _on(mention, "the add tracking info link on my invoice always opens a blank page",
               network="x")
    for text in _wordings(drafter, page, classified("fix_request", "billing",
                                                    evidence=("invoice",))):
        assert "charge" not in text and "amount" not in text, text
        assert "Which browser and device" in text, text
    # A line that is down now: what to send, not "if it keeps happening".
    down = _on(mention, "internet has been down for almost 30 mins now", network="x")
    for text in _wordings(drafter, down, classified("fix_request", "outage",
                                                    evidence=("internet",))):
        assert "keeps happening" not in text and "DM" in text, text


def test_getting_back_into_an_account_starts_at_the_configured_support_page(
        drafter: TemplateDrafter, no_support_page: TemplateDrafter, mention: MakeMention,
        classified: MakeClass) -> None:
    m = _on(mention, "I have forgotten my password and my security questions", network="x")
    cls = classified("fix_request", "account", evidence=("password",))
    url = drafter.replies.support_url
    assert url
    for text in _wordings(drafter, m, cls):
        assert url in text and "DM" in text and "e-mail" in text, text
    bare = no_support_page
    for text in _wordings(bare, m, cls):
        assert "https://" not in text and "e-mail address" in text, text
    # Locked out, and no sign of having tried the way back in: "Forgot password" first (tune
    # readings called the bare e-mail request an overpromise); once they have tried it, not.
    locked = _on(mention, "my account got hacked, please help", network="x")
    for text in _wordings(bare, locked, classified("fix_request", "account",
                                                   evidence=("hacked",))):
        assert "Forgot password" in text and "e-mail address" in text, text
    tried = _on(mention, "my account got hacked and the password reset never works",
                network="x")
    for text in _wordings(bare, tried, classified("fix_request", "account",
                                                  evidence=("hacked",))):
        # Held-back readings marked "send us the e-mail on your account and we will take a
        # look" there as promising account access: the recovery steps, and what they show.
        assert "Forgot password" not in text and "e-mail address" not in text, text
        assert "account recovery" in text.lower() and "DM" in text, text
    # An account that is not theirs is not asked for "the e-mail on your account".
    stranger = _on(mention, "I got an email saying there was a new login to spotify.. But I "
                            "don't even have a spotify account", network="x")
    for text in _wordings(bare, stranger, classified("fix_request", "account",
                                                     evidence=("login",))):
        assert "on your account" not in text and "came to" in text, text
    # Back in already, or a second step that fails: a password reset is not the way.
    for post in ("my account got hacked a few weeks ago, I've gotten back in but my username "
                 "changed", "my account got hacked and now the 2FA code goes to my old phone"):
        for text in _wordings(bare, _on(mention, post, network="x"),
                              classified("fix_request", "account", evidence=("hacked",))):
            assert "Forgot password" not in text, (post, text)
    back = _on(mention, "my account got hacked a few weeks ago, I've gotten back in but my "
                        "username changed", network="x")
    for text in _wordings(bare, back, classified("fix_request", "account",
                                                 evidence=("hacked",))):
        assert "recovery" not in text, text
    # A game that will not sign in online and says why is not a lost password.
    game = _on(mention, "cant login online gta on my ps3, it says files required to play "
                        "could not be downloaded", network="x")
    for text in _wordings(bare, game, classified("fix_request", "account",
                                                 evidence=("login",))):
        assert "Forgot password" not in text, text


# language: (post, evidence, a word every fix-request wording has in that language)
FOREIGN = {
    "es": ("Mi pedido no ha llegado todavía", ("pedido",), "pedido"),
    "fr": ("Ma commande n'est toujours pas arrivée", ("commande",), "commande"),
    "de": ("Meine Bestellung ist immer noch nicht da", ("bestellung",), "Bestellnummer"),
    "pt": ("Meu pedido ainda não chegou", ("pedido",), "pedido"),
}


@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_spanish_french_german_portuguese_posts_get_drafts_in_their_language(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass,
        language: str) -> None:
    post, evidence, word = FOREIGN[language]
    for network in ("x", "bluesky", "mastodon"):
        m = mention(post, platform=network, author="@jo")
        cls = classified("fix_request", "delivery", evidence=evidence, language=language)
        assert drafter.draft(m, cls).template == f"lang/{language}/fix_request/default"
        for text in _wordings(drafter, m, cls):
            assert word in text and len(APOLOGY.findall(text)) == 1, text
            assert PRIVATE.search(text) and "Sorry" not in text, text
    for label in ("question", "venting", "praise", "neutral"):
        draft = drafter.draft(_on(mention, post), classified(label, "other", language=language))
        assert draft.template == f"lang/{language}/{label}/default" and draft.ok, draft
        assert not re.search(r"\b(?:the|we|you)\b", draft.text), draft.text
    # A question about no order is never asked for one (two readings marked "if it is about
    # an order, send its number" under a question about an account wrong).
    question = mention("une question sur le compte", platform="x", author="@jo")
    for text in _wordings(drafter, question, classified("question", "other", language=language)):
        assert not re.search(r"(?i)commande|pedido|bestellung", text), text


def test_other_languages_get_no_draft_but_the_mark_reply_by_hand(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    m = _on(mention, "注文した商品がまだ届きません")
    for label in ("fix_request", "question", "praise"):
        draft = drafter.draft(m, classified(label, "delivery", language="ja"))
        assert draft.text == "" and draft.template == "by_hand/ja"
        assert draft.violations[0].startswith(f"{BY_HAND_MARK}: Japanese")
    assert drafter.variants(m, classified(language="ja")) == 1
    assert drafter.draft(m, classified(language="xx")).violations[0].startswith(
        f"{BY_HAND_MARK}: xx")
    # Undetermined is drafted in English; a regional tag in its language.
    assert drafter.draft(m, classified(language="und")).template == "fix_request/other"
    assert drafter.draft(m, classified(language="pt-BR")).template.startswith("lang/pt/")


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "pt"])
def test_venting_gets_calm_warmth_and_no_demand(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass,
        language: str) -> None:
    m = _on(mention, "never again, what a waste #fail")
    for cls in (classified("venting", "other", language=language),
                classified("venting", "delivery", evidence=("waste",), language=language)):
        for text in _wordings(drafter, m, cls):
            assert len(APOLOGY.findall(text)) == 1, text
            assert "?" not in text and "!" not in text, text
            # A DM may be offered, never asked for: only as an open door ("if you would like
            # us to look into it, send us a DM").
            for sentence in re.split(r"(?<=[.;])\s+", text):
                if PRIVATE.search(sentence):
                    assert re.search(r"(?i)\b(if you|if there|whenever|any time)\b",
                                     sentence), text


def test_lowerfirst_continues_a_configured_phrase_mid_sentence() -> None:
    from monitor.draft.loader import lowerfirst
    assert lowerfirst("Send us a DM") == "send us a DM"
    assert lowerfirst("DM us") == "DM us"
    assert lowerfirst("") == "" and lowerfirst(None) == ""


FIXED = {"en": "fixed", "es": "resuelto|solucionado", "fr": "résolu|corrigé", "de": "behoben",
         "pt": "resolvido|corrigido"}


@pytest.mark.parametrize("language", sorted(FIXED))
def test_the_incident_follow_up_is_written_in_the_post_s_language(
        settings: Settings, mention: MakeMention, classified: MakeClass,
        language: str) -> None:
    drafter = build_drafter(dataclasses.replace(settings, replies=dataclasses.replace(
        settings.replies, status_url="https://status.example.com")))
    wording = IncidentSettings(active=True, summary="Sign-in fails. We are rolling back.",
                               labels=("fix_request", "venting", "question"),
                               status_url="https://status.example.com")
    cls = classified("fix_request", "account", evidence=("log in",), language=language)
    texts = set()
    for n in range(12):  # the wording is picked per mention: enough mentions to see them all
        m = mention("no puedo entrar / cannot log in", platform="mastodon",
                    author="@jo@example.social", external_id=str(n))
        draft = drafter.follow_up(m, cls, incident=wording)
        assert draft.ok, draft
        name = "incident/resolved"
        assert draft.template == (name if language == "en" else f"lang/{language}/{name}")
        assert draft.text.startswith("@jo@example.social ")
        texts.add(draft.text)
    assert len(texts) == 3, texts
    for text in texts:
        assert re.search(FIXED[language], text), text
        assert NEXT_STEP.search(text), text  # what to do if they still see it
        assert not APOLOGY.search(text), text
    assert any("https://status.example.com" in t for t in texts), texts
    # The transparency wording while it is open comes in the same language too.
    draft = drafter.draft(mention("cannot log in", platform="mastodon"), cls, incident=wording)
    assert draft.ok and draft.template == (
        "incident/default" if language == "en" else f"lang/{language}/incident/default"), draft


def test_a_demand_about_what_the_brand_allows_is_passed_on_not_diagnosed(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    # Tune readings marked an error question and "the date and amount of the charge" wrong
    # under these: the customer wants the brand to act on others, not to fix their own case.
    for post, topic, evidence in (
            ("I hope you are going to shut the disgusting sellers down. Fix this link",
             "outage", ("down",)),
            ("you're making a killing on fees. Please stop enabling price gouging!",
             "billing", ("fees",))):
        m = _on(mention, post)
        cls = classified("fix_request", topic, evidence=evidence)
        assert drafter.choose(m, cls).base == "fix_request/concern"
        for text in _wordings(drafter, m, cls):
            assert "team" in text and "DM" in text and "error" not in text, text
            assert "charge" not in text and "?" not in text, text
    # Their own order is their own case, however it is worded.
    own = _on(mention, "Order# 3632693-6196346. You couldn't deliver after a month. You should "
                       "be ashamed of yourself.")
    cls = classified("fix_request", "delivery", evidence=("deliver",))
    assert drafter.choose(own, cls).base == "fix_request/delivery"


def test_down_is_an_outage_only_in_that_sense(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    for post in ("just been in a meeting that was hacked, shouting obscenities down the mic",
                 "in 2014 it was $0 down on any phone, now it's $560 down today",
                 "my car broke down on the way, any tips on a refund?"):
        m = _on(mention, post)
        base = drafter.choose(m, classified("fix_request", "outage", evidence=("down",))).base
        assert base == "fix_request/other", (post, base)
    for post in ("your app is down again", "is the site down for anyone else?",
                 "servers are down in my area"):
        m = _on(mention, post)
        base = drafter.choose(m, classified("fix_request", "outage", evidence=("down",))).base
        assert base == "fix_request/outage", (post, base)


def test_a_post_asking_where_its_thing_is_never_gets_the_thank_you_alone(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    # Read as glad chatter ("lol"), it drew "glad to be part of it!" (a reading: wrong).
    m = _on(mention, "Okay Wells Fargo where's my check lol")
    cls = dataclasses.replace(classified("neutral", "other"),
                              sentiment=Sentiment(0.0, 0.4, 0.6, 0.69))
    for text in _wordings(drafter, m, cls):
        assert "glad" not in text and ("reply here" in text or "DM" in text), text


def test_an_uncertain_venting_guess_in_a_level_tone_is_not_thanked(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    # VADER scores "honestly" up, so "is honestly trash" reads level; 9 of 11 such tune posts
    # were complaints, and a reading marked "thanks for this" under it wrong.
    m = _on(mention, "is honestly trash")
    cls = dataclasses.replace(classified("venting", "other", confidence=0.4),
                              sentiment=Sentiment(0.0, 0.5, 0.5, 0.46))
    for text in _wordings(drafter, m, cls):
        assert not text.split(" ", 1)[1].startswith("Thank"), text
        assert APOLOGY.search(text) and "DM" in text, text
