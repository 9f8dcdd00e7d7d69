"""The security headers every answer of the web app carries: the content security policy,
no sniffing, no framing, no referrer beyond this site, no caching of pages, and HSTS when the
app is served over HTTPS.

Shared by the middleware (monitor.web.guards) and the 500 page (monitor.web.errors, which
Starlette sends from outside every middleware). Pure data and one function: this module
imports nothing of monitor.web.
"""

from __future__ import annotations

# Scripts and styles only from this server: a hostile mention that slipped past escaping
# still could not run inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
       "object-src 'none'")
HSTS = "max-age=31536000"


def security_headers(path: str, https: bool) -> list[tuple[str, str]]:
    """The headers every answer carries (HSTS only when served over HTTPS)."""
    headers = [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
               ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin")]
    if not path.startswith("/static/"):
        headers.append(("Cache-Control", "no-store"))
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers
