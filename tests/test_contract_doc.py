"""docs/contract.md, the project's copy of the shared contract: it extends the shared file
without dropping any of it, names every label, and its JSON examples have the keys the
commands really print (so a new field cannot go undocumented, nor a documented one away)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from monitor.cli.classify_cmds import as_json
from monitor.cli.queue_cmds import CSV_COLUMNS
from monitor.model import Classification, Label, Sentiment
from monitor.store.incidents import Incident
from monitor.store.queue import MentionView, QueueItem

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
SHARED = ROOT.parent / "shared" / "docs" / "contract.md"


def _examples() -> list[dict[str, object]]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", DOC, re.S)]


def test_it_says_what_it_extends_and_keeps_the_shared_sections() -> None:
    top = DOC.split("## ", 1)[0]
    for added in ("question", "confidence", "language", "check_label", "check_below"):
        assert re.search(rf"`[^`]*\b{added}\b[^`]*`", top), added
    if SHARED.is_file():  # the shared docs sit beside the project in a checkout
        shared = SHARED.read_text(encoding="utf-8")
        for heading in re.findall(r"^## .+$", shared, re.M):
            assert heading in DOC, heading


def test_every_label_is_listed() -> None:
    labels = DOC[DOC.index("## Labels"):].split("\n## ", 1)[0]
    assert re.findall(r"^`(\w+)`, `(\w+)`, `(\w+)`, `(\w+)`, `(\w+)`\.", labels, re.M) == [
        tuple(label.value for label in Label)]


def test_json_examples_have_the_keys_the_commands_print() -> None:
    classify, item, tokens, incident, draft = _examples()
    c = Classification(label=Label.QUESTION, sentiment=Sentiment(0, 1, 0, 0), topic="other",
                       priority=0.4, reasons=(), confidence=0.5, language="en")
    assert list(classify) == list(as_json(1, c))
    real = QueueItem(
        id=1, status="pending", label="question", topic="other", priority=0.4,
        sentiment=Sentiment(0, 1, 0, 0), reasons=(), draft=None, version=1,
        mention=MentionView(id=1, feed="f", platform="x", external_id="1", url=None,
                            author="@a", author_name=None, author_followers=None, text="?",
                            created_at=datetime(2026, 11, 24, tzinfo=UTC), language=None),
        created_at=datetime(2026, 11, 24, tzinfo=UTC),
        updated_at=datetime(2026, 11, 24, tzinfo=UTC), confidence=0.5, language="en",
    ).as_dict()
    assert set(item) <= set(real)
    assert isinstance(item["mention"], dict) and set(item["mention"]) <= set(real["mention"])
    assert list(item)[:6] == ["id", "status", "label", "confidence", "language",
                              "check_label"]
    assert set(draft) == {"label", "template", "text", "checks"}
    from monitor.store.users import TokenInfo

    now = datetime(2026, 11, 24, tzinfo=UTC)
    assert list(tokens) == list(TokenInfo(id=1, username="a", label="l", created_at=now,
                                          last_used_at=None, expires_at=None).as_dict(now))
    at = now
    real_incident = Incident(
        id=1, status="suggested", topic="account", terms=("login",), networks=("x",),
        examples=("?",), first_seen=at, last_seen=at, rate=6.0, baseline=0.0, summary=None,
        status_url=None, created_at=at, updated_at=at).as_dict()
    assert list(incident) == list(real_incident)
    for column in ("confidence", "language", "check_label"):
        assert f"`{column}`" in DOC and column in CSV_COLUMNS
