"""One visibility rule: drafts at every level, checked against every public surface.

Every hidden item carries "Tarnkappe" in its name or title and "tarnkappe" in its slug, so a
surface leaks as soon as that word appears in it. The visible items must still be there.
"""

import json

import pytest

from core.publishing import Status
from examples.models import PracticeExample, Resource
from information.models import GlossaryTerm
from phases.models import (
    Criterion,
    CrossReference,
    Milestone,
    Phase,
    PhaseReference,
    ScalingDriver,
    Stakeholder,
)
from selfcheck.models import Fahrplan
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

DRAFT = {"status": Status.DRAFT}


@pytest.fixture
def world():
    """A public phase with drafts around it and a draft phase with published content in it."""
    ws = factories.workstream(name="Wirtschaftlich", slug="wirtschaftlich")
    public_phase = factories.phase(name="Ideenfindung", slug="ideen", number="P1", order=1)
    draft_phase = factories.phase(
        name="Tarnkappe Phase", slug="tarnkappe-phase", number="P2", order=2, **DRAFT
    )
    public_sub = factories.phase(name="Konzept", slug="konzept", parent=public_phase, order=1)
    draft_sub = factories.phase(
        name="Tarnkappe Teilphase",
        slug="tarnkappe-teilphase",
        parent=public_phase,
        order=2,
        **DRAFT,
    )
    # Published itself, but below a draft phase: hidden by its parent.
    orphan_sub = factories.phase(
        name="Tarnkappe Verwaister Teil", slug="tarnkappe-verwaist", parent=draft_phase, order=1
    )
    driver_root = factories.scaling_driver(
        name="Tarnkappe Treiber", slug="tarnkappe-treiber", **DRAFT
    )
    driver_below_draft = factories.scaling_driver(
        name="Tarnkappe Mechanismus", slug="tarnkappe-mechanismus", parent=driver_root
    )
    public_driver = factories.scaling_driver(name="Umgebung scannen", slug="umgebung")
    public_stakeholder = factories.stakeholder(name="Kommune", slug="kommune")
    draft_stakeholder = factories.stakeholder(
        name="Tarnkappe Akteure", slug="tarnkappe-akteure", **DRAFT
    )
    public_milestone = factories.milestone(public_phase, title="Bedarf belegt", slug="bedarf")
    hidden_milestones = [
        factories.milestone(draft_phase, title="Tarnkappe Meilenstein", slug="tarnkappe-ms"),
        factories.milestone(
            public_phase, title="Tarnkappe Entwurf", slug="tarnkappe-ms-entwurf", **DRAFT
        ),
    ]
    visible = factories.criterion(
        public_phase,
        [ws],
        title="Bedarfsanalyse",
        slug="bedarfsanalyse",
        scaling_driver=driver_below_draft,
    )
    visible.sub_phases.set([public_sub, draft_sub])
    visible.stakeholders.set([public_stakeholder, draft_stakeholder])
    visible.milestones.set([public_milestone, *hidden_milestones])
    second = factories.criterion(
        public_phase, [ws], title="Beteiligung", slug="beteiligung", scaling_driver=public_driver
    )
    hidden_criteria = [
        factories.criterion(
            draft_phase, [ws], title="Tarnkappe in Entwurfsphase", slug="tarnkappe-k1"
        ),
        factories.criterion(
            public_phase, [ws], title="Tarnkappe Kriterienentwurf", slug="tarnkappe-k2", **DRAFT
        ),
    ]
    public_example = factories.example(public_phase, title="Stadt-App", slug="stadt-app")
    public_example.criteria.set([visible, *hidden_criteria])
    hidden_examples = [
        factories.example(draft_phase, title="Tarnkappe Beispiel", slug="tarnkappe-b1"),
        factories.example(
            public_phase, title="Tarnkappe Beispielentwurf", slug="tarnkappe-b2", **DRAFT
        ),
    ]
    factories.resource(title="Tarnkappe Ressource", slug="tarnkappe-r", **DRAFT).criteria.set(
        [visible]
    )
    factories.glossary_term(term="Tarnkappenbegriff", slug="tarnkappe-g", **DRAFT)
    factories.cross_reference(visible, target_criterion=second, note="Sichtbarer Bezug.")
    for target in (
        {"target_phase": orphan_sub},
        {"target_phase": draft_sub},
        {"target_criterion": hidden_criteria[0]},
        {"target_milestone": hidden_milestones[0]},
        {"target_example": hidden_examples[0]},
    ):
        factories.cross_reference(visible, note="Tarnkappe Bezug.", **target)
    factories.cross_reference(hidden_criteria[0], target_criterion=visible, note="Tarnkappe rein.")
    PhaseReference.objects.create(from_phase=public_phase, to_phase=draft_phase, note="Tarnkappe.")
    return {
        "public_phase": public_phase,
        "visible": visible,
        "second": second,
        "public_example": public_example,
        "public_milestone": public_milestone,
        "public_sub": public_sub,
    }


def assert_hidden(response, *expected):
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    assert "tarnkappe" not in text.lower(), text[max(0, text.lower().find("tarnkappe") - 200) :][
        :400
    ]
    for shown in expected:
        assert shown in text


# -- the rule itself -----------------------------------------------------------------


