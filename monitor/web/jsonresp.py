"""A JSON response that can never be read as HTML: <, > and & are written as \\u escapes.

JSON parsers read the same text back; a browser or a careless consumer that sniffs or pastes
the body into a page sees no markup. Must not change the data, only its encoding.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
            0x2028: "\\u2028", 0x2029: "\\u2029"}


def dumps(content: Any) -> str:
    return json.dumps(content, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).translate(_ESCAPES)


class SafeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps(content).encode("utf-8")
