"""Text cleaning shared by every layer: what no database can hold is replaced, visibly.

PostgreSQL text cannot hold NUL, and neither database can store lone UTF-16 surrogates in
UTF-8. Both become U+FFFD (the replacement character), so a reader sees that something was
there. Everything else (right-to-left marks, zero-width joiners, emoji) is kept exactly.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """`text` with NUL and lone surrogates replaced by U+FFFD; otherwise unchanged."""
    return _UNSTORABLE.sub(REPLACEMENT, text)