def test_public_querysets_follow_the_rule_at_every_level(world):
    for model in (
        Phase,
        Milestone,
        Criterion,
        ScalingDriver,
        Stakeholder,
        PracticeExample,
        Resource,
        GlossaryTerm,
    ):
        slugs = set(model.objects.public().values_list("slug", flat=True))
        assert not {slug for slug in slugs if "tarnkappe" in slug}, model
    assert set(Phase.objects.public().values_list("slug", flat=True)) == {"ideen", "konzept"}
    assert set(Criterion.objects.public().values_list("slug", flat=True)) == {
        "bedarfsanalyse",
        "beteiligung",
    }
    assert list(PracticeExample.objects.public().values_list("slug", flat=True)) == ["stadt-app"]
    assert list(ScalingDriver.objects.public().values_list("slug", flat=True)) == ["umgebung"]
    assert [ref.note for ref in CrossReference.objects.public()] == ["Sichtbarer Bezug."]


def test_published_is_the_same_rule_as_public(world):
    assert list(Criterion.objects.published()) == list(Criterion.objects.public())
    assert list(Milestone.objects.published()) == list(Milestone.objects.public())


# -- pages ----------------------------------------------------------------------------


def test_criterion_page_names_no_draft_sub_phase_driver_stakeholder_or_milestone(client, world):
    response = client.get(world["visible"].get_absolute_url())
    assert_hidden(response, "Konzept", "Kommune", "Bedarf belegt", "Sichtbarer Bezug.")
    assert "Skalierungstreiber" not in response.content.decode()


def test_criterion_page_shows_a_public_scaling_driver(client, world):
    assert_hidden(client.get(world["second"].get_absolute_url()), "Umgebung scannen")


def test_criteria_in_a_draft_phase_and_examples_reaching_one_have_no_page(client, world):
    for path in (
        "/kriterien/tarnkappe-k1/",
        "/beispiele/tarnkappe-b1/",
        "/phasen/tarnkappe-phase/",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/phasen/ideen/",
        "/uebersicht/",
        "/kriterien/",
        "/beispiele/",
        "/beispiele/stadt-app/",
        "/ressourcen/",
        "/glossar/",
        "/betreibermodelle/",
        "/selbstcheck/",
        "/selbstcheck/ergebnis/?erreicht=bedarf",
    ],
)
def test_public_pages_show_nothing_hidden(client, world, path):
    assert_hidden(client.get(path))


def test_phase_page_lists_only_public_milestones_examples_and_references(client, world):
    assert_hidden(client.get("/phasen/ideen/"), "Bedarf belegt", "Stadt-App", "Bedarfsanalyse")


def test_example_list_and_explorer_count_only_public_items(client, world):
    examples = client.get("/beispiele/")
    assert_hidden(examples, "Stadt-App")
    assert examples.context["filters"].result_count == 1
    explorer = client.get("/kriterien/")
    assert_hidden(explorer, "Bedarfsanalyse", "Beteiligung")
    assert explorer.context["filters"].result_count == 2
    counts = {
        option.label: option.count
        for bound in explorer.context["filters"].facets
        for option in bound.options
    }
    assert not [label for label in counts if "Tarnkappe" in str(label)]


def test_overview_grid_counts_only_public_criteria(client, world):
    response = client.get("/uebersicht/")
    assert_hidden(response)
    [(phase, _cells, total)] = response.context["rows"]
    assert (phase.slug, total) == ("ideen", 2)


# -- search and sitemap ---------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Tarnkappe", "Meilenstein", "Beispiel", "Teilphase", "Mechanismus"]
)
def test_search_finds_nothing_hidden(client, world, query):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    text = response.content.decode()
    # Every hidden item's slug starts with "tarnkappe-"; a hit would link to it.
    assert "tarnkappe-" not in text


def test_sitemap_lists_only_public_pages(client, world):
    assert_hidden(client.get("/sitemap.xml"), "/kriterien/bedarfsanalyse/", "/beispiele/stadt-app/")


# -- open data and API ----------------------------------------------------------------


def test_exports_contain_nothing_hidden(client, world):
    document = client.get("/daten/skalierungsroadmap.json")
    assert_hidden(document, "bedarfsanalyse")
    data = json.loads(document.content)
    assert {c["slug"] for c in data["criteria"]} == {"bedarfsanalyse", "beteiligung"}
    for name in ("kriterien", "meilensteine", "praxisbeispiele"):
        assert_hidden(client.get(f"/daten/{name}.csv"))


@pytest.mark.parametrize(
    "path",
    [
        "phases",
        "milestones",
        "criteria",
        "stakeholders",
        "scaling-drivers",
        "examples",
        "resources",
        "glossary",
        "criteria/bedarfsanalyse",
        "examples/stadt-app",
    ],
)
def test_api_returns_nothing_hidden(client, world, path):
    assert_hidden(client.get(f"/api/v1/{path}/"))


def test_api_has_no_detail_for_hidden_items(client, world):
    assert client.get("/api/v1/criteria/tarnkappe-k1/").status_code == 404
    assert client.get("/api/v1/examples/tarnkappe-b1/").status_code == 404


# -- self-check and Fahrplan ----------------------------------------------------------


def test_fahrplan_page_and_csv_show_nothing_hidden(client, world):
    _plan, token = Fahrplan.create_with_token()
    assert_hidden(client.get(f"/fahrplan/{token}/"), "Bedarf belegt", "Bedarfsanalyse")
    assert_hidden(client.get(f"/fahrplan/{token}/fahrplan.csv"), "Bedarfsanalyse")
