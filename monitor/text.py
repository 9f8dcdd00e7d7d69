"""Text cleaning shared by every layer: what no database can hold is replaced, visibly;
user text made safe for one log line; ages written the one way the CLI and the app show them;
typographic apostrophes made straight for the readers of a post's words.

PostgreSQL text cannot hold NUL, and neither database can store lone UTF-16 surrogates in
UTF-8. Both become U+FFFD (the replacement character), so a reader sees that something was
there. Everything else (right-to-left marks, zero-width joiners, emoji) is kept exactly.
"""

from __future__ import annotations

import logging
import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def straight_quotes(text: str) -> str:
    """`text` with typographic apostrophes and single quotes (’ ‘ ʼ, which phones type by
    default) made straight, character for character: readers written with "can't" and
    "I've" then also match "can’t" and "I’ve". The length never changes."""
    return text.translate(_CURLY)


def clean_text(text: str) -> str:
    """`text` with NUL and lone surrogates replaced by U+FFFD; otherwise unchanged."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: written
# into a log line they could end it and forge the next one.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(value: object) -> str:
    """`value` as text fit for one log line: control characters and line separators escaped
    (a newline becomes the two characters \\n), everything else kept."""
    return _CONTROL.sub(_escape, str(value))


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class LogSafeFilter(logging.Filter):
    """A handler filter making every record one line: the message, once its arguments are
    filled in, has its control characters escaped, so user text (usernames, token labels,
    reasons, feed names), whether passed as an argument or already in the message, cannot
    start a fake log line. A traceback, added by the formatter after this, is untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = printable(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, ()
        return True


def age(seconds: float) -> str:
    """How long ago, compact and the same in the CLI and the review app: '45s', '12m', '5h',
    '1d 22h' (under ten days), '12d'."""
    whole = max(0, int(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m"
    if whole < 86400:
        return f"{whole // 3600}h"
    days, hours = divmod(whole // 3600, 24)
    if days < 10 and hours:
        return f"{days}d {hours}h"
    return f"{days}d"
