"""The drafter: every label, topic and network renders a safe draft; choice is deterministic
per mention and varied across mentions; details are used when present and never invented;
incident wording; overrides from templates_dir; the sandbox; hostile mentions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.config import IncidentSettings, RepliesSettings, Settings
from monitor.draft import TemplateDrafter, build_drafter, shipped_templates_dir
from monitor.draft.length import count, limit
from monitor.errors import ConfigError, DraftError
from monitor.model import TOPICS, Classification, Mention

MakeMention = Callable[..., Mention]
MakeClass = Callable[..., Classification]

NETWORKS = {"x": "@jo_smith", "bluesky": "@jo-smith.bsky.social",
            "mastodon": "@jo@example.social", "reddit": "u/jo_smith", "rss": "jo"}
CASES = [("fix_request", t) for t in TOPICS] + [
    ("venting", "other"), ("venting", "delivery"), ("praise", "other"), ("neutral", "other")]


@pytest.mark.parametrize("network", sorted(NETWORKS))
@pytest.mark.parametrize(("label", "topic"), CASES)
def test_every_case_and_network_renders_a_safe_draft(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass,
        network: str, label: str, topic: str) -> None:
    for i in range(6):  # several mentions, so several wordings are exercised
        m = mention("my order NW-48213 is a problem", platform=network,
                    author=NETWORKS[network], external_id=f"{label}-{topic}-{i}")
        draft = drafter.draft(m, classified(label, topic))
        assert draft.violations == (), draft
        assert draft.template == f"{label}/{topic}" or draft.template == f"{label}/default" \
            or draft.template == f"{label}/other"
        assert draft.text.startswith(NETWORKS[network].replace("jo", "@jo", 1)
                                     if network == "rss" else
                                     NETWORKS[network])
        assert draft.text.endswith("^NK")
        assert count(draft.text, network) <= limit(network)


def test_same_mention_same_draft_and_variety_across_mentions(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    cls = classified("fix_request", "delivery")
    m = mention("where is my parcel", external_id="42")
    assert drafter.draft(m, cls) == drafter.draft(m, cls)
    texts = {drafter.draft(mention("where is my parcel", external_id=str(i)), cls).text
             for i in range(100)}
    assert len(texts) >= 3  # a hundred fix-requests do not read as one copied line


def test_variant_picks_each_wording(drafter: TemplateDrafter, mention: MakeMention,
                                   classified: MakeClass) -> None:
    m = mention("charged twice", platform="mastodon", author="@jo@example.social")
    cls = classified("fix_request", "billing")
    n = drafter.variants(m, cls)
    assert n >= 3
    texts = [drafter.draft(m, cls, variant=i).text for i in range(n)]
    assert len(set(texts)) == n
    assert drafter.draft(m, cls, variant=n).text == texts[0]  # wraps around


def test_details_are_referred_to_when_present_and_never_invented(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    cls = classified("fix_request", "delivery", evidence=("order", "parcel"))
    with_order = mention("Order #NW-48213 never came", platform="mastodon",
                         author="@jo@example.social")
    without = mention("my parcel never came", platform="mastodon", author="@jo@example.social")
    for i in range(drafter.variants(with_order, cls)):
        assert "NW-48213" in drafter.draft(with_order, cls, variant=i).text
        plain = drafter.draft(without, cls, variant=i).text
        assert "#" not in plain and not any(ch.isdigit() for ch in plain)
        # The one detail a delivery needs, asked for: a parcel with no order named may be a
        # courier's, known by its tracking number; an order by its number.
        assert "order or tracking number" in plain
        ordered = drafter.draft(mention("my order never came", platform="mastodon",
                                        author="@jo@example.social"), cls, variant=i).text
        assert "order number" in ordered and "tracking" not in ordered, ordered
    # Without evidence the topic is a guess: topic-neutral wording, the order still named.
    guessed = classified("fix_request", "delivery")
    for i in range(drafter.variants(with_order, guessed)):
        draft = drafter.draft(with_order, guessed, variant=i)
        assert draft.template == "fix_request/other" and "NW-48213" in draft.text
    product = mention("my aurora pro stopped heating", platform="mastodon",
                      author="@jo@example.social")
    texts = [drafter.draft(product, classified("fix_request", "product",
                                               evidence=("aurora pro",)), variant=i).text
             for i in range(3)]
    assert any("Aurora Pro" in t for t in texts)  # the configured spelling, longest match
    booking = mention("repair booking ref QWERTY cancelled", platform="reddit", author="u/jo")
    texts = [drafter.draft(booking, classified("fix_request", "booking", evidence=("booking",)),
                           variant=i).text for i in range(3)]
    assert all("QWERTY" in t for t in texts)


def test_demo_mentions_are_drafted_for_the_network_they_imitate(
        drafter: TemplateDrafter, mention: MakeMention, classified: MakeClass) -> None:
    m = mention("where is my order", platform="demo", author="jo.bsky.social",
                raw={"network": "bluesky"})
    draft = drafter.draft(m, classified())
    assert draft.text.startswith("@jo.bsky.social ")
    assert count(draft.text, "bluesky") <= 300 and draft.ok


def test_incident_switches_matching_fix_requests_to_transparency(
        settings: Settings, mention: MakeMention, classified: MakeClass) -> None:
    incident = IncidentSettings(active=True, summary="the app outage", topics=("outage",),
                                keywords=("log in",))
    drafter = build_drafter(dataclasses.replace(settings, incident=incident))
    down = classified("fix_request", "outage", evidence=("down",))
    outage = drafter.draft(mention("app is down"), down)
    assert outage.template == "incident/default" and outage.ok
    assert "https://status.northwind.example" in outage.text
    # A guessed topic is not enough: the post must say it (or hold a keyword).
    guessed = drafter.draft(mention("it is broken"), classified("fix_request", "outage"))
    assert guessed.template == "fix_request/other"
    keyword = drafter.draft(mention("cannot log in at all"), classified("fix_request", "account"))
    assert keyword.template == "incident/default"
    other = drafter.draft(mention("parcel late"),
                          classified("fix_request", "delivery", evidence=("parcel",)))
    assert other.template == "fix_request/delivery"
    venting = drafter.draft(mention("app is down again, typical"), classified("venting", "outage"))
    assert venting.template.startswith("venting/")
    # The review app passes its own live incident, which wins over the config's.
    off = drafter.draft(mention("app is down"), down, incident=IncidentSettings())
    assert off.template == "fix_request/outage"


def test_neutral_can_be_drafted(drafter: TemplateDrafter, mention: MakeMention,
                                classified: MakeClass) -> None:
    draft = drafter.draft(mention("saw an ad"), classified("neutral", "other"))
    assert draft.ok and draft.template == "neutral/default"
    assert "mentioning" not in draft.text and "Northwind" not in draft.text  # our own voice


def test_unknown_topic_falls_back(drafter: TemplateDrafter, mention: MakeMention,
                                  classified: MakeClass) -> None:
    draft = drafter.draft(mention("hm"), classified("fix_request", "../../etc/passwd"))
    assert draft.template == "fix_request/other" and draft.ok


HOSTILE = [
    "You absolute idiots and fucking thieves, I hate you",
    "@competitor_co says you are crooks, @bob@evil.social agrees, ask u/someone",
    "see https://evil.example/phish and www.scam-site.com and bit.ly/abc",
    "{{ 7*7 }} {% raw %} {{ ''.__class__.__mro__[1].__subclasses__() }} {# x #} __class__",
    "THIS IS UNACCEPTABLE!!!!! FIX IT NOW!!!",
    "order #NW-48213 " + "x" * 1_000_000,
]


@pytest.mark.parametrize("network", ["x", "bluesky", "mastodon", "reddit"])
@pytest.mark.parametrize("text", HOSTILE, ids=["insults", "tags", "links", "jinja", "caps", "1MB"])
def test_hostile_mentions_give_safe_drafts(drafter: TemplateDrafter, mention: MakeMention,
                                           classified: MakeClass, network: str,
                                           text: str) -> None:
    for label, topic in (("fix_request", "billing"), ("venting", "other"), ("praise", "other")):
        m = mention(text, platform=network, author=NETWORKS[network])
        draft = drafter.draft(m, classified(label, topic))
        assert draft.violations == (), draft
        for bad in ("idiot", "@competitor", "@bob", "u/someone", "evil", "49", "__class__",
                    "UNACCEPTABLE", "{{", "{%"):
            assert bad not in draft.text


def test_unsafe_author_handles_are_not_tagged(drafter: TemplateDrafter, mention: MakeMention,
                                              classified: MakeClass) -> None:
    for author in ("@jo https://evil.example", "jo smith", "", "@{{ 7*7 }}"):
        draft = drafter.draft(mention("late parcel", author=author), classified())
        assert draft.ok, (author, draft)
        assert not draft.text.startswith("@") and "evil" not in draft.text


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _with_dir(settings: Settings, folder: Path, relative: bool = False) -> Settings:
    replies: RepliesSettings = dataclasses.replace(
        settings.replies, templates_dir=folder.name if relative else str(folder))
    return dataclasses.replace(settings, replies=replies, base_dir=str(folder.parent))


def test_templates_dir_overrides_file_by_file(settings: Settings, tmp_path: Path,
                                              mention: MakeMention,
                                              classified: MakeClass) -> None:
    folder = tmp_path / "mine"
    _write(folder, "fix_request/delivery.j2", "Our own delivery words for {{ brand }}.\n---\n"
                                              "Second own wording.")
    drafter = build_drafter(_with_dir(settings, folder, relative=True))
    m = mention("parcel late", platform="mastodon", author="@jo@example.social")
    parcel = classified(evidence=("parcel",))
    assert drafter.variants(m, parcel) == 2
    texts = {drafter.draft(m, parcel, variant=i).text for i in range(2)}
    assert texts == {"@jo@example.social Our own delivery words for Northwind Kettles. ^NK",
                     "@jo@example.social Second own wording. ^NK"}
    # A file not overridden stays shipped: billing, and the topic-neutral fallback.
    charge = mention("charged twice", platform="mastodon", author="@jo@example.social")
    billing = drafter.draft(charge, classified("fix_request", "billing", evidence=("charged",)))
    assert "Our own" not in billing.text and billing.ok
    assert "Our own" not in drafter.draft(m, classified()).text


def test_sandbox_keeps_mention_text_literal_and_refuses_unsafe_code(
        settings: Settings, tmp_path: Path, mention: MakeMention,
        classified: MakeClass) -> None:
    folder = tmp_path / "mine"
    _write(folder, "praise/default.j2", "You said: {{ mention.text }}")
    _write(folder, "venting/default.j2", "{{ brand.__class__.__mro__ }}")
    drafter = build_drafter(_with_dir(settings, folder))
    hostile = "{{ 7*7 }} {% raw %} __class__ {{ brand }} please keep every word of this"
    m = mention(hostile, platform="mastodon", author="@jo@example.social")
    praise = drafter.draft(m, classified("praise", "other"))
    assert praise.text == f"@jo@example.social You said: {hostile} ^NK"  # literal, not 49
    assert praise.violations  # and echoing the mention is flagged
    venting = drafter.draft(m, classified("venting", "other"))
    assert venting.text == "" and "failed" in venting.violations[0]


def test_broken_user_templates_are_refused_with_file_and_line(
        settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    _write(folder, "praise/default.j2", "Thanks.\n---\nfine\n{% if %}\n")
    with pytest.raises(DraftError, match=r"praise/default\.j2, line 4"):
        build_drafter(_with_dir(settings, folder))
    with pytest.raises(ConfigError, match=r"replies\.templates_dir"):
        build_drafter(_with_dir(settings, tmp_path / "missing"))


def test_shipped_templates_dir_is_the_checkout_folder() -> None:
    folder = shipped_templates_dir()
    assert (folder / "fix_request" / "delivery.j2").is_file()
    for topic in TOPICS:
        assert (folder / "fix_request" / f"{topic}.j2").is_file()


@pytest.mark.parametrize("code", [
    "{% for i in range(10**7) %}x{% endfor %}",   # Jinja's range cap: OverflowError
    "{{ 9 ** 99999999 }}",                        # would take the CPU for minutes
    "{{ 'x' * 10**9 }}",                          # would take a gigabyte
    "{{ 1 / 0 }}",
    "{{ 'a' + 1 }}",
])
def test_template_code_that_blows_up_is_a_violation_not_a_traceback(
        settings: Settings, tmp_path: Path, mention: MakeMention, classified: MakeClass,
        code: str) -> None:
    """Issue 16 item 9: an admin's template failing at render time gives an empty draft
    whose violation names the template, like any other broken template."""
    folder = tmp_path / "mine"
    _write(folder, "venting/default.j2", code)
    drafter = build_drafter(_with_dir(settings, folder))
    m = mention("this kettle is the worst", platform="mastodon", author="@jo@example.social")
    draft = drafter.draft(m, classified("venting", "other"))
    assert draft.text == ""
    assert "venting/default.j2" in draft.violations[0] and "failed" in draft.violations[0]
