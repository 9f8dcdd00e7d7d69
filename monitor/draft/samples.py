"""Built-in sample mentions for `templates check`: every label and topic, in each drafted
language, with and without the details a template may refer to, with the classifier's evidence
for the topic, the longest realistic handle on each network, and hostile mentions (profanity,
third-party tags, links, template syntax, a megabyte of text).

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

PLAIN = "plain"
"""Samples named so belong to their own topic; every other sample serves every topic."""

# (language, label, topic, sample name, text, the classifier's evidence for the topic).
# `{product}` is filled from the brand's products.
TEXTS: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("en", "fix_request", "delivery", "with order",
     "Order #NW-48213 still hasn't arrived after two weeks and nobody answers the phone",
     ("order", "arrived")),
    ("en", "fix_request", "delivery", PLAIN, "Where is my parcel? Ordered ten days ago, still "
     "nothing", ("parcel",)),
    ("en", "fix_request", "delivery", "longest order number",
     "order number NW-1234567890-1234567890 never came", ("order",)),
    ("en", "fix_request", "billing", "with order",
     "You charged me twice for order 55120-B and I want one of them back", ("charged",)),
    ("en", "fix_request", "billing", PLAIN, "Charged twice this month for the descaler "
     "subscription", ("charged", "subscription")),
    ("en", "fix_request", "billing", "refund", "Still waiting on my refund, it has been a month",
     ("refund",)),
    ("en", "fix_request", "account", PLAIN,
     "Can't log in to the app since the update, reset email never comes", ("log in", "reset")),
    ("en", "fix_request", "product", "with product", "My {product} stopped heating after a week",
     ("{product}",)),
    ("en", "fix_request", "product", PLAIN, "The app keeps crashing when I open my orders",
     ("app", "crashing")),
    ("en", "fix_request", "product", "with device and version",
     "App crashes on my iPhone since version 5.2.1, every time", ("crashes",)),
    ("en", "fix_request", "outage", PLAIN, "Is the app down? Nothing loads for me", ("down",)),
    ("en", "fix_request", "outage", "a line", "Internet has been down since this morning",
     ("internet", "down")),
    ("en", "fix_request", "outage", "nothing named", "Is everything down? Nothing works",
     ("down",)),
    ("en", "fix_request", "booking", "with reference",
     "My repair booking ref QWERTY was cancelled without any notice", ("booking", "cancelled")),
    ("en", "fix_request", "booking", PLAIN, "Trying to book a return and the form keeps failing",
     ("book",)),
    ("en", "fix_request", "service", PLAIN, "The agent on the phone was rude and hung up on me",
     ("agent", "rude")),
    ("en", "fix_request", "other", PLAIN, "How do I change the delivery address on my account",
     ()),
    ("en", "question", "other", PLAIN, "Does the spring offer apply to the travel mugs too?", ()),
    ("en", "question", "delivery", PLAIN, "Do you deliver to Ireland, and how long does "
     "shipping take?", ("deliver", "shipping")),
    ("en", "question", "booking", PLAIN, "Can I move my repair booking to next week?",
     ("booking",)),
    ("en", "question", "account", PLAIN, "How do I change the email address on my account?",
     ("account", "email address")),
    ("en", "question", "product", PLAIN, "Does the app work on older phones?", ("app",)),
    ("en", "question", "billing", PLAIN, "Can I pay for the descaler subscription yearly?",
     ("subscription",)),
    ("en", "venting", "other", PLAIN, "Never buying from this lot again, what a waste of money "
     "#fail", ()),
    ("en", "venting", "delivery", PLAIN, "Third late parcel this year. I give up.", ("parcel",)),
    ("en", "praise", "other", PLAIN, "Honestly the best kettle I've owned, and the team were "
     "lovely", ()),
    ("en", "praise", "product", "with product", "Loving my {product}, coffee has never been "
     "better", ("{product}",)),
    ("en", "neutral", "other", PLAIN, "Saw a Northwind ad on the train this morning", ()),
    # Spanish
    ("es", "fix_request", "delivery", "with order",
     "Mi pedido NW-48213 todavía no ha llegado y ya han pasado dos semanas", ("pedido",)),
    ("es", "fix_request", "delivery", PLAIN, "¿Dónde está mi paquete? Lo pedí hace diez días y "
     "nada", ("paquete",)),
    ("es", "fix_request", "billing", PLAIN, "Me han hecho un cobro doble este mes en la tarjeta",
     ("cobro",)),
    ("es", "fix_request", "account", PLAIN, "No puedo entrar en mi cuenta desde ayer",
     ("cuenta",)),
    ("es", "fix_request", "product", PLAIN, "La app se cierra sola cada vez que la abro",
     ("app",)),
    ("es", "fix_request", "booking", "with reference",
     "Mi reserva QWERTY aparece cancelada sin ningún aviso", ("reserva",)),
    ("es", "fix_request", "booking", PLAIN, "No me deja cambiar la reserva de la reparación",
     ("reserva",)),
    ("es", "fix_request", "outage", PLAIN, "¿Está caída la web? No carga nada", ("caída",)),
    ("es", "fix_request", "service", PLAIN, "El agente del teléfono fue muy maleducado conmigo",
     ("maleducado",)),
    ("es", "fix_request", "other", PLAIN, "Necesito cambiar la dirección y no encuentro cómo",
     ()),
    ("es", "question", "other", PLAIN, "¿La oferta de primavera vale también para las tazas de "
     "viaje?", ()),
    ("es", "question", "delivery", PLAIN, "¿Hacéis envíos a Canarias?", ("envíos",)),
    ("es", "venting", "other", PLAIN, "Otra vez lo mismo. Estoy harto de esta empresa.", ()),
    ("es", "praise", "other", PLAIN, "¡Qué maravilla de equipo! Todo perfecto.", ()),
    ("es", "neutral", "other", PLAIN, "Vi un anuncio de Northwind en el metro esta mañana", ()),
    # French
    ("fr", "fix_request", "delivery", "with order",
     "Ma commande NW-48213 n'est toujours pas arrivée après deux semaines", ("commande",)),
    ("fr", "fix_request", "delivery", PLAIN, "Où est mon colis ? Commandé il y a dix jours, "
     "toujours rien", ("colis",)),
    ("fr", "fix_request", "billing", PLAIN, "J'ai été prélevé deux fois ce mois-ci pour mon "
     "abonnement", ("abonnement",)),
    ("fr", "fix_request", "account", PLAIN, "Impossible de me connecter à mon compte depuis hier",
     ("compte",)),
    ("fr", "fix_request", "product", PLAIN, "L'application plante à chaque ouverture",
     ("application",)),
    ("fr", "fix_request", "booking", "with reference",
     "Ma réservation QWERTY a été annulée sans prévenir", ("réservation",)),
    ("fr", "fix_request", "outage", PLAIN, "Le site est en panne ? Rien ne charge", ("panne",)),
    ("fr", "fix_request", "service", PLAIN, "Le conseiller au téléphone a été très impoli",
     ("impoli",)),
    ("fr", "fix_request", "other", PLAIN, "Je voudrais changer mon adresse, je ne trouve pas où",
     ()),
    ("fr", "question", "other", PLAIN, "Est-ce que l'offre de printemps marche aussi pour les "
     "mugs de voyage ?", ()),
    ("fr", "venting", "other", PLAIN, "Franchement, j'en ai marre. Plus jamais.", ()),
    ("fr", "praise", "other", PLAIN, "Bravo à l'équipe, tout était parfait", ()),
    ("fr", "neutral", "other", PLAIN, "Vu une pub Northwind dans le métro ce matin", ()),
    # German
    ("de", "fix_request", "delivery", "with order",
     "Meine Bestellung NW-48213 ist nach zwei Wochen immer noch nicht da", ("bestellung",)),
    ("de", "fix_request", "delivery", PLAIN, "Wo bleibt mein Paket? Vor zehn Tagen bestellt und "
     "nichts", ("paket",)),
    ("de", "fix_request", "billing", PLAIN, "Mir wurde diesen Monat zweimal abgebucht",
     ("abgebucht",)),
    ("de", "fix_request", "account", PLAIN, "Ich komme seit gestern nicht mehr in mein Konto",
     ("konto",)),
    ("de", "fix_request", "product", PLAIN, "Die App stürzt bei jedem Start ab", ("app",)),
    ("de", "fix_request", "booking", "with reference",
     "Meine Buchung QWERTY wurde ohne Nachricht storniert", ("buchung",)),
    ("de", "fix_request", "outage", PLAIN, "Ist die Website down? Nichts lädt", ("down",)),
    ("de", "fix_request", "service", PLAIN, "Der Mitarbeiter an der Hotline war sehr "
     "unfreundlich", ("unfreundlich",)),
    ("de", "fix_request", "other", PLAIN, "Wie ändere ich meine Adresse? Ich finde es nicht", ()),
    ("de", "question", "other", PLAIN, "Gilt das Frühlingsangebot auch für die Reisebecher?", ()),
    ("de", "venting", "other", PLAIN, "Ehrlich, ich habe die Nase voll. Nie wieder.", ()),
    ("de", "praise", "other", PLAIN, "Großes Lob an das Team, alles bestens", ()),
    ("de", "neutral", "other", PLAIN, "Heute Morgen Northwind-Werbung in der U-Bahn gesehen", ()),
    # Portuguese
    ("pt", "fix_request", "delivery", "with order",
     "Meu pedido NW-48213 ainda não chegou depois de duas semanas", ("pedido",)),
    ("pt", "fix_request", "delivery", PLAIN, "Cadê minha encomenda? Comprei há dez dias e nada",
     ("encomenda",)),
    ("pt", "fix_request", "billing", PLAIN, "Fui cobrado duas vezes este mês no cartão",
     ("cobrado",)),
    ("pt", "fix_request", "account", PLAIN, "Não consigo entrar na minha conta desde ontem",
     ("conta",)),
    ("pt", "fix_request", "product", PLAIN, "O app fecha sozinho toda vez que eu abro", ("app",)),
    ("pt", "fix_request", "booking", "with reference",
     "Minha reserva QWERTY foi cancelada sem aviso", ("reserva",)),
    ("pt", "fix_request", "outage", PLAIN, "O site está fora do ar? Nada carrega",
     ("fora do ar",)),
    ("pt", "fix_request", "service", PLAIN, "O atendente no telefone foi muito mal-educado",
     ("mal-educado",)),
    ("pt", "fix_request", "other", PLAIN, "Como mudo o endereço? Não encontro a opção", ()),
    ("pt", "question", "other", PLAIN, "A promoção de primavera vale também para as canecas de "
     "viagem?", ()),
    ("pt", "venting", "other", PLAIN, "Sinceramente, cansei. Nunca mais.", ()),
    ("pt", "praise", "other", PLAIN, "Parabéns à equipe, tudo perfeito", ()),
    ("pt", "neutral", "other", PLAIN, "Vi um anúncio da Northwind no metrô hoje", ()),
    # Hostile and huge: every label and topic, and every language.
    ("en", "fix_request", "delivery", "hostile", _HOSTILE, ()),
    ("en", "fix_request", "billing", "hostile", _HOSTILE, ()),
    ("en", "question", "other", "hostile", _HOSTILE, ()),
    ("en", "venting", "other", "hostile", _HOSTILE, ()),
    ("en", "praise", "other", "hostile", _HOSTILE, ()),
    ("en", "neutral", "other", "hostile", _HOSTILE, ()),
    ("en", "fix_request", "other", "one megabyte", "my order #NW-77777 broke " * 40_000, ()),
)


@dataclass(frozen=True)
class Sample:
    name: str
    label: str
    topic: str
    mention: Mention
    language: str = "en"
    evidence: tuple[str, ...] = ()

    @property
    def any_language(self) -> bool:
        """Hostile and huge samples are tried in every drafted language."""
        return self.name in ("hostile", "one megabyte")


def build_samples(network: str, products: tuple[str, ...] = ()) -> list[Sample]:
    """Every sample mention, as if posted on `network` by its longest-handled author."""
    product = products[0] if products else "Aurora kettle"
    out: list[Sample] = []
    for i, (language, label, topic, name, text, evidence) in enumerate(TEXTS):
        mention = Mention(
            feed="samples",
            platform=network,
            external_id=f"sample-{i}",
            text=text.replace("{product}", product),
            author=AUTHORS.get(network, AUTHORS["hackernews"]),
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        words = tuple(w.replace("{product}", product.lower()) for w in evidence)
        out.append(Sample(name=name, label=label, topic=topic, mention=mention,
                          language=language, evidence=words))
    return out
