"""What a post states, so that a reply names only that: the topic words of a post and of a reply,
the phrase a template may use for the problem or for what was praised, and the details a
fix-request still has to ask for.

A reply sentence that holds a topic word ("charge", "parcel", "sign in", "booking", "outage")
names that topic; the post must state the topic too, in its own words or through the
classifier's evidence, or the reply invents a problem (`checks.check_grounded`). Phrases are
built only from words the post contains. Covers English, Spanish, French, German and
Portuguese. Pure tables and functions: no I/O, no state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from monitor import senses
from monitor.text import straight_quotes

SCAN_CHARS = 20_000
"""A post is searched for topic words in its first this many characters (as details are)."""

DRAFTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt")
"""Languages the shipped templates are written in; any other gets no draft (reply by hand)."""

LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese",
    "it": "Italian", "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "nb": "Norwegian", "fi": "Finnish", "pl": "Polish", "cs": "Czech", "sk": "Slovak",
    "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "el": "Greek", "tr": "Turkish",
    "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "he": "Hebrew", "fa": "Persian",
    "hi": "Hindi", "bn": "Bengali", "ur": "Urdu", "th": "Thai", "vi": "Vietnamese",
    "id": "Indonesian", "ms": "Malay", "tl": "Tagalog", "ja": "Japanese", "ko": "Korean",
    "zh": "Chinese", "ca": "Catalan", "eu": "Basque", "gl": "Galician", "cy": "Welsh",
    "ga": "Irish", "und": "an undetermined language",
})


def language_code(value: str | None) -> str:
    """An ISO 639-1 code from a classifier's or network's language tag: "pt-BR" -> "pt",
    "" or None -> "und"."""
    code = (value or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code.isalpha() else "und"


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code or "an undetermined language")


# --- topic words ---------------------------------------------------------------------------
# Words as a post or a reply writes them, compared without case or accents ("prélèvement" and
# "prelevement" are one word). An entry is a word, a word ending in "*" (any word it starts,
# at least four letters before the star) or several words ("locked out"). REPLY words name a
# topic when a reply uses them; a post states a topic with any REPLY word or POST_EXTRA word.

REPLY_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "delivery": (
        "parcel", "parcels", "package", "packages", "delivery", "deliveries", "deliver",
        "delivered", "delivering", "courier", "couriers", "shipment", "shipments", "shipping",
        "tracking", "dispatch", "dispatched", "turned up", "arrive", "arrived", "arrives",
        "arriving",
        # es / fr / de / pt
        "paquete", "paquetes", "envio", "envios", "entrega", "entregas", "repartidor",
        "repartidores", "mensajeria", "colis", "livraison", "livraisons", "livree", "livrees",
        "livreur", "livreurs", "paket", "pakete", "pakets", "lieferung", "lieferungen",
        "zustellung", "geliefert", "sendung", "sendungen", "pacote", "pacotes", "encomenda",
        "encomendas", "entregue", "transportadora",
    ),
    "billing": (
        "charge", "charges", "charged", "charging", "overcharg*", "bill", "bills", "billed",
        "billing", "refund*", "payment", "payments", "invoice", "invoices", "subscription",
        "subscriptions", "fee", "fees",
        "cobro", "cobros", "cobrado", "cobrada", "cobrados", "cobradas", "cargo", "cargos",
        "factura", "facturas", "reembolso", "reembolsos", "pago", "pagos", "suscripcion",
        "suscripciones", "prelevement", "prelevements", "debite", "debitee", "debites",
        "facture", "factures", "facturee", "rembours*", "paiement", "paiements", "abonnement",
        "abonnements", "abbuchung", "abbuchungen", "abgebucht", "rechnung", "rechnungen",
        "erstattung", "ruckerstattung", "zahlung", "zahlungen", "abo", "abos", "cobranca",
        "cobrancas", "fatura", "faturas", "pagamento", "pagamentos", "assinatura",
        "assinaturas",
    ),
    "account": (
        "sign in", "signing in", "sign-in", "log in", "logging in", "log-in", "login",
        "logins", "locked out", "password", "passwords",
        "iniciar sesion", "contrasena", "contrasenas", "acceder a tu cuenta",
        "acceder a su cuenta", "connecter", "connexion", "mot de passe", "anmelden",
        "anmeldung", "einlogg*", "passwort", "passworter", "iniciar sessao", "fazer login",
        "senha", "senhas", "palavra-passe",
    ),
    "product": (
        "fault", "faults", "faulty", "broken", "defect*", "repair", "repairs", "replacement",
        "replacements", "crash", "crashes", "crashed", "crashing", "glitch*",
        "averia", "averias", "averiado", "averiada", "defectuoso", "defectuosa", "roto", "rota",
        "reparacion", "defaut", "defectueux", "defectueuse", "casse", "cassee", "reparation",
        "defekt", "kaputt", "reparatur", "defeito", "defeituoso", "defeituosa", "avariado",
        "avariada", "quebrado", "quebrada", "reparacao",
    ),
    "outage": (
        "outage", "outages", "disruption", "is down", "are down", "was down", "were down",
        "went down", "been down", "being down", "goes down",
        "caida", "interrupcion", "panne", "storung", "storungen", "ausfall", "instabilidade",
        "fora do ar",
    ),
    "booking": (
        "booking", "bookings", "booked", "reservation", "reservations", "flight", "flights",
        "appointment", "appointments",
        "reserva", "reservas", "vuelo", "vuelos", "cita", "citas", "vol", "vols", "rendez-vous",
        "buchung", "buchungen", "gebucht", "reservierung", "reservierungen", "flug", "fluge",
        "flugs", "termin", "termine", "termins", "voo", "voos", "agendamento", "agendamentos",
    ),
    "service": (
        "rude*", "the help you got", "the help you had", "the help you received",
        "the service you got", "the service you had", "the service you received",
        "how you were treated", "the way you were treated", "staff", "agent", "agents",
        "maleducado", "maleducada", "maleducados", "maleducadas", "grosero", "grosera",
        "impoli", "impolie", "impolis", "unfreundlich*", "mal-educado", "mal-educada",
        "atendente", "conseiller", "conseillere", "conseillers",
    ),
})

POST_EXTRA: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "delivery": (
        "order", "orders", "ordered", "shipped", "ship", "postman", "driver", "pickup",
        "never came", "not received", "still waiting", "where is my", "lost in transit",
        "collection", "doordash", "pedido", "pedidos", "commande", "commandes", "commandee",
        "bestell*",
    ),
    "billing": (
        "money", "paid", "pay", "price*", "cost*", "card", "cards", "debit*", "credit*", "twice",
        "membership", "plan", "voucher", "vouchers", "compensation", "reimburs*", "dollars",
        "miles", "points", "dinero", "argent", "geld", "dinheiro", "pagado", "pagada", "paye",
        "payee", "bezahlt", "paguei", "pagou", "cable package", "tv package", "sports package",
        "channel package", "channels package", "data package", "broadband package",
        "internet package", "phone package", "mobile package", "premium package",
    ),
    "account": (
        "account", "accounts", "username", "email address", "e-mail address", "hacked",
        "locked", "suspended", "banned", "2fa", "verif*", "reset", "log on", "logged out",
        "sign on", "profile", "cuenta", "compte", "konto", "conta", "bloqueado", "bloqueada",
        "bloque", "bloquee", "gesperrt",
    ),
    "product": (
        "crew emblem", "crew emblems", "crew name", "crew tag",
        "not working", "doesn t work", "doesnt work", "stopped working", "won t work",
        "wont work", "bug", "bugs", "update*", "screen", "battery", "device", "phone", "laptop",
        "app", "damaged", "cracked", "leak*", "quality", "broke", "crack*", "feature",
        "features", "food", "meal", "meals", "cold", "taste*", "product", "products", "wifi",
        "seat", "seats", "entertainment", "no funciona", "se cuelga", "ne marche pas",
        "ne fonctionne pas", "ne fonctionne plus", "plante", "funktioniert nicht", "sturzt ab",
        "nao funciona", "trava", "aplicacion", "application", "aplicativo",
    ),
    "outage": (
        "down", "offline", "no signal", "no service", "no internet", "internet", "connection",
        "network", "server", "servers", "website", "site", "app", "won t load", "wont load",
        "not loading", "error", "errors", "wifi", "wi-fi", "status", "web", "pagina",
        "aplicacion", "application", "aplicativo", "sin servicio", "sin conexion",
        "plus de connexion", "kein internet", "sem internet", "sem sinal",
    ),
    "booking": (
        "holiday package", "vacation package", "travel package",
        "book", "rebook*", "ticket", "tickets", "boarding", "gate", "baggage", "bag", "bags",
        "luggage", "suitcase", "check-in", "checkin", "check in", "layover", "trip", "hotel",
        "itinerary", "seat", "seats", "cancelled", "canceled", "delayed", "delay", "delays",
        "flightr", "connection", "connections", "travel*", "plane", "planes", "airport",
        "airports", "upgrade", "upgrades", "standby", "table", "tables", "billete", "billetes",
        "billet", "billets", "bilhete", "bilhetes", "passagem", "passagens", "maleta", "valise",
        "koffer", "mala",
    ),
    "service": (
        "support ticket", "support tickets", "help ticket", "trouble ticket",
        "submitted a ticket", "submit a ticket", "opened a ticket", "raised a ticket",
        "created a ticket", "filed a ticket", "sent a ticket",
        "customer service", "service", "support", "on hold", "hold", "call", "called", "calls",
        "rep", "representative", "manager", "employee", "employees", "crew", "chat",
        "helpline", "phone", "attendant", "attendants", "respon*", "reply", "help", "desk",
        "waiting", "line", "pilot", "captain", "atencion al cliente", "service client",
        "kundenservice", "kundendienst", "atendimento",
    ),
})

_TOKEN = re.compile(r"[^\W_]+")
# ASCII letters and digits stay (lower-cased); every other byte becomes a space.
_TOKEN_BYTES = bytes(b + 32 if 65 <= b <= 90 else b if chr(b).isascii() and chr(b).isalnum()
                     else 0x20 for b in range(256))
_COMBINING = re.compile("[\u0300-\u036f]")
"""The combining accents that NFKD splits from Latin letters ("é" -> "e" + U+0301)."""
PREFIX_LEN = 4
"""A starred entry has at least this many letters before its star (the index's key)."""


def fold(text: str) -> str:
    """Lower case without accents: the form words are compared in ("Störung" -> "storung")."""
    text = straight_quotes(text.lower())
    if text.isascii():
        return text
    text = text.replace("ß", "ss")
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def tokens(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits, so apostrophes and hyphens
    split words ("l'app" -> "l", "app"; "check-in" -> "check", "in"; entries are split the
    same way, so "check-in" is found as the phrase "check in")."""
    if text.isascii():  # a bytes translation: several times faster than the pattern
        return text.encode("ascii").translate(_TOKEN_BYTES).decode("ascii").split()
    return _TOKEN.findall(fold(text))


class TopicIndex:
    """Which topics the words of a text name: one pass over its tokens, dictionary lookups
    for words, phrases by their first word, starred entries by their first letters."""

    def __init__(self, words: Mapping[str, Sequence[str]]) -> None:
        self._words: dict[str, set[str]] = {}
        self._prefixes: dict[str, list[tuple[str, str]]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for topic, entries in words.items():
            for entry in entries:
                parts = tokens(entry.rstrip("*"))
                if len(parts) > 1:
                    self._phrases.setdefault(parts[0], []).append((tuple(parts[1:]), topic))
                elif entry.endswith("*"):
                    stem = parts[0]
                    if len(stem) < PREFIX_LEN:
                        raise ValueError(f"{entry!r}: a starred entry needs {PREFIX_LEN} "
                                         "letters before the star")
                    self._prefixes.setdefault(stem[:PREFIX_LEN], []).append((stem, topic))
                else:
                    self._words.setdefault(parts[0], set()).add(topic)
        # Words that can start an entry, for a set test that skips most texts at C speed.
        self._starts = frozenset((*self._words, *self._phrases))
        self._single = frozenset(self._words)
        self._heads = frozenset(self._phrases)
        self._stems = frozenset(self._prefixes)

    def topics(self, words: Sequence[str]) -> set[str]:
        """The topics the words name, in any order: `find` without positions, with set
        operations where it can (this runs on every post a draft names a topic for)."""
        out: set[str] = set()
        for word in self._single.intersection(words):
            out |= self._words[word]
        heads = self._heads.intersection(words)
        if heads:
            for i, word in enumerate(words):
                if word in heads:
                    for rest, topic in self._phrases[word]:
                        if tuple(words[i + 1:i + 1 + len(rest)]) == rest:
                            out.add(topic)
        stems = self._stems.intersection([w[:PREFIX_LEN] for w in words])
        for key in stems:
            for stem, topic in self._prefixes[key]:
                if any(w.startswith(stem) for w in words):
                    out.add(topic)
        return out

    def find(self, words: Sequence[str]) -> list[tuple[frozenset[str], str]]:
        """(topics, the words as folded) for each entry found, in order."""
        found: list[tuple[frozenset[str], str]] = []
        if self._starts.isdisjoint(words) and self._stems.isdisjoint(
                [w[:PREFIX_LEN] for w in words]):
            return found
        starts, stems = self._starts, self._stems
        for i, word in enumerate(words):
            if word not in starts and word[:PREFIX_LEN] not in stems:
                continue
            topics: set[str] = set()
            named = word
            for rest, topic in self._phrases.get(word, ()):
                if tuple(words[i + 1:i + 1 + len(rest)]) == rest:
                    topics.add(topic)
                    named = " ".join((word, *rest))
            topics |= self._words.get(word, set())
            for stem, topic in self._prefixes.get(word[:PREFIX_LEN], ()):
                if word.startswith(stem):
                    topics.add(topic)
            if topics:
                found.append((frozenset(topics), named))
        return found


_REPLY_INDEX = TopicIndex(REPLY_WORDS)
_POST_INDEX = TopicIndex({t: (*REPLY_WORDS[t], *POST_EXTRA.get(t, ())) for t in REPLY_WORDS})


def post_topics(text: str) -> frozenset[str]:
    """The topics a post states in its own words (its first SCAN_CHARS characters); a word
    may state more than one ("app": a product fault or an outage). A word the post uses in
    another sense or names only to rule it out states nothing (`senses`: "$560 down" is a
    price, not an outage; "it's not my internet"), as the classifier's topic reads it: else a
    reviewer's "sorry the site is down" under "$560 down today" would pass as grounded."""
    head = text[:SCAN_CHARS]
    words = tokens(head)
    topics = _POST_INDEX.topics(words)
    if not topics or not senses.may_rule_out(frozenset(words), head.lower()):
        return frozenset(topics)
    return frozenset(topic for named, word in _POST_INDEX.find(words)
                     if not senses.ruled_out(word, head) for topic in named)


def reply_topic_words(text: str) -> list[tuple[frozenset[str], str]]:
    """(the topics it names, the word as compared: lower case, no accents) for each topic
    word of a reply, in order."""
    return _REPLY_INDEX.find(tokens(text))


def evidence_in(text: str, evidence: Iterable[str]) -> tuple[str, ...]:
    """The classifier's evidence words that the post really holds (as whole words), in
    order."""
    head = text[:SCAN_CHARS]
    lowered = straight_quotes(head.lower())
    joined: str | None = None
    out: list[str] = []
    for word in evidence:
        w = word.strip().lower()
        if not w or w in out:
            continue
        if w in lowered:  # the cheap test; whole words are then checked on the tokens
            if joined is None:
                joined = " " + " ".join(tokens(head)) + " "
            if f" {' '.join(tokens(w))} " in joined:
                out.append(w)
    return tuple(out)


# --- phrases -------------------------------------------------------------------------------
# The problem phrase, from an evidence word: what the templates put after "the trouble with"
# (es "con", fr "avec", de "mit" + dative, pt "com"). A word with no entry gives no phrase,
# and the template falls back to general wording.

PROBLEM_PHRASES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "en": MappingProxyType({
        "parcel": "your parcel", "parcels": "your parcels", "package": "your package",
        "packages": "your packages", "delivery": "your delivery", "deliver": "your delivery",
        "delivered": "your delivery", "shipping": "your delivery", "shipment": "your shipment",
        "shipped": "your delivery", "courier": "your delivery", "tracking": "the tracking",
        "dispatch": "your delivery", "dispatched": "your delivery", "order": "your order",
        "orders": "your orders", "arrive": "your delivery", "arrived": "your delivery",
        "bill": "your bill", "billing": "your bill", "billed": "your bill",
        "charge": "the charge", "charged": "the charge", "charges": "the charges",
        "overcharged": "the charge", "invoice": "your invoice", "refund": "your refund",
        "refunds": "your refund", "payment": "your payment", "subscription": "your subscription",
        "fee": "the fee", "fees": "the fees",
        "account": "your account", "login": "logging in", "log in": "logging in",
        "log on": "logging in", "sign in": "signing in", "logged out": "staying logged in",
        "password": "your password", "username": "your username", "locked": "your account",
        "locked out": "getting into your account", "verification": "the verification",
        "profile": "your profile", "hacked": "your account", "suspended": "your account",
        "email address": "your email address",
        "broken": "the fault", "faulty": "the fault", "defective": "the fault",
        "damaged": "the damage", "leaking": "the leak", "battery": "the battery",
        "screen": "the screen", "bug": "the bug", "bugs": "the bugs", "crash": "the crashes",
        "crashes": "the crashes", "crashing": "the crashes", "glitch": "the glitch",
        "update": "the update", "feature": "the feature", "device": "your device",
        "phone": "your phone", "laptop": "your laptop", "wifi": "the wifi",
        "product": "the product", "food": "your food", "meal": "your meal",
        "entertainment": "the entertainment",
        "outage": "the outage", "internet": "your internet", "connection": "your connection",
        "network": "the network", "website": "the website", "site": "the website",
        "app": "the app", "disruption": "the disruption", "error": "the error",
        "no internet": "your internet", "no signal": "your signal",
        "flight": "your flight", "flights": "your flights", "booking": "your booking",
        "booked": "your booking", "reservation": "your reservation", "rebook": "rebooking",
        "ticket": "your ticket", "tickets": "your tickets", "boarding": "boarding",
        "baggage": "your baggage", "bag": "your bag", "bags": "your bags",
        "luggage": "your luggage", "suitcase": "your suitcase", "check-in": "check-in",
        "checkin": "check-in", "check in": "check-in", "layover": "your layover",
        "trip": "your trip", "delayed": "the delay", "delay": "the delay",
        "hotel": "your hotel", "itinerary": "your itinerary", "upgrade": "your upgrade",
        "seat": "your seat", "appointment": "your appointment", "table": "your table",
        "customer service": "our customer service", "service": "our service",
        "support": "our support", "call": "your call",
        "response": "our response", "chat": "the chat", "waiting": "the wait",
    }),
    "es": MappingProxyType({
        "pedido": "tu pedido", "pedidos": "tus pedidos", "paquete": "tu paquete",
        "envío": "el envío", "envio": "el envío", "envíos": "los envíos", "entrega": "la entrega",
        "cobro": "el cobro", "cargo": "el cargo", "factura": "la factura",
        "reembolso": "el reembolso", "pago": "el pago", "suscripción": "tu suscripción",
        "cuenta": "tu cuenta", "contraseña": "tu contraseña",
        "iniciar sesión": "el inicio de sesión",
        "app": "la app", "aplicación": "la aplicación", "internet": "tu conexión",
        "reserva": "tu reserva", "vuelo": "tu vuelo", "cita": "tu cita", "maleta": "tu maleta",
        "billete": "tu billete", "avería": "la avería", "caída": "la caída del servicio",
    }),
    "fr": MappingProxyType({
        "commande": "votre commande", "commandes": "vos commandes", "colis": "votre colis",
        "livraison": "votre livraison", "prélèvement": "le prélèvement",
        "facture": "votre facture", "remboursement": "votre remboursement",
        "paiement": "votre paiement", "abonnement": "votre abonnement",
        "compte": "votre compte", "mot de passe": "votre mot de passe",
        "connexion": "la connexion", "application": "l'application", "app": "l'application",
        "réservation": "votre réservation", "vol": "votre vol", "billet": "votre billet",
        "valise": "votre valise", "rendez-vous": "votre rendez-vous", "panne": "la panne",
    }),
    "de": MappingProxyType({
        "bestellung": "Ihrer Bestellung", "paket": "Ihrem Paket", "lieferung": "Ihrer Lieferung",
        "sendung": "Ihrer Sendung", "abbuchung": "der Abbuchung", "abgebucht": "der Abbuchung",
        "rechnung": "Ihrer Rechnung",
        "erstattung": "Ihrer Erstattung", "rückerstattung": "Ihrer Rückerstattung",
        "zahlung": "Ihrer Zahlung", "abo": "Ihrem Abo", "konto": "Ihrem Konto",
        "passwort": "Ihrem Passwort", "anmeldung": "der Anmeldung", "app": "der App",
        "buchung": "Ihrer Buchung", "reservierung": "Ihrer Reservierung", "flug": "Ihrem Flug",
        "termin": "Ihrem Termin", "koffer": "Ihrem Koffer", "störung": "der Störung",
        "internet": "Ihrem Internet",
    }),
    "pt": MappingProxyType({
        "pedido": "o seu pedido", "encomenda": "a sua encomenda", "pacote": "o seu pacote",
        "entrega": "a entrega", "cobrança": "a cobrança", "cobrado": "a cobrança",
        "fatura": "a fatura",
        "reembolso": "o reembolso", "pagamento": "o pagamento", "assinatura": "a assinatura",
        "conta": "a sua conta", "senha": "a sua senha", "app": "o app",
        "aplicativo": "o aplicativo", "internet": "a sua internet", "reserva": "a sua reserva",
        "voo": "o seu voo", "mala": "a sua mala", "bilhete": "o seu bilhete",
        "passagem": "a sua passagem",
    }),
})

