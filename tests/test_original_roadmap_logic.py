"""The original roadmap's logic (issue 16): sub-phases, decision points, new criteria,
glossary terms and scaling drivers – in the content and on the pages."""

import importlib
import re

import pytest
from django.apps import apps

from core.publishing import Status
from examples.models import Source
from information.models import GlossaryTerm
from phases.models import Criterion, Milestone, Phase, ScalingDriver
from selfcheck.assessment import assess
from tests import factories

pytestmark = pytest.mark.django_db

SUB_PHASES = {
    "ideenfindung": ["Ideenfindung", "Konzept", "Proof of Concept"],
    "prototypentwicklung": ["Prototyping", "Development", "MVP"],
    "pilotphase": ["Pilot"],
    "verstetigung": ["Verstetigung und Nachhaltigkeit", "Skalierung"],
    "transfer": ["Horizontale Skalierung"],
    "durchgehend": [],
}
DECISION_POINTS = {
    "entscheidung-p1": "ideenfindung",
    "entscheidung-p2": "prototypentwicklung",
    "entscheidung-p3": "pilotphase",
    "entscheidung-p4": "verstetigung",
}
NEW_CRITERIA = {
    "geschaeftsmodell": ("prototypentwicklung", None),
    "stufenweise-finanzierung": ("durchgehend", None),
    "skalierung-finanzieren": ("verstetigung", "p4-skalierung"),
    "beteiligungsstrategie-poc": ("ideenfindung", "p1-proof-of-concept"),
    "kooperationsstrategie-poc": ("ideenfindung", "p1-proof-of-concept"),
    "trends-innovationsformate": ("ideenfindung", "p1-ideenfindung"),
    "match-making": ("pilotphase", "p3-pilot"),
    "wachstumsstrategie": ("pilotphase", "p3-pilot"),
    "weiterfuehrungskonzept": ("verstetigung", "p4-nachhaltigkeit"),
    "schwesterprodukte-lizenzmodelle": ("transfer", "p5-horizontale-skalierung"),
    "massnahme-beenden": ("durchgehend", None),
}
NEW_TERMS = [
    "geschaeftsmodell", "entscheidungspunkt", "exit", "inkrementelle-finanzierung",
    "finanzierungsrunde", "hackathon", "trendradar", "match-making", "wachstumsstrategie",
    "weiterfuehrungskonzept", "schwesterprodukt", "lizenzmodell", "pflichtaufgabe",
]  # fmt: skip
# The original's drivers with one sub-driver and mechanism category each (names are facts).
ORIGINAL_DRIVERS = {
    "Umgebung scannen und Chancen erkennen": (
        "Überwachung sich verändernder Märkte und Technologietrends",
        "Förderinstrumente entwickeln und ausbauen",
    ),
    "Iterative Anpassung des Wirtschaftlichkeitsmodells mit einer ressourcenarmen Struktur": (
        "Die Auswahl eines skalierbaren Geschäftsmodells mit einer ressourcenschonenden Struktur",
        "Gründungskultur stärken",
    ),
    "Erreichen von Betriebsexzellenz durch Digitalisierung": (
        "Betriebsexzellenz durch datenbasierte Entscheidungen",
        "Wirkungsorientierung und Evaluation als Standard",
    ),
}


def words(text):
    return len(re.findall(r"\w+", text))


@pytest.fixture
def content(shipped_content):
    """The shipped content, loaded once per session (tests/conftest.py)."""


