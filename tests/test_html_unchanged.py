"""Golden HTML: every public page type, rendered from the shipped content, stays byte-identical.

Changes to the render path (queries, lookup caches, inlined includes, URL building) must not
change what visitors get. This module takes the real content (loaded once per session),
renders one page of each public type as an anonymous visitor and compares it with
``tests/snapshots/<name>.html``.
Only what legitimately differs between two requests is normalised: the CSP nonce and the
CSRF token. The "Stand" dates come from ``updated_at``, which is pinned to a fixed day.

When a page is meant to change, refresh the snapshots on purpose and review the diff::

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_html_unchanged.py
    git diff tests/snapshots/
"""

import datetime
import difflib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client

from core import lookups
from core.publishing import SlugKeyedMixin
from examples.models import PracticeExample
from phases.models import Criterion, OperatorModel

# pytest-django creates the test database only when a collected test asks for one.
pytestmark = pytest.mark.django_db

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
PINNED = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)

NORMALISE = [
    (re.compile(r'nonce="[^"]*"'), 'nonce="NONCE"'),
    (
        re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
        'name="csrfmiddlewaretoken" value="CSRF"',
    ),
]

PAGES = [
    "home",
    "phase",
    "phase-with-sub-phases",
    "criterion",
    "explorer-two-filters",
    "search",
    "examples",
    "example",
    "operator-model",
    "glossary",
    "introduction",
    "information-page",
    "resources",
]

PER_DATABASE = {"search"}


def page_paths():
    richest_criterion = (
        Criterion.objects.published()
        .annotate(references=Count("references_out"))
        .order_by("-references", "title")
        .first()
    )
    return {
        "home": "/",
        "phase": "/phasen/pilotphase/",
        "phase-with-sub-phases": "/phasen/ideenfindung/",
        "criterion": richest_criterion.get_absolute_url(),
        "explorer-two-filters": "/kriterien/?phase=pilotphase&arbeitsstrang=technisch",
        "search": "/suche/?q=Betreibermodell",
        "examples": "/beispiele/",
        "example": PracticeExample.objects.published().order_by("slug").first().get_absolute_url(),
        "operator-model": OperatorModel.objects.published().first().get_absolute_url(),
        "glossary": "/glossar/",
        "introduction": "/einfuehrung/",
        "information-page": "/impressum/",
        "resources": "/ressourcen/",
    }


def snapshot_name(name):
    """Search ranks and stems differently on each database (PostgreSQL full text, SQLite's
    simple stemming), so its page has one snapshot per database."""
    if name in PER_DATABASE:
        return f"{name}.{connection.vendor}.html"
    return f"{name}.html"


def normalise(html):
    for pattern, replacement in NORMALISE:
        html = pattern.sub(replacement, html)
    return html


@pytest.fixture(scope="module")
def rendered(_shipped_content_once, django_db_blocker):
    """{name: (path, status, html)} of every page, rendered from the shipped content (loaded
    once per session, tests/conftest.py) inside one rolled-back savepoint."""
    with django_db_blocker.unblock():
        pages = render_all()
        for cache in caches.all():
            cache.clear()
    return pages


def render_all():
    with transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert name.startswith("test_") or "mode=memory" in name, f"not a test database: {name}"
        for model in apps.get_models():
            if issubclass(model, SlugKeyedMixin):
                model._default_manager.update(updated_at=PINNED)
        lookups.bump()  # update() sends no signal; tables built earlier still hold the old dates
        for cache in caches.all():
            cache.clear()
        client = Client()
        pages = {}
        for name, path in page_paths().items():
            response = client.get(path)
            pages[name] = (path, response.status_code, normalise(response.content.decode()))
        transaction.set_rollback(True)
    return pages


@pytest.mark.parametrize("name", PAGES)
def test_public_page_html_is_unchanged(rendered, name):
    path, status, html = rendered[name]
    assert status == 200, f"{path} answered {status}"
    snapshot = SNAPSHOTS / snapshot_name(name)
    if UPDATE or not snapshot.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(html)
        if not UPDATE:
            pytest.fail(f"{snapshot} did not exist and was written; commit it and run again")
        return
    expected = snapshot.read_text()
    if html != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                html.splitlines(keepends=True),
                fromfile=f"tests/snapshots/{snapshot.name}",
                tofile=f"{path} now",
                n=2,
            )
        )
        pytest.fail(
            f"The HTML of {path} changed. If that is intended, refresh the snapshots with "
            f"UPDATE_SNAPSHOTS=1 and review `git diff tests/snapshots/`.\n{diff[:6000]}",
            pytrace=False,
        )
