"""Turn the HTML that some networks send into the plain text the classifier and reviewers read.

Pure functions only: HTML -> text (stdlib `html.parser`, entities decoded), invisible-character
clean-up, and Google redirect unwrapping. No network access, no global state.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

# Elements whose start or end begins a new line of text.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol",
        "p", "pre", "section", "table", "tr", "ul",
    }
)
# Elements whose content is never text a person reads.
_SKIP = frozenset({"script", "style", "template", "head", "title", "noscript"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "source"})

# Zero-width characters that only hide words from keyword matching (for example "Ac\u200bme").
# ZWJ/ZWNJ (U+200D/U+200C) and direction marks are kept: emoji sequences and
# Persian or Indic spelling depend on them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    """Collects the visible text; Mastodon's `invisible` link spans are dropped and its
    `ellipsis` spans get an ellipsis, as its web interface shows them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0
        # One entry per open <span>: "invisible", "ellipsis" or "".
        self._spans: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag == "p" else "\n")
        elif tag == "span":
            classes = (dict(attrs).get("class") or "").split()
            kind = "invisible" if "invisible" in classes else (
                "ellipsis" if "ellipsis" in classes else ""
            )
            self._spans.append(kind)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/> and friends: no content, so no end tag will follow.
        if tag == "br" or tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK and tag not in _VOID:
            self.parts.append("\n\n" if tag == "p" else "\n")
        elif tag == "span" and self._spans:
            closed = self._spans.pop()
            # After the pop, so an ellipsis span is judged by what encloses it.
            if closed == "ellipsis" and not self._hidden():
                self.parts.append("…")

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)

    def _hidden(self) -> bool:
        return self._skip_depth > 0 or "invisible" in self._spans


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: tags stripped, entities decoded, paragraphs kept as
    blank lines, runs of spaces collapsed. Malformed HTML is read as browsers would, never
    rejected."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return plain_text("".join(parser.parts))


def plain_text(text: str) -> str:
    """A network's text tidied for reading and keyword matching: NFC, no hiding characters,
    no control characters, spaces collapsed, at most one blank line in a row, no leading or
    trailing space. (Making text storable is `monitor.text.clean_text`'s job, at ingest.)"""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc"
    )
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def unwrap_google_redirect(url: str) -> str:
    """The target of a `https://www.google.com/url?...&url=TARGET` link (Google Alerts), or
    the URL unchanged when it is not such a redirect or has no usable target."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    if parts.path != "/url" or not (host == "google.com" or host.endswith(".google.com")):
        return url
    query = parse_qs(parts.query)
    for key in ("url", "q"):
        for target in query.get(key, []):
            if urlsplit(target).scheme in ("http", "https"):
                return target
    return url
