"""Includes copied inline into hot templates (no include per card) stay identical to them.

A template in templates/includes/ that says "Copied inline into a.html, b.html" must appear
verbatim in each of those templates, and, with "(and its copies)", also wherever the target
itself was copied. Otherwise an edit to one copy would silently make cards differ by page.
"""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
COPIED = re.compile(r"Copied inline into (?P<targets>[^;]+);")
TEMPLATE_NAME = re.compile(r"[\w/]+\.html")
COMMENT = re.compile(r"\A\s*(?:{#.*?#}|{% comment %}.*?{% endcomment %})", re.S)


def copies(root):
    """{include name: (its body without the leading comment, [templates holding a copy])}"""
    found = {}
    for path in sorted((root / "includes").glob("*.html")):
        text = path.read_text()
        note = COPIED.search(text)
        if note:
            body = COMMENT.sub("", text, count=1).strip()
            found[f"includes/{path.name}"] = (body, TEMPLATE_NAME.findall(note["targets"]))
    return found


def places_of(name, found):
    """The templates that must contain ``name``'s body: its targets and their copies."""
    _, targets = found[name]
    places = set(targets)
    for target in targets:
        if target in found:
            places |= places_of(target, found)
    return places


def differing_copies(root):
    found = copies(root)
    return [
        f"{place} differs from {name}"
        for name, (body, _) in found.items()
        for place in sorted(places_of(name, found))
        if body not in (root / place).read_text()
    ]


def test_every_inlined_copy_equals_its_include():
    assert {"includes/example_evidence.html", "includes/workstream_badge.html"} <= set(
        copies(TEMPLATES)
    )
    assert differing_copies(TEMPLATES) == []


def test_the_check_notices_an_edited_copy_also_of_a_copy(tmp_path):
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "badge.html").write_text(
        "{# Copied inline into includes/card.html (and its copies); change every copy. #}<b/>\n"
    )
    (tmp_path / "includes" / "card.html").write_text(
        "{# Copied inline into page.html; change every copy. #}<li><b/>{{ x }}</li>\n"
    )
    (tmp_path / "page.html").write_text("<ul><li><b/>{{ x }}</li></ul>")
    assert differing_copies(tmp_path) == []
    (tmp_path / "page.html").write_text("<ul><li><i/>{{ x }}</li></ul>")
    assert differing_copies(tmp_path) == [
        "page.html differs from includes/badge.html",
        "page.html differs from includes/card.html",
    ]
