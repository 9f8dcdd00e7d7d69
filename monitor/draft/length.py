"""Reply length counted the way each network counts it, and each network's limit.

- X: 280 weighted characters (twitter-text v3): text NFC-normalised; a URL counts 23; an emoji
  sequence counts 2; code points in the Latin/punctuation ranges count 1, everything else 2.
- Bluesky: 300 grapheme clusters (and, separately, 3000 UTF-8 bytes: see `byte_limit`).
- Mastodon: 500 grapheme clusters by default, a URL counts 23, `@user@domain` counts as `@user`.
- Reddit: 10,000 characters. Anything else: grapheme clusters against a sane default of 500.

Grapheme clusters are segmented here with a compact form of UAX #29 (CR LF, controls, extend
and spacing marks, Hangul syllables, regional-indicator pairs, emoji ZWJ sequences), so that no
extra dependency is needed. Pure functions only: no I/O, no state. This module must not decide
what to do about an over-long text; the checks do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

X_LIMIT = 280
DEFAULT_LIMIT = 500
URL_WEIGHT = 23

LIMITS: dict[str, int] = {
    "x": X_LIMIT,
    "twitter": X_LIMIT,
    "bluesky": 300,
    "mastodon": 500,
    "reddit": 10_000,
}
BYTE_LIMITS: dict[str, int] = {"bluesky": 3000}

_TLDS = (
    "com|net|org|io|co|uk|de|fr|es|it|nl|eu|us|ca|au|info|biz|me|ly|gl|app|dev|shop|store|"
    "help|example|social|be|ch|at|se|no|dk|fi|ie|nz|in|jp|cn|ru|br|mx|tv|xyz|link|site|online|"
    "gg|ai|tech|page|blog|news|support|travel|email|cloud"
)
# Scheme or www. links, and bare domains with a common TLD (X and Mastodon link those too).
# A bare domain preceded by @ or a dot is part of a handle or e-mail address, not a link.
URL_RE = re.compile(
    r"(?i)(?:\bhttps?://|\bwww\.)[^\s<>\"'\u3000]+"
    r"|(?<![@\w.\-/])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b"
    r"(?:/[^\s<>\"'\u3000]*)?"
)
_DOT_TLD = re.compile(r"\.(?:" + _TLDS + r")\b")  # matched against lower-cased text
_TRAILING = ".,;:!?)]}\"'…"
_REMOTE_MENTION = re.compile(r"(?<![\w@])(@[A-Za-z0-9_][A-Za-z0-9_.-]*)@[A-Za-z0-9.-]+\.[A-Za-z]+")


def network_key(platform: str) -> str:
    return platform.strip().lower()


def limit(platform: str) -> int:
    """The reply length limit of `platform` (as `count` counts it)."""
    return LIMITS.get(network_key(platform), DEFAULT_LIMIT)


def byte_limit(platform: str) -> int | None:
    """A second limit in UTF-8 bytes, where the network has one (Bluesky: 3000)."""
    return BYTE_LIMITS.get(network_key(platform))


def _may_link(text: str) -> bool:
    """False only when URL_RE cannot match: each of its branches needs "://", "www." or a dot
    before a known TLD. Exact for ASCII text; other text (where Unicode case folding widens
    what the case-blind pattern matches) is always searched in full."""
    if not text.isascii() or "://" in text:
        return True
    lowered = text.lower()
    return "www." in lowered or _DOT_TLD.search(lowered) is not None


def url_spans(text: str) -> list[tuple[int, int]]:
    """Start/end of every link in `text`, trailing punctuation excluded."""
    spans: list[tuple[int, int]] = []
    if not _may_link(text):  # most replies have no link: skip the slow scan of every word
        return spans
    for match in URL_RE.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def count(text: str, platform: str) -> int:
    """The length of `text` as `platform` counts it."""
    key = network_key(platform)
    if key in ("x", "twitter"):
        return _x_weighted(text)
    if key == "mastodon":
        return _mastodon(text)
    if key == "reddit":
        return len(text)
    return grapheme_count(text)


def _without_urls(text: str) -> tuple[list[str], int]:
    """The text between links, and the number of links."""
    pieces: list[str] = []
    pos = 0
    spans = url_spans(text)
    for start, end in spans:
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return pieces, len(spans)


def _mastodon(text: str) -> int:
    pieces, urls = _without_urls(text)
    # A remote mention counts as its local part only (StatusLengthValidator).
    return sum(grapheme_count(_REMOTE_MENTION.sub(r"\1", p)) for p in pieces) + urls * URL_WEIGHT


_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def _x_code_point_weight(cp: int) -> int:
    for low, high in _X_LIGHT:
        if low <= cp <= high:
            return 1
    return 2


def _x_weighted(text: str) -> int:
    pieces, urls = _without_urls(unicodedata.normalize("NFC", text))
    total = urls * URL_WEIGHT
    for piece in pieces:
        if piece.isascii():  # every ASCII code point weighs 1 and is its own cluster
            total += len(piece)
            continue
        if _PICTOGRAPHIC_RE.search(piece) is None and _REGIONAL_RE.search(piece) is None:
            # No emoji: the weight is a plain sum over code points, no segmenting needed.
            total += len(piece) + len(_X_HEAVY_RE.findall(piece))
            continue
        for cluster in graphemes(piece):
            if any(_is_pictographic(ord(c)) or _is_regional(ord(c)) for c in cluster):
                total += 2  # an emoji sequence, however many code points, weighs 2
            else:
                total += sum(_x_code_point_weight(ord(c)) for c in cluster)
    return total


# --- grapheme clusters (compact UAX #29) ---------------------------------------------------

_PICTOGRAPHIC = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049),
    (0x2122, 0x2122), (0x2139, 0x2139), (0x2194, 0x21AA), (0x231A, 0x23FF),
    (0x24C2, 0x24C2), (0x25AA, 0x25FE), (0x2600, 0x27BF), (0x2934, 0x2935),
    (0x2B05, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3299),
    (0x1F000, 0x1F1E5), (0x1F200, 0x1F3FA), (0x1F400, 0x1FAFF), (0x1FC00, 0x1FFFD),
)


_PICTOGRAPHIC_RE = re.compile(
    "[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in _PICTOGRAPHIC) + "]"
)


_REGIONAL_RE = re.compile("[\U0001F1E6-\U0001F1FF]")
_X_HEAVY_RE = re.compile("[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
# Characters that never join the one before them (and CR LF is handled apart): most text.
_SIMPLE_RE = re.compile("[\x00-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0]*")


def _is_pictographic(cp: int) -> bool:
    return cp >= 0xA9 and _PICTOGRAPHIC_RE.match(chr(cp)) is not None


def _is_regional(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def _is_extend(ch: str) -> bool:
    cp = ord(ch)
    if cp in (0x200C, 0x200D) or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:  # skin tones, emoji tags
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in ("\r", "\n")


def _hangul(cp: int) -> str:
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


_HANGUL_JOINS = {
    "L": ("L", "V", "LV", "LVT"),
    "LV": ("V", "T"),
    "V": ("V", "T"),
    "LVT": ("T",),
    "T": ("T",),
}


def _joins(prev: str, ch: str, cluster: list[str], ri_run: int) -> bool:
    """Whether `ch` continues the cluster that ends with `prev` (no break between them)."""
    if prev == "\r" and ch == "\n":
        return True
    cp = ord(ch)
    if cp < 0x300 and cp not in (0xA9, 0xAE):  # Latin text: never an extender or a joiner
        return False
    if _is_control(prev) or _is_control(ch):
        return False
    hp, hc = _hangul(ord(prev)), _hangul(ord(ch))
    if hp and hc and hc in _HANGUL_JOINS.get(hp, ()):
        return True
    if _is_extend(ch):
        return True
    if prev == "\u200d" and _is_pictographic(ord(ch)):
        # Join only after Extended_Pictographic Extend* ZWJ (GB11).
        for earlier in reversed(cluster[:-1]):
            if _is_pictographic(ord(earlier)):
                return True
            if not _is_extend(earlier):
                return False
        return False
    return _is_regional(ord(prev)) and _is_regional(ord(ch)) and ri_run % 2 == 1


def graphemes(text: str) -> Iterator[str]:
    """Split `text` into user-perceived characters."""
    cluster: list[str] = []
    ri_run = 0
    for ch in text:
        if cluster and not _joins(cluster[-1], ch, cluster, ri_run):
            yield "".join(cluster)
            cluster = []
        if not cluster:
            ri_run = 0
        ri_run = ri_run + 1 if _is_regional(ord(ch)) else 0
        cluster.append(ch)
    if cluster:
        yield "".join(cluster)


def grapheme_count(text: str) -> int:
    if text.isascii() or _SIMPLE_RE.fullmatch(text):
        # Fast path: no character here joins the one before it, except LF after CR.
        return len(text) - text.count("\r\n")
    return sum(1 for _ in graphemes(text))
