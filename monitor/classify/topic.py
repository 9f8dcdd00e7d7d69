"""Topic detection: which of model.TOPICS a mention is about, from keyword sets.

Built once per classifier from the built-in sets plus the brand's extra keywords
(`[classifier.topics]` in the config, and `brand.products` for product faults). Matching is
dictionary lookups over the tokens `cues.py` already produced. It must not look at sentiment
or labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from types import MappingProxyType

from monitor import senses
from monitor.classify.cues import normalise, tokenize
from monitor.errors import ConfigError
from monitor.model import TOPICS

# Built-in keywords per topic, general across shops, telecoms, software, food and travel.
BUILTIN: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "delivery": (
        "delivery", "deliver", "delivered", "package", "parcel", "shipping", "shipped",
        "shipment", "courier", "tracking", "dispatch", "dispatched", "order", "orders",
        "pedido", "commande", "bestellung", "encomenda",
        "arrive", "arrived", "postman", "driver", "doordash", "pickup", "collection",
        # Plurals: the tokens are not stemmed, and "hold two packages" or "both parcels are
        # missing" named no topic (the never-invent check's vocabulary has them already).
        "packages", "parcels", "deliveries", "shipments", "couriers",
    ),
    "billing": (
        "bill", "billing", "billed", "charge", "charged", "charges", "invoice", "refund",
        "refunds", "payment", "paid", "pay", "price", "fee", "fees", "subscription", "money",
        "overcharged", "credit", "debit", "card", "voucher", "compensation", "reimburse",
        "reimbursement", "cost", "dollars", "miles", "points",
        # A plan, not a parcel: "can I drop RT from my cable package" was drafted as a
        # delivery question asking for an order number.
        "cable package", "tv package", "sports package", "channel package", "channels package",
        "data package", "broadband package", "internet package", "phone package",
        "mobile package", "premium package",
    ),
    "account": (
        "account", "login", "log in", "logged out", "log on", "sign in", "password",
        "username", "locked", "locked out", "2fa", "verification", "verify", "profile",
        "hacked", "suspended", "banned", "email address", "reset",
    ),
    "product": (
        "broken", "broke", "faulty", "defective", "damaged", "crack", "cracked", "leaking",
        "battery", "screen", "quality", "bug", "bugs", "crash", "crashes", "crashing", "glitch",
        "update", "feature", "stopped working", "doesn't work", "not working", "food",
        "meal", "cold", "taste", "product", "device", "phone", "laptop", "wifi", "seat",
        "entertainment",
        # A game's crew is a feature, not the cabin crew: "stuck with my old crew emblem"
        # was drafted as a complaint about how they got in touch.
        "crew emblem", "crew emblems", "crew name", "crew tag",
    ),
    "outage": (
        "down", "outage", "offline", "no signal", "no service", "no internet",
        "internet", "connection", "network", "server", "servers", "website", "site", "app",
        "won't load", "not loading", "status", "disruption", "error",
    ),
    "booking": (
        "flight", "flights", "flightr", "booking", "booked", "book", "reservation",
        "rebook", "ticket", "tickets", "boarding", "gate", "baggage", "bag", "bags",
        "luggage", "suitcase", "check-in", "checkin", "check in", "connection", "layover",
        "trip", "travel", "plane", "airport", "cancelled", "canceled", "delayed", "delay",
        "hotel", "itinerary", "seat", "standby", "appointment", "table",
        # A seat upgrade, not a plan's ("do I have to upgrade to the next tier?" drew a
        # booking-reference question under a cloud-storage plan).
        "seat upgrade", "cabin upgrade", "upgrade list", "upgrade to first", "upgrade to business",
        "holiday package", "vacation package", "travel package",
    ),
    "service": (
        # A support ticket is a case with the helpdesk, not a travel ticket ("I submitted a
        # ticket a month ago" to a game's support drew a booking-reference question).
        "support ticket", "support tickets", "help ticket", "trouble ticket",
        "submitted a ticket", "submit a ticket", "opened a ticket", "raised a ticket",
        "created a ticket", "filed a ticket", "sent a ticket",
        "staff", "agent", "agents", "customer service", "service", "rude", "hold", "call",
        "phone", "representative", "rep", "support", "crew", "attendant", "attendants",
        "manager", "employee", "employees", "response", "respond", "reply", "help", "desk",
        "helpline", "chat", "waiting", "line", "pilot", "captain",
    ),
})
# Keywords that tip a topic but do not state it: "help" or "call" says nothing about staff or
# service, "order" nothing about a delivery, so they are never a topic's evidence (the drafter
# names a topic only with evidence, and would otherwise invent a problem).
WEAK_EVIDENCE: frozenset[str] = frozenset((
    "help", "call", "line", "reply", "respond", "response", "chat", "desk", "waiting",
    "service", "support", "phone", "order", "orders", "pay", "paid", "money", "cost", "card",
    "credit", "points", "miles", "app", "site", "website", "status", "update", "feature",
    "book", "trip", "travel", "table", "seat", "food", "product", "device", "quality", "reset",
    "verify", "profile", "connection", "network", "arrive", "driver", "pickup", "collection",
))

# Words that place a post inside a game, where a "delivery" is a mission ("a moonshine
# delivery mission", "lost 2 deliveries"): such a post is not about a parcel, and three
# drafts in one blind reading asked a player for an order number.
GAME_WORDS: frozenset[str] = frozenset((
    "mission", "missions", "moonshine", "moonshiner", "gta", "gta5", "gtav", "reddeadonline",
    "rdr2", "fortnite", "gamertag", "quest", "quests", "respawn", "lobby", "in-game",
))  # not the consoles: "my xbox delivery never arrived" is a parcel

_CHARGE_WORDS = frozenset(("charge", "charged", "charges", "charging"))
_BATTERY_WORDS = frozenset(("battery", "batteries", "charger", "chargers", "airpod", "airpods",
                            "earbuds", "headphones", "dies", "died", "drains", "draining",
                            "plugged", "unplugged"))
_BATTERY_PAIRS = frozenset((("charge", "it"), ("fully", "charged"), ("it's", "charged"),
                            ("its", "charged"), ("is", "charged"), ("charge", "my"),
                            ("wireless", "charging"), ("fast", "charging")))


def _is_battery(tokens: Sequence[str]) -> bool:
    return (not _BATTERY_WORDS.isdisjoint(tokens)
            or any(pair in _BATTERY_PAIRS for pair in pairwise(tokens)))


# When two topics tie, the more specific and more actionable one wins.
_TIE_ORDER: Sequence[str] = ("outage", "account", "billing", "delivery", "product", "booking",
                             "service", "other")


class TopicMatcher:
    """Counts keyword hits per topic; the topic with most hits wins (ties by _TIE_ORDER).

    Keywords are matched on tokens (see cues.tokenize): one-word keywords by dictionary
    lookup, multi-word ones by their first word and then the words that follow, so a text
    costs one pass over its tokens and no regex."""

    __slots__ = ("_phrase_firsts", "_phrases", "_rank", "_word_keys", "_words")

    def __init__(self, extra: Mapping[str, Iterable[str]] | None = None,
                 products: Iterable[str] = ()) -> None:
        merged: dict[str, list[str]] = {t: list(ws) for t, ws in BUILTIN.items()}
        for topic, words in (extra or {}).items():
            if topic not in TOPICS:
                raise ConfigError(
                    f"unknown topic {topic!r}; topics are {', '.join(TOPICS)}",
                    key=f"classifier.topics.{topic}",
                )
            merged.setdefault(topic, []).extend(words)
        merged["product"].extend(products)
        index = {t: i for i, t in enumerate(TOPICS)}
        single: dict[str, int] = {}
        grouped: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for topic, keywords in merged.items():
            for kw in keywords:
                tokens = tokenize(normalise(kw))
                if not tokens:
                    continue
                # Later (config) entries override built-ins for the same keyword.
                if len(tokens) == 1:
                    single[tokens[0]] = index[topic]
                else:
                    grouped.setdefault(tokens[0], []).append((tuple(tokens[1:]), index[topic]))
        self._words = single
        self._phrases = {k: tuple(sorted(v, key=lambda item: -len(item[0])))
                         for k, v in grouped.items()}
        self._rank = {t: i for i, t in enumerate(_TIE_ORDER)}
        self._word_keys = frozenset(single)
        self._phrase_firsts = frozenset(self._phrases)

    @staticmethod
    def _without_battery_charge(tokens: Sequence[str]) -> Sequence[str]:
        """The tokens, less "charge" and "charged" where they are a battery's ("it's charged",
        "have to charge it 3 times a day"): a reading saw a disconnecting AirPod drafted as a
        billing problem."""
        if _CHARGE_WORDS.isdisjoint(tokens) or not _is_battery(tokens):
            return tokens
        return [t for t in tokens if t not in _CHARGE_WORDS]

    def _in_their_sense(self, tokens: Sequence[str], lowered: str) -> Sequence[str]:
        """The tokens, less the one-word keywords the post uses in another sense or rules out
        (`senses.ruled_out`: "$560 down" is a price, "hold two packages" no wait on the line,
        "it's not my internet" no outage), so the topic shown in the queue and the words the
        drafter may name agree."""
        found = self._word_keys.intersection(tokens)
        if not lowered or not found or not senses.may_rule_out(found, lowered):
            return tokens
        out = {w for w in found if senses.ruled_out(w, lowered)}
        return [t for t in tokens if t not in out] if out else tokens

    def topic_and_evidence(self, tokens: Sequence[str], lowered: str = ""
                           ) -> tuple[str, tuple[str, ...]]:
        """The post's topic and its evidence, from its tokens and its normalised text
        (`lowered`), with words used in another sense left out once for both."""
        tokens = self._in_their_sense(self._without_battery_charge(tokens), lowered)
        topic = self._topic(tokens)
        return topic, self._evidence(tokens, topic)

    def _evidence(self, tokens: Sequence[str], topic: str) -> tuple[str, ...]:
        """The keywords of `topic` that occur in `tokens`, in order of first appearance and
        each once: the post's own words that name the topic (the drafter names a topic only
        with them). Empty for "other"; `WEAK_EVIDENCE` words never count."""
        if topic not in TOPICS or topic == "other":
            return ()
        idx = TOPICS.index(topic)
        found: dict[str, None] = {}
        words, phrases = self._words, self._phrases
        for i, tok in enumerate(tokens):
            for rest, phrase_idx in phrases.get(tok, ()):
                if phrase_idx == idx and tuple(tokens[i + 1:i + 1 + len(rest)]) == rest:
                    found[" ".join((tok, *rest))] = None
                    break
            else:
                if words.get(tok) == idx and tok not in WEAK_EVIDENCE:
                    found[tok] = None
        return tuple(found)

    def _topic(self, tokens: Sequence[str]) -> str:
        counts = [0.0] * len(TOPICS)
        words = self._words
        # Distinct one-word keywords, found by a C-level set intersection; a keyword repeated
        # in one post counts once, which is all "most keywords wins" needs.
        for tok in self._word_keys.intersection(tokens):
            # A weak keyword counts half: "my app keeps crashing" is a product fault, not an
            # outage, and "help with my order" is not about service.
            counts[words[tok]] += 0.5 if tok in WEAK_EVIDENCE else 1.0
        phrases = self._phrases
        if not self._phrase_firsts.isdisjoint(tokens):
            for i, tok in enumerate(tokens):
                candidates = phrases.get(tok)
                if candidates is not None:
                    for rest, phrase_idx in candidates:
                        if tuple(tokens[i + 1:i + 1 + len(rest)]) == rest:
                            counts[phrase_idx] += 1
                            break
        best = max(counts)
        if best == 0:
            return "other"
        topic = min((t for i, t in enumerate(TOPICS) if counts[i] == best),
                    key=self._rank.__getitem__)
        if topic == "delivery" and not GAME_WORDS.isdisjoint(tokens):
            return "product"  # a delivery in a game: a fault in the game
        return topic