def test_loaded_content_has_the_original_sub_phases_and_a_decision_point_ending_p1_to_p4(
    content,
):
    for group in Phase.objects.published().groups():
        children = Phase.objects.published().filter(parent=group).order_by("lft")
        assert [child.name for child in children] == SUB_PHASES[group.slug], group.slug

    decisions = Milestone.objects.published().filter(kind=Milestone.Kind.DECISION)
    assert {m.slug: m.phase.slug for m in decisions} == DECISION_POINTS
    for decision in decisions:
        last = decision.phase.milestones.order_by("order", "title").last()
        assert last == decision, decision.slug
        assert decision.question.endswith("?")
        options = re.findall(r"^- \*\*(.+?):\*\*", decision.description, re.M)
        assert len(options) == 3 and options[1] == "Anpassen", (decision.slug, options)
        assert "Diese Fragen entscheiden:" in decision.description
    assert not decisions.filter(phase__slug__in=["transfer", "durchgehend"]).exists()
    assert Milestone.objects.get(slug="m-proof-of-concept").phase.slug == "ideenfindung"


def test_loaded_content_has_the_new_criteria_published_sourced_and_placed(content):
    public = Criterion.objects.published()
    for slug, (phase, sub_phase) in NEW_CRITERIA.items():
        criterion = public.get(slug=slug)
        assert criterion.phase.slug == phase, slug
        if sub_phase:
            assert sub_phase in criterion.sub_phases.values_list("slug", flat=True), slug
        assert 250 <= words(criterion.body) <= 500, (slug, words(criterion.body))
        sourced = Source.objects.filter(criteria=criterion).exclude(url="").exists()
        assert sourced or criterion.editorial_assessment, slug
        assert criterion.milestones.exists() and criterion.scaling_driver_id, slug
        assert criterion.references_out.filter(target_criterion__isnull=False).exists(), slug
    for slug in ["beteiligungsstrategie-poc", "kooperationsstrategie-poc"]:
        assert "Proof of Concept" in public.get(slug=slug).body
    assert "Betreibermodell" in public.get(slug="geschaeftsmodell").body
    body = public.get(slug="skalierung-finanzieren").body
    assert all(word in body for word in ["Seed", "Series A", "Series B", "Haushalt"])


def test_loaded_content_has_the_new_glossary_terms_and_the_original_scaling_drivers(content):
    terms = GlossaryTerm.objects.published().filter(slug__in=NEW_TERMS)
    assert sorted(terms.values_list("slug", flat=True)) == sorted(NEW_TERMS)
    betreibermodell = GlossaryTerm.objects.get(slug="betreibermodell").definition
    assert "/glossar/#geschaeftsmodell" in betreibermodell

    for name, (sub_driver, category) in ORIGINAL_DRIVERS.items():
        driver = ScalingDriver.objects.published().get(name=name, level=0)
        sub = driver.get_children().get(name=sub_driver)
        assert sub.get_children().filter(name=category, level=2).exists(), category


def test_phase_page_shows_the_original_logic_with_text_labels(client, content):
    response = client.get("/phasen/ideenfindung/")
    html = response.content.decode()
    assert 'id="p1-proof-of-concept"' in html
    assert 'id="meilenstein-entscheidung-p1" class="milestone--decision"' in html
    assert "milestone__kind--decision" in html and ">Entscheidungspunkt</span>" in html
    assert "Weitermachen, anpassen oder beenden?" in html
    assert 'href="/kriterien/beteiligungsstrategie-poc/"' in html
    assert client.get("/phasen/transfer/").content.decode().count("milestone--decision") == 0
    assert client.get("/kriterien/massnahme-beenden/").status_code == 200


def test_phase_page_renders_a_decision_point_within_its_query_budget(
    client, roadmap, django_assert_max_num_queries
):
    factories.milestone(
        roadmap["first"], title="Weiter oder nicht?", slug="entscheidung-x", kind="decision"
    )
    with django_assert_max_num_queries(12):  # the phase page's budget (tests/test_pages.py)
        html = client.get(roadmap["first"].get_absolute_url()).content.decode()
    assert 'class="milestone--decision"' in html
    assert html.count("Entscheidungspunkt") >= 1