# What was praised: after "the kind words about" (es/pt "sobre", fr "sur", de "über" +
# accusative). Found in the post itself, first mention first; a configured product wins.
PRAISE_PHRASES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "en": MappingProxyType({
        "crew": "the crew", "cabin crew": "the cabin crew", "flight attendants": "the cabin crew",
        "flight attendant": "your flight attendant", "pilot": "the pilot",
        "staff": "the team", "team": "the team", "customer service": "our customer service",
        "service": "the service", "support": "the support", "driver": "your driver",
        "flight": "your flight", "trip": "your trip",
        "delivery": "the delivery", "app": "the app", "update": "the update",
        "food": "the food", "meal": "the meal", "coffee": "the coffee", "drinks": "the drinks",
        "snacks": "the snacks", "seats": "the seats", "lounge": "the lounge",
        "store": "the store", "shop": "the shop", "prices": "the prices",
    }),
    "es": MappingProxyType({
        "equipo": "el equipo", "tripulación": "la tripulación", "servicio": "el servicio",
        "atención": "la atención", "vuelo": "tu vuelo", "viaje": "tu viaje",
        "entrega": "la entrega", "app": "la app", "comida": "la comida", "café": "el café",
        "tienda": "la tienda",
    }),
    "fr": MappingProxyType({
        "équipe": "l'équipe", "équipage": "l'équipage", "service": "le service",
        "vol": "votre vol", "voyage": "votre voyage", "livraison": "la livraison",
        "application": "l'application", "app": "l'application", "repas": "le repas",
        "café": "le café", "magasin": "le magasin", "boutique": "la boutique",
    }),
    "de": MappingProxyType({
        "team": "das Team", "crew": "die Crew", "besatzung": "die Crew",
        "service": "den Service", "kundenservice": "unseren Kundenservice",
        "flug": "Ihren Flug", "reise": "Ihre Reise", "lieferung": "die Lieferung",
        "app": "die App", "essen": "das Essen", "kaffee": "den Kaffee", "laden": "den Laden",
    }),
    "pt": MappingProxyType({
        "equipe": "a equipe", "equipa": "a equipa", "tripulação": "a tripulação",
        "atendimento": "o atendimento", "serviço": "o serviço", "voo": "o seu voo",
        "viagem": "a sua viagem", "entrega": "a entrega", "app": "o app",
        "aplicativo": "o aplicativo", "comida": "a comida", "café": "o café", "loja": "a loja",
    }),
})


