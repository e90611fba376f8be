"""Snippets: plain text from stored Markdown HTML, escaped, with the matched words in ``<mark>``."""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

SNIPPET_LENGTH = 220
SNIPPET_LEAD = 70


def plain_text(value, is_html=False):
    """Editor text as plain text on one line; for Markdown pass its stored (sanitized) HTML
    with ``is_html``, whose tags go."""
    if is_html and value:
        # strip_tags (HTMLParser) costs more than everything else a hit needs: the search
        # converts each row once and keeps the result (search.engine.hit_frame).
        value = html.unescape(strip_tags(value))
    return " ".join((value or "").split())


class Highlighter:
    """Wraps words that contain a query stem in <mark>, escaping everything else."""

    def __init__(self, terms):
        alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
        # \b: a match starts where a word starts; without it the engine tries every letter.
        self.pattern = re.compile(rf"\b\w*(?:{alternatives})\w*", re.IGNORECASE) if terms else None

    def highlight(self, text):
        text = text or ""
        if self.pattern is None:
            return escape(text)
        pieces, position = [], 0
        for match in self.pattern.finditer(text):
            pieces.append(escape(text[position : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
        pieces.append(escape(text[position:]))
        return mark_safe("".join(pieces))  # every piece of editor text passed escape()

    def snippet(self, texts, length=SNIPPET_LENGTH):
        """A short excerpt around the first match in ``texts`` (else the first text's start)."""
        texts = [text for text in texts if text]
        if not texts:
            return mark_safe("")
        chosen, start = texts[0], 0
        if self.pattern is not None:
            for text in texts:
                match = self.pattern.search(text)
                if match:
                    chosen, start = text, max(0, match.start() - SNIPPET_LEAD)
                    break
        if start > 0:
            space = chosen.find(" ", start)
            start = space + 1 if 0 <= space < start + 20 else start
        end = start + length
        if end < len(chosen):
            space = chosen.rfind(" ", start, end)
            end = space if space > start else end
        excerpt = chosen[start:end].strip()
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(chosen) else ""
        return mark_safe(prefix + self.highlight(excerpt) + suffix)