def test_a_decision_point_holds_the_self_check_like_a_municipal_milestone(client, db):
    first, second = factories.phase(order=1), factories.phase(order=2)
    task = factories.milestone(first, order=1)
    extra = factories.milestone(first, order=2, kind=Milestone.Kind.ADDITIONAL)
    decision = factories.milestone(first, order=9, kind=Milestone.Kind.DECISION)
    factories.milestone(second)
    milestones = list(Milestone.objects.all())

    without_decision = assess([first, second], milestones, [task.slug, extra.slug])
    assert without_decision.recommended.phase == first
    assert without_decision.recommended.municipal_open == [decision]
    with_decision = assess([first, second], milestones, [task.slug, decision.slug])
    assert with_decision.recommended.phase == second

    form = client.get("/selbstcheck/").content.decode()
    label = re.search(rf'for="frage-{decision.slug}">(.*?)</label>', form, re.S).group(1)
    assert "(Entscheidungspunkt am Ende der Phase)" in label
    assert "zählt nicht für die Empfehlung" not in label


def _migration():
    return importlib.import_module("phases.migrations.0007_original_sub_phases")


def test_migration_moves_old_sub_phases_without_losing_links(db):
    groups = {
        slug: factories.phase(slug=slug, order=order)
        for order, slug in enumerate(
            ["ideenfindung", "prototypentwicklung", "pilotphase", "verstetigung", "transfer"], 1
        )
    }
    old = {
        "p2-proof-of-concept": factories.phase(parent=groups["prototypentwicklung"], order=1),
        "p3-pilotbetrieb": factories.phase(parent=groups["pilotphase"], order=2),
        "p3-auswertung": factories.phase(parent=groups["pilotphase"], order=3),
        "p4-ueberfuehrung": factories.phase(parent=groups["verstetigung"], order=1),
        "p4-nachhaltigkeit": factories.phase(parent=groups["verstetigung"], order=2),
    }
    for slug, phase in old.items():
        Phase.objects.filter(pk=phase.pk).update(slug=slug)
    poc_criterion = factories.criterion(groups["prototypentwicklung"])
    poc_criterion.sub_phases.set([old["p2-proof-of-concept"]])
    pilot_criterion = factories.criterion(groups["pilotphase"])
    pilot_criterion.sub_phases.set([old["p3-auswertung"], old["p3-pilotbetrieb"]])
    handover_criterion = factories.criterion(groups["verstetigung"])
    handover_criterion.sub_phases.set([old["p4-ueberfuehrung"]])

    _migration().adopt_original_sub_phases(apps, None)

    moved = Phase.objects.get(pk=old["p2-proof-of-concept"].pk)
    assert (moved.slug, moved.parent.slug, moved.name) == (
        "p1-proof-of-concept",
        "ideenfindung",
        "Proof of Concept",
    )
    assert list(poc_criterion.sub_phases.all()) == [moved]
    assert [p.slug for p in pilot_criterion.sub_phases.all()] == ["p3-pilot"]
    assert [p.slug for p in handover_criterion.sub_phases.all()] == ["p4-nachhaltigkeit"]
    retired = Phase.objects.filter(slug__in=["p3-auswertung", "p4-ueberfuehrung"])
    assert set(retired.values_list("status", flat=True)) == {Status.DRAFT}
    assert Phase.objects.count() == 10  # nothing deleted

    stored = set(Phase.objects.values_list("slug", "tree_id", "lft", "rght", "level"))
    Phase.objects.rebuild()
    assert set(Phase.objects.values_list("slug", "tree_id", "lft", "rght", "level")) == stored

    _migration().adopt_original_sub_phases(apps, None)  # a second run changes nothing
    assert set(Phase.objects.values_list("slug", "tree_id", "lft", "rght", "level")) == stored


def test_migration_does_nothing_on_an_empty_database(db):
    _migration().adopt_original_sub_phases(apps, None)
    assert not Phase.objects.exists()


def test_introduction_explains_decision_points(client, roadmap):
    html = client.get("/einfuehrung/").content.decode()
    assert "<strong>Entscheidungspunkt</strong>: weitermachen, anpassen oder bewusst" in html
