"""Built-in sample mentions for `templates check`: every label and topic, with and without the
details a template may refer to, the longest realistic handle on each network, and hostile
mentions (profanity, third-party tags, links, template syntax, a megabyte of text).

Written by the project for the fictional brand; nothing here comes from real posts. Pure data
and a builder: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.model import Mention

NETWORKS: tuple[str, ...] = ("x", "bluesky", "mastodon", "reddit", "hackernews")
"""The networks every template is checked on (`hackernews` stands for any other network)."""

# The longest handles a reply is likely to open with on each network.
AUTHORS: dict[str, str] = {
    "x": "@NorthwindFan_15",
    "bluesky": "@someone-with-a-rather-long-name.bsky.social",
    "mastodon": "@averylongusername_thirty_chars@social.example.org",
    "reddit": "u/Some_Longer_Name_20",
    "hackernews": "a_reader_with_a_long_name",
}

_HOSTILE = (
    "You absolute idiots, @competitor_co and @someone.bsky.social both said you are THIEVES. "
    "See https://evil.example/phish and www.scam-site.com. {{ 7*7 }} {% raw %} "
    "{{ ''.__class__.__mro__ }} __class__ ORDER #NW-99999 WTF!!!"
)

# (label, topic, sample name, text). `{product}` is filled from the brand's products.
TEXTS: tuple[tuple[str, str, str, str], ...] = (
    ("fix_request", "delivery", "with order",
     "Order #NW-48213 still hasn't arrived after two weeks and nobody answers the phone"),
    ("fix_request", "delivery", "plain", "Where is my parcel? Ordered ten days ago, still nothing"),
    ("fix_request", "delivery", "longest order number",
     "order number NW-1234567890-1234567890 never came"),
    ("fix_request", "billing", "with order",
     "You charged me twice for order 55120-B and I want one of them back"),
    ("fix_request", "billing", "plain", "Charged twice this month for the descaler subscription"),
    ("fix_request", "account", "plain",
     "Can't log in to the app since the update, reset email never comes"),
    ("fix_request", "product", "with product", "My {product} stopped heating after a week"),
    ("fix_request", "product", "plain", "The lid hinge snapped on day three"),
    ("fix_request", "outage", "plain", "Is the app down? Nothing loads for me"),
    ("fix_request", "booking", "with reference",
     "My repair booking ref QWERTY was cancelled without any notice"),
    ("fix_request", "booking", "plain", "Trying to book a return and the form keeps failing"),
    ("fix_request", "service", "plain", "The agent on the phone was rude and hung up on me"),
    ("fix_request", "other", "plain", "How do I change the delivery address on my account"),
    ("venting", "other", "plain", "Never buying from this lot again, what a waste of money #fail"),
    ("venting", "delivery", "plain", "Third late parcel this year. I give up."),
    ("praise", "other", "plain", "Honestly the best kettle I've owned, boils in no time"),
    ("praise", "product", "with product", "Loving my {product}, coffee has never been better"),
    ("neutral", "other", "plain", "Saw a Northwind ad on the train this morning"),
    ("fix_request", "delivery", "hostile", _HOSTILE),
    ("fix_request", "billing", "hostile", _HOSTILE),
    ("venting", "other", "hostile", _HOSTILE),
    ("praise", "other", "hostile", _HOSTILE),
    ("neutral", "other", "hostile", _HOSTILE),
    ("fix_request", "other", "one megabyte", "my order #NW-77777 broke " * 40_000),
)


@dataclass(frozen=True)
class Sample:
    name: str
    label: str
    topic: str
    mention: Mention


def build_samples(network: str, products: tuple[str, ...] = ()) -> list[Sample]:
    """Every sample mention, as if posted on `network` by its longest-handled author."""
    product = products[0] if products else "Aurora kettle"
    out: list[Sample] = []
    for i, (label, topic, name, text) in enumerate(TEXTS):
        mention = Mention(
            feed="samples",
            platform=network,
            external_id=f"sample-{i}",
            text=text.replace("{product}", product),
            author=AUTHORS.get(network, AUTHORS["hackernews"]),
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        out.append(Sample(name=name, label=label, topic=topic, mention=mention))
    return out