def _folded(tables: Mapping[str, Mapping[str, str]]) -> dict[str, dict[tuple[str, ...], str]]:
    return {lang: {tuple(tokens(k)): v for k, v in table.items()}
            for lang, table in tables.items()}


_PROBLEM_BY_WORDS = _folded(PROBLEM_PHRASES)
_PRAISE_BY_WORDS = _folded(PRAISE_PHRASES)


def problem_phrase(language: str, evidence: Sequence[str]) -> str:
    """The phrase for the first evidence word that has one in `language`, or ""."""
    table = _PROBLEM_BY_WORDS.get(language)
    if not table:
        return ""
    for word in evidence:
        phrase = table.get(tuple(tokens(word)))
        if phrase:
            return phrase
    return ""


_THING_PHRASES = frozenset({
    "your account", "your delivery", "your order", "your orders", "your parcel",
    "your parcels", "your package", "your packages", "your shipment", "the website", "the app",
    "your profile", "the feature", "the update", "the product", "your device", "your phone",
    "your laptop", "your email address", "your username", "your password",
    "your subscription", "your payment", "your food", "your meal", "your bill",
    "your invoice", "the entertainment", "the network", "our customer service", "our service",
    "the team",
})
"""Problem phrases that name a thing, not what went wrong with it: "sorry about your account"
to someone who wished for a feature reads as invented, so wording that names only what went
wrong (`trouble_phrase`) leaves these out. The service and the team too: a blind reading
marked "sorry about our customer service" wrong under "your reps are super nice, but get my
service going", and "we hear you about our customer service" an edit where the post's
problem was an order that never came."""


