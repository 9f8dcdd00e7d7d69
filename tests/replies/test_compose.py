"""The drafter the app uses (monitor.draft.compose): a saved answer for a question, else the
most similar remembered reply re-filled for the new post, else the templates; every one of
them passes every check a template draft passes, and the draft says where it came from."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import config
from monitor.config import RepliesSettings, SavedAnswer, demo_settings
from monitor.draft import build_drafter
from monitor.draft.answers import AnswerShelf
from monitor.draft.compose import Composer
from monitor.draft.memory import ListSource, ReplyMemory
from monitor.model import Classification, Label, Mention, RememberedReply, Sentiment
from tests.replies.test_answers import ANSWERS, write
from tests.replies.test_memory import ROWS, remembered
from tests.test_cli import run

# --- saved answers ----------------------------------------------------------------------------


def asked(text: str, platform: str = "mastodon") -> Mention:
    return Mention(feed="t", platform=platform, external_id="q1", text=text,
                   author="@jo@example.social", created_at=datetime(2026, 11, 24, tzinfo=UTC))


def question(confidence: float = 0.9, label: Label = Label.QUESTION) -> Classification:
    return Classification(label=label, sentiment=Sentiment(0.0, 1.0, 0.0, 0.0), topic="other",
                          priority=0.4, reasons=(), confidence=confidence)


@pytest.fixture
def composer(tmp_path: Path) -> Composer:
    settings = config.load(write(tmp_path, ANSWERS))
    long = SavedAnswer("too-long", "word " * 120, ("How long is your warranty period?",))
    return Composer(build_drafter(settings),
                    answers=AnswerShelf((*config.read_answers(settings), long)),
                    answer_threshold=settings.replies.answer_threshold)


def test_a_confident_match_becomes_the_draft_and_passes_every_check(composer: Composer) -> None:
    post = asked("@northwindkettles hi! do you sell the kettle with a UK plug?")
    draft = composer.draft(post, question())
    assert draft.template == "answer/uk-plug"
    assert draft.text == ("@jo@example.social Yes: every kettle we sell in the UK comes with a "
                          "UK plug, and the Aria runs on 230 V. https://northwind.example/help/uk"
                          " ^NK")
    assert draft.violations == ()
    assert draft.note is not None and draft.note.startswith("saved answer uk-plug from "
                                                            "answers.toml (")
    assert composer.draft_checks(draft.text, post, question()) == ()


def test_no_confident_match_wrong_label_or_unsure_label_get_the_templates(
        composer: Composer) -> None:
    other = composer.draft(asked("what time do you open on sundays?"), question())
    assert other.template.startswith("question/") and other.note is None
    for classification in (question(label=Label.FIX_REQUEST), question(confidence=0.2)):
        draft = composer.draft(asked("do you sell the kettle with a UK plug?"),
                               classification)
        assert not draft.template.startswith("answer/")
    # An explicit wording ("another wording") is always a template's.
    assert composer.draft(asked("do you sell the kettle with a UK plug?"), question(),
                          variant=1).template.startswith("question/")


def test_an_answer_that_fails_a_check_is_not_used_and_the_item_says_why(
        composer: Composer) -> None:
    post = asked("how long is your warranty period?", platform="x")
    draft = composer.draft(post, question())
    assert draft.template.startswith("question/")
    assert draft.note is not None
    assert draft.note.startswith("saved answer too-long matched but fails a check: Too long")


def test_the_draft_preview_uses_the_answers_file(tmp_path: Path) -> None:
    write(tmp_path, ANSWERS)
    shown = run(tmp_path, "--config", "config.toml", "draft", "--label", "question",
                "--platform", "mastodon", "--format", "json", "--",
                "hi, do you sell the kettle with a UK plug?")
    assert shown.returncode == 0, shown.stderr
    out = json.loads(shown.stdout)
    assert out["template"] == "answer/uk-plug" and out["checks"] == []
    assert out["note"].startswith("saved answer uk-plug from answers.toml")


# --- reply memory ------------------------------------------------------------------------------


def mention(text: str, author: str = "@sam@example.social") -> Mention:
    return Mention(feed="t", platform="mastodon", external_id="n1", text=text, author=author,
                   created_at=datetime(2026, 11, 24, tzinfo=UTC))


def classified(label: Label = Label.FIX_REQUEST, confidence: float = 0.95,
               language: str = "en") -> Classification:
    return Classification(label=label, sentiment=Sentiment(0.3, 0.7, 0.0, -0.5),
                          topic="delivery", priority=0.7, reasons=(), confidence=confidence,
                          language=language)


def remembering(rows: list[RememberedReply], threshold: float = 0.5,
             **replies: object) -> Composer:
    base = demo_settings()
    settings = base if not replies else base.__class__(
        **{**base.__dict__, "replies": RepliesSettings(**{**base.replies.__dict__, **replies})})
    return Composer(build_drafter(settings),
                    memory=ReplyMemory(ListSource(rows), threshold=threshold))


def test_a_similar_post_gets_the_remembered_reply_refilled_with_a_note() -> None:
    drafts = remembering(ROWS)
    post = mention("order #90017 never arrived. where is it??")
    draft = drafts.draft(post, classified())
    assert draft.template == "memory/1"
    assert draft.text == ("@sam@example.social Sorry your order #90017 has not turned up. Send "
                          "us a DM with your address and we will chase it. ^NK")
    assert draft.violations == ()
    assert draft.note == "based on your reply to @jo, 3 Nov"
    assert drafts.draft_checks(draft.text, post, classified()) == ()


def test_only_the_same_label_and_language_above_the_threshold() -> None:
    drafts = remembering(ROWS)
    post = mention("order #90017 never arrived. where is it??")
    venting = drafts.draft(post, classified(Label.VENTING))
    assert venting.template == "memory/3"
    assert not drafts.draft(post, classified(Label.PRAISE)).template.startswith("memory/")
    assert not drafts.draft(post, classified(language="de")).template.startswith("memory/")
    assert not drafts.draft(mention("the app will not let me sign in"),
                            classified()).template.startswith("memory/")
    strict = remembering(ROWS, threshold=0.99)
    assert strict.draft(post, classified()).template == "memory/1"  # the same words: 1.0
    assert not strict.draft(mention("my order never came, where is it?"),
                            classified()).template.startswith("memory/")
    # Unsure of the label: the memory of another label's replies is not trusted.
    assert not drafts.draft(post, classified(confidence=0.3)).template.startswith("memory/")


def test_a_remembered_reply_that_fails_a_check_is_not_used() -> None:
    rows = [
        remembered(1, "my kettle lid snapped off", "@jo We have sent you a DM about the lid."),
        remembered(2, "my kettle lid snapped off, awful",
                   "@jo Sorry! Please see https://elsewhere.example/lids for help!"),
    ]
    draft = remembering(rows).draft(mention("the kettle lid snapped off"), classified())
    assert not draft.template.startswith("memory/")
    # The same claim is fine for a brand that does send DMs.
    sends = remembering(rows, brand_sends_dm=True).draft(mention("the kettle lid snapped off"),
                                                      classified())
    assert sends.template == "memory/1"


def test_the_next_best_memory_is_tried_when_the_best_cannot_be_refilled() -> None:
    rows = [
        remembered(1, "kettle lid snapped off, refund 45 dollars please",
                   "@jo We have refunded $45. ^JH"),
        remembered(2, "the kettle lid snapped off",
                   "@jo Sorry about the lid. Send us a DM and we will replace it. ^JH"),
    ]
    draft = remembering(rows).draft(mention("kettle lid snapped off, refund please"), classified())
    assert draft.template == "memory/2"
    assert draft.text == ("@sam@example.social Sorry about the lid. Send us a DM and we will "
                          "replace it. ^NK")


def test_a_posts_own_remembered_reply_is_not_a_memory() -> None:
    drafts = remembering(ROWS)
    draft = drafts.draft(mention("the lid of my kettle snapped off after a week"), classified())
    assert draft.template != "memory/2"
