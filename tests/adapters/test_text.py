"""HTML -> plain text, invisible-character clean-up and Google redirect unwrapping."""

from __future__ import annotations

import pytest

from monitor.adapters._text import html_to_text, plain_text, unwrap_google_redirect


def test_mastodon_content_keeps_words_and_drops_markup() -> None:
    html = ('<p>Third refund request ignored by <a href="https://example.social/tags/acme" '
            'class="mention hashtag" rel="tag">#<span>acme</span></a> support &amp; still '
            'no reply</p><p>Day&nbsp;10 &quot;soon&quot; &#39;ok&#39;</p>')
    assert html_to_text(html) == (
        "Third refund request ignored by #acme support & still no reply\n\n"
        "Day 10 \"soon\" 'ok'"
    )


def test_mastodon_link_spans_show_as_the_web_app_shows_them() -> None:
    html = ('<p>see <a href="https://status.acme.example/incidents/123"><span class="invisible">'
            'https://</span><span class="ellipsis">status.acme.example/inci</span>'
            '<span class="invisible">dents/123</span></a></p>')
    assert html_to_text(html) == "see status.acme.example/inci…"


def test_hn_paragraphs_without_closing_tags_and_hex_entities() -> None:
    html = ("Same here &#x2F; Acme support closed my ticket&#x27;s thread.<p>Switched "
            "providers.<p><pre><code>  x = 1\n</code></pre>")
    assert html_to_text(html) == (
        "Same here / Acme support closed my ticket's thread.\n\nSwitched providers.\n\nx = 1"
    )


def test_scripts_styles_and_line_breaks() -> None:
    html = "<style>p{}</style><script>alert(1)</script>one<br>two<br/>three"
    assert html_to_text(html) == "one\ntwo\nthree"


def test_malformed_html_is_read_not_rejected() -> None:
    assert html_to_text("<p>unclosed <b>bold <i>and <a href='x'>link") == "unclosed bold and link"


def test_zero_width_space_removed_but_joiners_and_direction_marks_kept() -> None:
    family = "\U0001F469\u200D\U0001F469\u200D\U0001F467"  # one emoji built with ZWJ
    rtl = "\u05E9\u05D9\u05E8\u05D5\u05EA \u200F\u05D2\u05E8\u05D5\u05E2"  # Hebrew with RLM
    text = plain_text(f"Ac\u200bme\ufeff {family} {rtl} \U0001F621")
    assert text.startswith("Acme ")
    assert family in text and rtl in text and "\U0001F621" in text


def test_plain_text_tidies_space_and_controls() -> None:
    assert plain_text("  a\u00a0\u00a0b\x07\r\n\r\n\r\n\r\nc  ") == "a b\n\nc"


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("https://www.google.com/url?rct=j&sa=t&url=https://news.example.com/2025/03/14/acme/"
         "&ct=ga&cd=CAIy&usg=AOvVaw0", "https://news.example.com/2025/03/14/acme/"),
        ("https://www.google.com/url?q=https%3A%2F%2Fblog.example.org%2Fa%3Fid%3D7&sa=D",
         "https://blog.example.org/a?id=7"),
        ("https://news.example.com/plain", "https://news.example.com/plain"),
        ("https://www.google.com/url?url=javascript:alert(1)",
         "https://www.google.com/url?url=javascript:alert(1)"),
        ("https://evil.example/url?url=https://x.example/", "https://evil.example/url?url=https://x.example/"),
    ],
)
def test_google_redirects_are_unwrapped(link: str, target: str) -> None:
    assert unwrap_google_redirect(link) == target
