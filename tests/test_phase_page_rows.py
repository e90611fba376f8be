"""The phase page's lists and the document templates' links kept per content state
(phases/phase_page.py, selfcheck/documents/page_section.py): never stale, never a draft."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import lookups
from core.publishing import Status
from selfcheck.documents.models import Vorlage
from selfcheck.documents.page_section import vorlagen_links
from tests import factories

PHASE = "/phasen/ideenfindung/"
CRITERION = "/kriterien/problemanalyse/"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def vorlage(**fields):
    defaults = {
        "title": "Beschlussvorlage Betrieb",
        "slug": "beschlussvorlage-betrieb",
        "kind": Vorlage.Kind.RESOLUTION,
        "purpose": "Für den Rat.",
        "body": "# Beschluss",
        "status": Status.PUBLISHED,
    }
    return Vorlage.objects.create(**(defaults | fields))


def test_phase_page_shows_new_criteria_examples_sources_and_references_on_the_next_request(
    client, roadmap
):
    first = roadmap["first"]
    page(client, PHASE)  # builds the tables under the current content state
    criterion = factories.criterion(first, [roadmap["technical"]], title="Neues Kriterium")
    factories.example(first, title="Neues Beispiel")
    factories.source(title="Neue Quelle").phases.add(first)
    factories.cross_reference(roadmap["criterion"], target_phase=first, note="Neuer Bezug.")
    html = page(client, PHASE)
    assert f'href="{criterion.get_absolute_url()}">Neues Kriterium</a>' in html
    assert "Neues Beispiel" in html and "Neue Quelle" in html and "Neuer Bezug." in html


def test_phase_page_drops_unpublished_criteria_and_examples_on_the_next_request(client, roadmap):
    example = factories.example(roadmap["first"], title="Bald Entwurf")
    assert "Problemanalyse" in page(client, PHASE) and "Bald Entwurf" in page(client, PHASE)
    for item in (roadmap["criterion"], example):
        item.status = Status.DRAFT
        item.save()
    html = page(client, PHASE)
    assert "Problemanalyse" not in html and "Bald Entwurf" not in html


def test_phase_page_never_lists_a_draft_criterion_or_example(client, roadmap):
    factories.criterion(roadmap["first"], [roadmap["economic"]], title="Geheim", status="draft")
    factories.example(roadmap["first"], title="Unfertig", status=Status.DRAFT)
    for _ in range(2):  # while the tables are built and from the tables
        html = page(client, PHASE)
        assert "Geheim" not in html and "Unfertig" not in html


def test_pages_list_only_published_templates_and_follow_changes_to_their_links(client, roadmap):
    draft = vorlage(title="Unfertige Vorlage", slug="unfertig", status=Status.DRAFT)
    draft.phases.add(roadmap["first"])
    draft.criteria.add(roadmap["criterion"])
    assert "Passende Vorlagen" not in page(client, PHASE)
    assert "Passende Vorlagen" not in page(client, CRITERION)
    shown = vorlage()
    shown.phases.add(roadmap["first"])
    shown.criteria.add(roadmap["criterion"])
    link = 'href="/vorlagen/#vorlage-beschlussvorlage-betrieb">Beschlussvorlage Betrieb</a>'
    for url in (PHASE, CRITERION):
        html = page(client, url)
        assert link in html and "Unfertige Vorlage" not in html
    shown.phases.remove(roadmap["first"])
    assert "Passende Vorlagen" not in page(client, PHASE)
    assert link in page(client, CRITERION)


def test_templates_are_listed_in_their_order_on_every_page_they_fit(client, roadmap):
    later = vorlage(title="Zweite Vorlage", slug="zweite", order=2)
    sooner = vorlage(title="Erste Vorlage", slug="erste", order=1)
    for item in (later, sooner):
        item.phases.add(roadmap["first"], roadmap["second"])
    for url in (PHASE, "/phasen/pilotphase/"):
        html = page(client, url)
        assert html.index("Erste Vorlage") < html.index("Zweite Vorlage")


def test_template_links_outside_the_lookup_tables_cost_one_query(roadmap):
    vorlage().phases.add(roadmap["first"])
    assert not lookups.is_active()
    with CaptureQueriesContext(connection) as queries:
        html = vorlagen_links(roadmap["first"])
    assert len(queries) == 1 and "/vorlagen/#vorlage-beschlussvorlage-betrieb" in html
    assert vorlagen_links(roadmap["second"]).strip() == ""
