"""The one Markdown pipeline: render with `markdown`, then sanitize with `nh3`.

Editors write Markdown; raw HTML in it is allowed through only as far as the
allow-list below permits. Nothing an editor types reaches a page otherwise.

Pages show the HTML stored when a text was saved (core/stored_markdown.py). After changing
anything here, run ``manage.py render_markdown`` (``migrate`` does it as well).
"""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists"]


@lru_cache(maxsize=2048)
def render_markdown(source: str) -> SafeString:
    html = markdown_lib.markdown(source or "", extensions=EXTENSIONS, output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # sanitized by nh3 with the allow-list above
