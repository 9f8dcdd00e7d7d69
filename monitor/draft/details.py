"""Details a reply may refer to, found in a mention: an order number, a booking reference, a
product name from the brand's configured list, the device and app version someone named; plus
the author's handle in the network's form.

Every value returned here is reduced to a small safe alphabet (letters, digits, '-', '_', '.',
'@', '/') and a short length, so that nothing a mention says can smuggle a link, a third-party
tag or template syntax into a draft. This module never invents a detail: absent means None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Mentions can be huge (1 MB); details live near the start, and scanning a bounded prefix keeps
# drafting time flat whatever the input.
SCAN_CHARS = 20_000

_ORDER = re.compile(
    r"(?i)\b(?:order|pedido|commande|bestellung|encomenda)\s*"
    r"(?:number|num|no\.?|nr\.?|id|ref(?:erence)?|#|n[º°o]\.?)?\s*(?:is|was|:)?\s*#?\s*"
    r"([A-Z0-9][A-Z0-9-]{2,23})\b"
)
_ORDER_WORDS = ("order", "pedido", "commande", "bestellung", "encomenda")
"""The words one of which `_ORDER` needs: keep the two in step."""
_HASH_NUMBER = re.compile(r"(?<![\w#])#([A-Za-z]{0,4}-?\d{3,16})\b")
_BOOKING = re.compile(
    r"(?i)\b(?:booking|reservation|r[ée]servation|reserva|buchung|reservierung|localizador|"
    r"confirmation|pnr|repair|return)\s*"
    r"(?:number|num|no\.?|code|ref(?:erence)?|id|#)?\s*(?:is|was|:)?\s*#?\s*([A-Z0-9-]{5,16})\b"
)
_BOOKING_WORDS = ("booking", "reserv", "servation", "buchung", "localizador", "confirmation",
                  "pnr", "repair", "return")
"""The words one of which `_BOOKING` needs: keep the two in step."""
# Devices and systems, in the spelling a reply uses (the post's own spelling may shout).
DEVICES: dict[str, str] = {
    "iphone": "iPhone", "ipad": "iPad", "ios": "iOS", "android": "Android", "pixel": "Pixel",
    "galaxy": "Galaxy", "macbook": "MacBook", "mac": "Mac", "windows": "Windows",
    "chromebook": "Chromebook", "xbox": "Xbox", "playstation": "PlayStation", "ps5": "PS5",
    "ps4": "PS4", "kindle": "Kindle", "fire tv": "Fire TV", "roku": "Roku",
}
_DEVICE = re.compile(r"(?i)(?<![\w-])(" + "|".join(sorted(DEVICES, key=len, reverse=True))
                     + r")(?![\w-])")
_VERSION = re.compile(r"(?i)(?<![\w.])(?:v|version\s*|ios\s*|android\s*|app\s*)"
                      r"(\d{1,3}(?:\.\d{1,4}){1,3})(?![\w.])")
_DEVICE_WORDS = frozenset(k for k in DEVICES if " " not in k)
_ALNUM = re.compile(r"[^\W_]+")
_DEVICE_GATES = ("iphone", "ipad", "ios", "android", "pixel", "galaxy", "mac", "windows",
                 "chromebook", "xbox", "playstation", "ps4", "ps5", "kindle", "fire tv", "roku")
"""Each key of DEVICES holds one of these: keep the two in step (a test checks)."""
# Bytes that are ASCII letters or digits stay (lower case); every other byte becomes a space.
_ALNUM_BYTES = bytes(b if chr(b).isascii() and chr(b).isalnum() else 0x20 for b in range(256))


def _words(lowered: str) -> list[str]:
    """The letter-and-digit runs of lower-cased text (a bytes translation for ASCII text)."""
    if lowered.isascii():
        return lowered.encode("ascii").translate(_ALNUM_BYTES).decode("ascii").split()
    return _ALNUM.findall(lowered)
_DIGIT_DOT = re.compile(r"\d\.\d")
_SAFE_DETAIL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,23}$")
_HANDLE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?$")


@dataclass(frozen=True, slots=True)
class Details:
    order_number: str | None = None
    booking_ref: str | None = None
    product: str | None = None
    device: str | None = None
    app_version: str | None = None

    def tokens(self) -> tuple[str, ...]:
        return tuple(v for v in (self.order_number, self.booking_ref, self.product, self.device)
                     if v)


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


def _first(pattern: re.Pattern[str], text: str, *, letters_ok: bool) -> str | None:
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        # Overlapping search: "repair booking ref QWERTY" must still find the reference after
        # "repair" swallowed "booking" as a candidate and was rejected.
        pos = match.start() + 1
        value = match.group(1).strip("-")
        if not _SAFE_DETAIL.match(value):
            continue
        # A reference is digits-and-letters or a typed-in capital code (QWERTY), never an
        # ordinary word that happened to follow "order" or "booking".
        if _has_digit(value) or (letters_ok and value.isupper() and len(value) in (5, 6)):
            return value
    return None


def find_product(text: str, products: Iterable[str]) -> str | None:
    """The longest configured product name that the text mentions, in the configured spelling."""
    lowered = text.lower()
    best: str | None = None
    for product in products:
        name = product.strip()
        if not name:
            continue
        needle = name.lower()
        # The substring test is a cheap necessary condition for the word-bounded search.
        if needle in lowered and re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)",
                                           lowered) and (best is None or len(name) > len(best)):
            best = name
    return best


CASE_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
"""The only non-ASCII characters that a case-blind pattern matches to an ASCII letter (dotted
capital I, dotless i, long s, Kelvin sign); a test re-derives this from the re module."""


def _may_hold(head: str, words: tuple[str, ...], lowered: str | None = None) -> bool:
    """False only when `head` cannot match a case-blind pattern that needs one of the
    lower-case ASCII `words`: such a match is ASCII letters only, unless one of
    CASE_FOLDS_TO_ASCII is present (then the answer is always True). `lowered` is
    `head.lower()` when the caller has it already."""
    if not head.isascii() and any(c in head for c in CASE_FOLDS_TO_ASCII):
        return True
    if lowered is None:
        lowered = head.lower()
    # A plain loop: for a dozen short tests, a generator in any() costs more than the tests.
    for w in words:  # noqa: SIM110
        if w in lowered:
            return True
    return False


def find_details(text: str, products: Iterable[str] = ()) -> Details:
    head = text[:SCAN_CHARS]
    # Most mentions name no order or booking: a substring test skips the slow searches.
    lowered = head.lower()
    order = None
    if _may_hold(head, _ORDER_WORDS, lowered):
        order = _first(_ORDER, head, letters_ok=False)
    if order is None and "#" in head:
        order = _first(_HASH_NUMBER, head, letters_ok=False)
    booking = None
    if _may_hold(head, _BOOKING_WORDS, lowered):
        booking = _first(_BOOKING, head, letters_ok=True)
    if booking == order:
        booking = None
    device = None
    if _may_hold(head, _DEVICE_GATES, lowered):  # substrings first: most posts name none
        words = _words(lowered)
        if not _DEVICE_WORDS.isdisjoint(words):
            device = next(DEVICES[w] for w in words if w in _DEVICE_WORDS)
        elif "fire tv" in lowered and _DEVICE.search(head):
            device = DEVICES["fire tv"]
    version = None
    if _DIGIT_DOT.search(head):  # a version is digits with dots: "iOS 17.2", "v2.3"
        numbered = _VERSION.search(head)
        version = numbered.group(1) if numbered is not None else None
    return Details(order_number=order, booking_ref=booking, product=find_product(head, products),
                   device=device, app_version=version)


def author_tag(author: str, network: str) -> str | None:
    """The author's handle as a reply tags it on `network`, or None if it is not a safe handle."""
    raw = author.strip()
    if network == "reddit":
        for prefix in ("/u/", "u/", "@"):
            if raw.lower().startswith(prefix):
                raw = raw[len(prefix):]
                break
        return f"u/{raw}" if raw and re.fullmatch(r"[A-Za-z0-9_-]{1,40}", raw) else None
    raw = raw.lstrip("@")
    if not raw or not _HANDLE.match(raw):
        return None
    return f"@{raw}"