def trouble_phrase(problem: str) -> str:
    """`problem` when it names what went wrong (the delay, the outage, the charge, your
    internet), "" when it names only a thing (your account, the app)."""
    return "" if problem in _THING_PHRASES else problem


def praise_phrase(language: str, text: str) -> str:
    """What the post praises, from the first praisable word in it (the longest entry that
    starts there), or ""."""
    table = _PRAISE_BY_WORDS.get(language)
    if not table:
        return ""
    words = tokens(text[:SCAN_CHARS])
    for i in range(len(words)):
        for size in (3, 2, 1):
            phrase = table.get(tuple(words[i:i + size]))
            if phrase:
                return phrase
    return ""


# --- the next step ---------------------------------------------------------------------------

# Software words: only then is an app version worth asking for (a blind reading marked "which
# app version?" to an overheating laptop or a cracked screen as an edit).
_SOFTWARE = re.compile(
    r"(?i)(?<![\w-])(?:apps?|application|aplicaci[oó]n|aplicativo|anwendung|update\w*|"
    r"crash\w*|bugs?|glitch\w*|error\w*|website|site|web|online|log ?in|sign ?in|login|"
    r"ios|android|windows|browser|navegador|navigateur|version|software)(?![\w-])")
_PURCHASE = re.compile(
    r"(?i)(?<![\w-])(?:orders?|ordered|bought|purchased?|checkout|basket|cart|item|parcel|"
    r"package|delivery|pedido|compra|commande|achat|bestellung|gekauft|encomenda)(?![\w-])")
