"""Topic detection: which of model.TOPICS a mention is about, from keyword sets.

Built once per classifier from the built-in sets plus the brand's extra keywords
(`[classifier.topics]` in the config, and `brand.products` for product faults). Matching is
dictionary lookups over the tokens `cues.py` already produced, plus one precompiled regex for
multi-word keywords. It must not look at sentiment or labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from monitor.errors import ConfigError
from monitor.model import TOPICS

# Built-in keywords per topic, general across shops, telecoms, software, food and travel.
BUILTIN: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "delivery": (
        "delivery", "deliver", "delivered", "package", "parcel", "shipping", "shipped",
        "shipment", "courier", "tracking", "dispatch", "dispatched", "order", "orders",
        "pedido", "commande", "bestellung", "encomenda",
        "arrive", "arrived", "postman", "driver", "doordash", "pickup", "collection",
    ),
    "billing": (
        "bill", "billing", "billed", "charge", "charged", "charges", "invoice", "refund",
        "refunds", "payment", "paid", "pay", "price", "fee", "fees", "subscription", "money",
        "overcharged", "credit", "debit", "card", "voucher", "compensation", "reimburse",
        "reimbursement", "cost", "dollars", "miles", "points",
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
        "hotel", "itinerary", "upgrade", "seat", "standby", "appointment", "table",
    ),
    "service": (
        "staff", "agent", "agents", "customer service", "service", "rude", "hold", "call",
        "phone", "representative", "rep", "support", "crew", "attendant", "attendants",
        "manager", "employee", "employees", "response", "respond", "reply", "help", "desk",
        "helpline", "chat", "waiting", "line", "pilot", "captain",
    ),
})
# When two topics tie, the more specific and more actionable one wins.
_TIE_ORDER: Sequence[str] = ("outage", "account", "billing", "delivery", "product", "booking",
                             "service", "other")


class TopicMatcher:
    """Counts keyword hits per topic; the topic with most hits wins (ties by _TIE_ORDER)."""

    __slots__ = ("_phrase_re", "_phrase_topic", "_rank", "_words")

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
        single: dict[str, int] = {}
        phrases: dict[str, int] = {}
        self._rank = {t: i for i, t in enumerate(_TIE_ORDER)}
        # Single words map to the topic index; later (config) entries override built-ins.
        index = {t: i for i, t in enumerate(TOPICS)}
        for topic, keywords in merged.items():
            for kw in keywords:
                k = kw.strip().lower()
                if not k:
                    continue
                if re.fullmatch(r"[\w'-]+", k):
                    single[k] = index[topic]
                else:
                    phrases[k] = index[topic]
        self._words = single
        self._phrase_re: re.Pattern[str] | None = None
        self._phrase_topic = phrases
        if phrases:
            alternatives = sorted(phrases, key=len, reverse=True)
            self._phrase_re = re.compile(
                "|".join(f"(?<!\\w){re.escape(p)}(?!\\w)" for p in alternatives)
            )

    def topic(self, tokens: Sequence[str], lowered: str) -> str:
        counts = [0] * len(TOPICS)
        get = self._words.get
        for tok in tokens:
            idx = get(tok)
            if idx is not None:
                counts[idx] += 1
        if self._phrase_re is not None:
            for m in self._phrase_re.finditer(lowered):
                counts[self._phrase_topic[m.group(0)]] += 1
        best = max(counts)
        if best == 0:
            return "other"
        return min((t for i, t in enumerate(TOPICS) if counts[i] == best),
                   key=self._rank.__getitem__)
