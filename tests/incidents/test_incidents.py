"""Incidents end to end, on both databases: a surge found while polling (by the posts' own
times), nothing on ordinary traffic, confirm -> transparency redrafts (and for new matching
posts), resolve -> follow-ups for review, dismiss, and the CLI's commands and exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.app import App
from monitor.errors import InputError, InvalidTransition
from monitor.review.memory import RememberingReviewer
from monitor.store import queue as store_queue
from tests.conftest import FakeClock, jsonl_feed, make_settings
from tests.incidents import traffic
from tests.test_cli import run

START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
STATUS = "https://status.northwind.example"
SUMMARY = "Sign-in to the app fails for some customers. We are rolling back the update."


def build(db_url: str, tmp_path: Path, clock: FakeClock, **environ: str) -> App:
    import dataclasses

    settings = make_settings(db_url, jsonl_feed(tmp_path / "m.jsonl"), base_dir=str(tmp_path))
    settings = dataclasses.replace(
        settings, replies=dataclasses.replace(settings.replies, status_url=STATUS))
    app = App(settings, environ=dict(environ), clock=clock)
    app.migrate()
    return app


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[App]:
    (tmp_path / "m.jsonl").write_text("")
    application = build(db_url, tmp_path, FakeClock(START + timedelta(hours=31)))
    yield application
    application.close()


def item(app: App, item_id: int) -> store_queue.QueueItem:
    with app.engine.connect() as conn:
        return store_queue.get_item(conn, item_id)


def test_ordinary_traffic_raises_no_incident(app: App, tmp_path: Path) -> None:
    traffic.write(tmp_path / "m.jsonl", traffic.ordinary(START, 30, every_minutes=10))
    [result] = app.poll_all()
    assert result.ok and result.new == 180
    assert app.incidents.listing() == []


def test_a_surge_in_a_backlog_is_suggested_with_its_facts(app: App, tmp_path: Path) -> None:
    traffic.write(tmp_path / "m.jsonl", traffic.ordinary(START, 30))
    traffic.write(tmp_path / "m.jsonl", traffic.surge(START + timedelta(hours=28), 12))
    app.poll_all()  # one poll brings 30 hours: rates are measured on the posts' own times
    [listed] = app.incidents.listing()
    d = app.incidents.get(listed.id).as_dict()
    assert d["status"] == "suggested"
    assert d["terms"][0] in ("login", "error", "sign") and "login" in d["terms"]
    assert d["count"] == 12 and len(d["item_ids"]) == 12
    assert d["networks"] == ["jsonl"]
    assert d["first_seen"] == (START + timedelta(hours=28)).isoformat()
    assert d["last_seen"] == (START + timedelta(hours=28, minutes=33)).isoformat()
    assert d["rate"] >= 6 and d["baseline"] == 0
    assert len(d["examples"]) == 3 and all("503" in e for e in d["examples"])
    assert [e["action"] for e in d["history"]] == ["suggested"]
    surge_items = {i.id for i in (item(app, n) for n in d["item_ids"])
                   if i.mention.author.startswith("@angry")}
    assert surge_items == set(d["item_ids"])


def test_polls_grow_one_incident_and_confirming_switches_the_replies(
        db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 28))
    traffic.write(path, traffic.surge(START + timedelta(hours=28), 8))
    clock = FakeClock(START + timedelta(hours=28, minutes=30))
    app = build(db_url, tmp_path, clock)
    try:
        app.poll_all()
        [incident] = app.incidents.listing()
        assert incident.count == 8
        # A reviewer edits one draft before the manager confirms: their words stay.
        edited = incident.item_ids[0]
        reviewer = RememberingReviewer(engine=app.engine, drafter=app.drafter,
                                       clock=clock, on_change=app.replies_changed)
        reviewer.edit(edited, by="ann", text="@angry0 Looking into it now, sorry.")
        # Bad input is refused, naming what to fix.
        with pytest.raises(InputError, match="not an allowed status link"):
            app.incidents.confirm(incident.id, by="mo", summary=SUMMARY,
                                  status_url="https://evil.example/status")
        with pytest.raises(InputError, match="what is happening"):
            app.incidents.confirm(incident.id, by="mo", summary="   ")
        confirmed, redrafted = app.incidents.confirm(incident.id, by="mo", summary=SUMMARY,
                                                     status_url=STATUS)
        assert confirmed.status == "confirmed" and redrafted == 7
        for item_id in confirmed.item_ids[1:]:
            draft = item(app, item_id).draft
            assert draft is not None and draft.template == "incident/default"
            assert SUMMARY in draft.text and STATUS in draft.text
        kept = item(app, edited).draft
        assert kept is not None and kept.text == "@angry0 Looking into it now, sorry."
        # More of the same arrives in the next poll: it joins the incident, drafted that way.
        traffic.write(path, traffic.surge(START + timedelta(hours=28, minutes=40), 4,
                                          first_id=20_000))
        clock.advance(minutes=30)
        app.poll_all()
        [grown] = app.incidents.listing()
        assert grown.id == incident.id and grown.count == 12
        assert grown.last_seen == START + timedelta(hours=28, minutes=49)
        for item_id in grown.item_ids[8:]:
            draft = item(app, item_id).draft
            assert draft is not None and draft.template == "incident/default", draft
        # Ordinary posts polled meanwhile keep their usual drafts.
        traffic.write(path, traffic.ordinary(START + timedelta(hours=29), 1, first_id=30_000))
        clock.advance(minutes=30)
        app.poll_all()
        assert app.incidents.get(incident.id).count == 12
        # Reviewers can still edit a transparency draft.
        reviewer.edit(grown.item_ids[9], by="ann", text="@angry1 We know, and we're on it.")
        history = [e["action"] for e in app.incidents.get(incident.id).as_dict()["history"]]
        assert history == ["suggested", "confirmed"]
    finally:
        app.close()


def test_resolving_queues_a_follow_up_for_each_author(app: App, tmp_path: Path) -> None:
    traffic.write(tmp_path / "m.jsonl", traffic.ordinary(START, 30))
    traffic.write(tmp_path / "m.jsonl", traffic.surge(START + timedelta(hours=28), 10))
    app.poll_all()
    [incident] = app.incidents.listing()
    with pytest.raises(InvalidTransition, match="only a confirmed"):
        app.incidents.resolve(incident.id, by="mo")
    app.incidents.confirm(incident.id, by="mo", summary=SUMMARY)
    reviewer = app.reviewer()
    answered = incident.item_ids[0]
    reviewer.approve(answered, by="ann")  # this author already had the transparency reply
    resolved, count = app.incidents.resolve(incident.id, by="mo")
    assert resolved.status == "resolved" and count == 10
    for item_id in incident.item_ids[1:]:
        it = item(app, item_id)
        assert it.status == "pending" and it.draft is not None
        assert it.draft.template == "incident/resolved" and "fixed" in it.draft.text
    assert item(app, answered).status == "approved"  # the decided reply is left as it was
    with app.engine.connect() as conn:
        page = store_queue.list_items(conn, store_queue.QueueFilter(
            statuses=("pending",), feed="incident-followups"), limit=10)
    [follow] = page.items
    assert follow.mention.author == item(app, answered).mention.author
    assert follow.draft is not None and follow.draft.template == "incident/resolved"
    assert [e["action"] for e in app.incidents.get(incident.id).as_dict()["history"]] == [
        "suggested", "confirmed", "resolved"]
    # Follow-ups are not posts: they never count toward a new surge.
    app.poll_all()
    assert len(app.incidents.listing()) == 1


def test_a_dismissed_surge_is_not_suggested_again_while_it_lasts(app: App,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 30))
    traffic.write(path, traffic.surge(START + timedelta(hours=28), 10))
    app.poll_all()
    [incident] = app.incidents.listing()
    dismissed = app.incidents.dismiss(incident.id, by="mo", reason="a test account")
    assert dismissed.status == "dismissed"
    with pytest.raises(InvalidTransition):
        app.incidents.confirm(incident.id, by="mo", summary=SUMMARY)
    traffic.write(path, traffic.surge(START + timedelta(hours=28, minutes=31), 10,
                                      first_id=20_000))
    app.poll_all()
    assert [i.id for i in app.incidents.listing()] == [incident.id]


def test_the_cli_lists_shows_confirms_and_resolves(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 30))
    traffic.write(path, traffic.surge(START + timedelta(hours=28), 10))
    (tmp_path / "config.toml").write_text(
        f'[replies]\nstatus_url = "{STATUS}"\n[database]\nurl = "{db_url}"\n'
        f'[[feeds]]\nname = "import"\nkind = "jsonl"\npath = "{path}"\n')
    assert run(tmp_path, "poll").returncode == 0
    listed = run(tmp_path, "incidents", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [d] = json.loads(listed.stdout)
    for key in ("id", "status", "topic", "terms", "count", "first_seen", "last_seen",
                "item_ids"):
        assert key in d
    assert d["status"] == "suggested" and d["count"] == 10
    table = run(tmp_path, "incidents", "list", "--status", "suggested")
    assert "suggested" in table.stdout and "login" in table.stdout
    shown = run(tmp_path, "incidents", "show", str(d["id"]))
    assert "503" in shown.stdout and "suggested by detector" in shown.stdout
    assert run(tmp_path, "incidents", "show", "999").returncode == 1
    bad = run(tmp_path, "incidents", "confirm", str(d["id"]), "--summary", SUMMARY,
              "--status-url", "https://elsewhere.example")
    assert bad.returncode == 2 and "--status-url" in bad.stderr
    ok = run(tmp_path, "incidents", "confirm", str(d["id"]), "--summary", SUMMARY,
             "--by", "mo")
    assert ok.returncode == 0 and "10 pending drafts redrafted" in ok.stdout
    assert run(tmp_path, "incidents", "dismiss", str(d["id"])).returncode == 1
    done = run(tmp_path, "incidents", "resolve", str(d["id"]))
    assert done.returncode == 0 and "10 follow-up drafts" in done.stdout
    final = json.loads(run(tmp_path, "incidents", "show", str(d["id"]), "--format",
                           "json").stdout)
    assert final["status"] == "resolved"
    assert [(e["action"], e["actor"]) for e in final["history"]] == [
        ("suggested", "detector"), ("confirmed", "mo"), ("resolved", "cli")]


def test_confirming_sweeps_in_earlier_posts_of_the_same_problem(app: App,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    traffic.write(path, traffic.ordinary(START, 30))
    early = START + timedelta(hours=27, minutes=10)  # before any surge window reaches back
    traffic.write(path, [traffic.row(50_000, traffic.SURGE[0], "@early", early)])
    app.poll_all()  # polled before the surge: no later scan looks at it again
    traffic.write(path, traffic.surge(START + timedelta(hours=28), 10))
    app.poll_all()
    [incident] = app.incidents.listing()
    assert incident.count == 10
    confirmed, redrafted = app.incidents.confirm(incident.id, by="mo", summary=SUMMARY)
    assert confirmed.count == 11 and redrafted == 11
    [first] = [i for i in confirmed.item_ids if item(app, i).mention.author == "@early"]
    draft = item(app, first).draft
    assert draft is not None and draft.template == "incident/default"


def test_only_one_process_scans_the_same_posts(app: App) -> None:
    from monitor.store import incidents as store_incidents

    now = START
    with app.engine.begin() as conn:
        assert store_incidents.claim_scan(conn, 0, 5, now)
    with app.engine.begin() as conn:  # a second daemon that read the old mark
        assert not store_incidents.claim_scan(conn, 0, 7, now)
        assert not store_incidents.claim_scan(conn, 3, 7, now)
    with app.engine.begin() as conn:
        assert store_incidents.claim_scan(conn, 5, 9, now)
    with app.engine.connect() as conn:
        assert store_incidents.scanned_to(conn) == 9



@pytest.mark.parametrize("failures_only", [True, False])
@pytest.mark.parametrize("texts", [(traffic.CAMPAIGN,), traffic.OPINIONS],
                         ids=["campaign", "opinions"])
def test_a_campaign_or_a_wave_of_opinions_is_not_suggested(
        db_url: str, tmp_path: Path, texts: tuple[str, ...], failures_only: bool) -> None:
    import dataclasses

    path = tmp_path / "m.jsonl"
    path.write_text("")
    traffic.write(path, traffic.ordinary(START, 30))
    traffic.write(path, traffic.burst(START + timedelta(hours=28), texts, 12))
    settings = make_settings(db_url, jsonl_feed(path), base_dir=str(tmp_path))
    settings = dataclasses.replace(settings, incidents=dataclasses.replace(
        settings.incidents, failures_only=failures_only))
    app = App(settings, environ={}, clock=FakeClock(START + timedelta(hours=31)))
    app.migrate()
    try:
        app.poll_all()
        if failures_only:
            assert app.incidents.listing() == []
        else:  # a team that wants every surge turns the rule off: the same posts surge
            [incident] = app.incidents.listing()
            assert incident.count == 12
    finally:
        app.close()