_CONNECTION = re.compile(
    r"(?i)(?<![\w-])(?:internet|wifi|wi-fi|router|broadband|signal|connection|network|"
    r"conexi[oó]n|se[ñn]al|connexion|r[ée]seau|verbindung|netz|conex[aã]o|sinal|rede)(?![\w-])")
_SUBSCRIPTION = re.compile(
    r"(?i)(?<![\w-])(?:subscriptions?|membership|plan|account|suscripci[oó]n|cuenta|"
    r"abonnement|compte|abo|konto|assinatura|conta)(?![\w-])")

NEEDS = ("order_number", "booking_ref", "app_details", "account_email")
# `account_email` also serves an outage of a line or connection (internet, wifi, signal).
"""What `need_for` may return (besides "" for nothing): the detail a template asks for."""


def need_for(topic: str | None, text: str, *, order_number: str | None,
             booking_ref: str | None, device: str | None, app_version: str | None) -> str:
    """The one detail a fix-request or question on an evidenced `topic` still needs from the
    customer, or "" when the topic needs none we can name or they gave it already."""
    head = text[:SCAN_CHARS]
    if topic == "delivery":
        return "" if order_number else "order_number"
    if topic == "billing":
        if _SUBSCRIPTION.search(head):
            return "account_email"
        # An order number only for a purchase: a blind reading marked it wrong when asked of
        # someone writing to a bank or about a prize.
        if _PURCHASE.search(head) is None:
            return ""
        return "" if order_number else "order_number"
    if topic == "booking":
        return "" if booking_ref else "booking_ref"
    if topic == "account":
        return "account_email"
    if topic not in ("product", "outage"):
        return ""
    if _SOFTWARE.search(head) is not None:
        return "" if device and app_version else "app_details"
    if topic == "outage" and _CONNECTION.search(head) is not None:
        return "account_email"  # a line or connection: the account it is on, by DM
    return ""
