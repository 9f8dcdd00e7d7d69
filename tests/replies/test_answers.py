"""Saved answers: the brand's file checked at config load (errors name the entry), matched to
question posts by similarity and keywords (drafting with them: test_compose.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from monitor import config
from monitor.config import SavedAnswer
from monitor.draft.answers import AnswerBook, AnswerShelf
from monitor.errors import ConfigError

CONFIG = """
[brand]
name = "Northwind Kettles"
handles = ["@northwindkettles"]
[replies]
signature = "^NK"
support_url = "https://northwind.example/help"
status_url = "https://status.northwind.example"
answers_file = "answers.toml"
"""
ANSWERS = """
[[answer]]
id = "uk-plug"
examples = ["Do you sell the kettle with a UK plug?", "Will the Aria work in the UK?"]
keywords = ["uk plug"]
text = "Yes: every kettle we sell in the UK comes with a UK plug, and the Aria runs on 230 V."
link = "https://northwind.example/help/uk"

[[answer]]
id = "descaler"
examples = ["Which descaler should I use?", "What descaler is safe for the kettle?"]
text = "Any citric-acid descaler is fine; the Descale Club sends one every three months."
"""


def write(tmp_path: Path, answers: str, extra: str = "") -> Path:
    (tmp_path / "answers.toml").write_text(answers, encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(CONFIG + extra, encoding="utf-8")
    return path


def test_the_answers_file_is_read_with_the_config(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, ANSWERS))
    answers = config.read_answers(settings)
    assert [a.id for a in answers] == ["uk-plug", "descaler"]
    assert answers[0].keywords == ("uk plug",) and answers[0].source == "answers.toml"
    assert answers[1].link is None and answers[1].language == "en"


@pytest.mark.parametrize(("entry", "key", "words"), [
    ('examples = ["a?"]\ntext = "Yes."', "answer[0].id", "needs an id"),
    ('id = "Bad Id"\nexamples = ["a?"]\ntext = "Yes."', "answer[Bad Id].id", "needs an id"),
    ('id = "x"\nexamples = ["a?"]', "answer[x].text", "missing or empty"),
    ('id = "x"\ntext = "Yes."', "answer[x].examples", "or nothing can match"),
    ('id = "x"\nexamples = ["a?"]\ntext = "Yes."\nlink = "https://evil.example/x"',
     "answer[x].link", "not a configured link"),
    ('id = "x"\nexamples = ["a?"]\ntext = "See https://evil.example/x"', "answer[x].text",
     "not a configured link"),
    ('id = "x"\nexamples = ["a?"]\ntext = "Yes."\nkeyword = ["a"]', "answer[x].keyword",
     "unknown key"),
    ('id = "x"\nexamples = "a?"\ntext = "Yes."', "answer[x].examples", "expected a list"),
    ('id = "saved-1"\nexamples = ["a?"]\ntext = "Yes."', "answer[saved-1].id",
     "kept for answers saved"),
])
def test_a_bad_answer_is_refused_naming_the_file_and_the_entry(
        tmp_path: Path, entry: str, key: str, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, "[[answer]]\n" + entry + "\n"))
    assert err.value.key == key
    assert str(tmp_path / "answers.toml") in str(err.value)
    assert words in str(err.value)


def test_duplicate_ids_missing_file_and_bad_thresholds(tmp_path: Path) -> None:
    twice = '[[answer]]\nid = "x"\nexamples = ["a?"]\ntext = "Yes."\n' * 2
    with pytest.raises(ConfigError, match="two answers have this id"):
        config.load(write(tmp_path, twice))
    (tmp_path / "answers.toml").unlink()
    with pytest.raises(ConfigError) as err:
        config.load(tmp_path / "config.toml")
    assert err.value.key == "replies.answers_file" and "not found" in str(err.value)
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, ANSWERS, "answer_threshold = 1.5\n"))
    assert err.value.key == "replies.answer_threshold"


def book() -> AnswerBook:
    return AnswerBook([
        SavedAnswer("uk-plug", "Yes, with a UK plug.", ("Do you sell the kettle with a UK plug?",),
                    ("uk plug",)),
        SavedAnswer("descaler", "Any citric-acid descaler.", ("Which descaler should I use?",)),
        SavedAnswer("enchufe", "Sí, con enchufe europeo.", ("¿Tiene enchufe europeo?",),
                    language="es"),
    ])


def test_matching_by_examples_keywords_and_language() -> None:
    answers = book()
    hit = answers.match("Which descaler should I use for the Aria?")
    assert hit is not None and hit.answer.id == "descaler" and hit.score >= 0.5
    assert "like 'Which descaler should I use?'" in hit.why
    by_keyword = answers.match("is there a version with a UK plug")
    assert by_keyword is not None and by_keyword.answer.id == "uk-plug"
    assert by_keyword.score >= 0.5 and "keyword 'uk plug'" in by_keyword.why
    unrelated = answers.match("my order never arrived")
    assert unrelated is None or unrelated.score < 0.3
    spanish = answers.match("¿el hervidor tiene enchufe europeo?", "es")
    assert spanish is not None and spanish.answer.id == "enchufe"
    assert answers.match("¿el hervidor tiene enchufe europeo?", "en") is None or \
        answers.match("¿el hervidor tiene enchufe europeo?", "en").answer.id != "enchufe"  # type: ignore[union-attr]


class Source:
    def __init__(self) -> None:
        self.rows: list[SavedAnswer] = []
        self.asked = 0

    def answers_state(self) -> tuple[int, int]:
        self.asked += 1
        return len(self.rows), len(self.rows)

    def saved_answers(self) -> list[SavedAnswer]:
        return list(self.rows)


def test_the_shelf_picks_up_answers_saved_in_review_when_told_or_after_a_while() -> None:
    now = [0.0]
    source = Source()
    shelf = AnswerShelf([], source, refresh_seconds=10, clock=lambda: now[0])
    assert shelf.match("which descaler should I use") is None
    source.rows.append(SavedAnswer("saved-1", "Any citric-acid descaler.",
                                   ("Which descaler should I use?",)))
    assert shelf.match("which descaler should I use") is None  # looked 0 s ago
    shelf.invalidate()
    found = shelf.match("which descaler should I use")
    assert found is not None and found.answer.id == "saved-1"
    asked = source.asked
    now[0] = 5.0
    shelf.match("x")
    assert source.asked == asked
    now[0] = 11.0
    shelf.match("x")
    assert source.asked == asked + 1


def test_the_demo_settings_have_no_answers_file() -> None:
    assert config.read_answers(config.demo_settings()) == ()
    assert config.read_answers(dataclasses.replace(config.demo_settings())) == ()
