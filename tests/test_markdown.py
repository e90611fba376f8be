import pytest

from core.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<p onclick="alert(1)">x</p>',
    '<iframe src="https://example.org"></iframe>',
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<object data="x.swf"></object>',
    '<form action="https://example.org"><input></form>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_output_contains_no_active_markup(payload):
    html = render_markdown(payload).lower()
    for needle in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<style",
                   "<svg", "data:text", "<object", "<form", "<input"):  # fmt: skip
        assert needle not in html


def test_markdown_renders_headings_lists_and_links():
    html = render_markdown("## Worum geht es?\n\n- eins\n- zwei\n\n[Glossar](/glossar/)")
    assert "<h2>Worum geht es?</h2>" in html
    assert "<li>eins</li>" in html
    assert '<a href="/glossar/" rel="noopener noreferrer">Glossar</a>' in html


def test_markdown_keeps_tables():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


def test_markdown_escapes_text_that_only_looks_like_html():
    assert "&lt;Kommune&gt;" in render_markdown("`<Kommune>`")
