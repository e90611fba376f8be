"""Self-check: questions, recommendation rule, shareable result URLs, next-step criteria."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.publishing import Status
from phases.models import Milestone, Phase
from selfcheck.assessment import assess
from tests import factories

pytestmark = pytest.mark.django_db

FORM = "/selbstcheck/"
RESULT = "/selbstcheck/ergebnis/"
ADDITIONAL = Milestone.Kind.ADDITIONAL


def build_sequence(copies=1):
    """Three sequence phases, each with `copies`×(2 municipal + 1 additional) milestones,
    a cross-phase group, two workstreams and criteria linked to the milestones."""
    phases = [
        factories.phase(name=name, slug=slug, number=f"P{n}", order=n)
        for n, (name, slug) in enumerate(
            [("Ideenfindung", "idee"), ("Pilotphase", "pilot"), ("Transfer", "transfer")], 1
        )
    ]
    cross = factories.phase(
        name="Durchgehend", slug="durchgehend", number="", order=9, is_cross_phase=True
    )
    economic = factories.workstream(name="Wirtschaftlich", slug="wirtschaftlich")
    technical = factories.workstream(name="Technisch", slug="technisch")
    municipal, additional = {}, {}
    for phase in phases:
        municipal[phase.slug], additional[phase.slug] = [], []
        for _ in range(copies):
            first, second = factories.milestone(phase), factories.milestone(phase)
            municipal[phase.slug] += [first, second]
            additional[phase.slug].append(factories.milestone(phase, kind=ADDITIONAL))
            criterion = factories.criterion(phase, [economic, technical])
            criterion.milestones.set([first, second])
    return {
        "phases": phases,
        "cross": cross,
        "municipal": municipal,
        "additional": additional,
        "economic": economic,
        "technical": technical,
    }


@pytest.fixture
def sequence():
    return build_sequence()


def query(milestones):
    return "&".join(f"erreicht={m.slug}" for m in milestones)


def result(client, milestones=(), extra=""):
    response = client.get(f"{RESULT}?{query(milestones)}{extra}")
    assert response.status_code == 200
    return response


def recommended_heading(response):
    html = response.content.decode()
    match = re.search(r'<h2 id="empfehlung">Empfohlene Phase: <a href="([^"]+)"', html)
    assert match, "no recommendation on the page"
    return match.group(1)


def share_url(response):
    html = response.content.decode()
    value = re.search(r'id="ergebnis-link" type="url" value="([^"]+)"', html).group(1)
    return unescape(value)


@pytest.mark.parametrize("index", [0, 1, 2])
def test_every_phase_is_recommended_once_the_municipal_milestones_before_it_are_reached(
    client, sequence, index
):
    earlier = [m for phase in sequence["phases"][:index] for m in sequence["municipal"][phase.slug]]
    response = result(client, earlier)
    assert recommended_heading(response) == sequence["phases"][index].get_absolute_url()


def test_no_answers_recommend_the_first_phase_with_all_its_milestones_open(client, sequence):
    response = result(client)
    first = sequence["phases"][0]
    assert recommended_heading(response) == first.get_absolute_url()
    html = response.content.decode()
    for milestone in sequence["municipal"][first.slug] + sequence["additional"][first.slug]:
        assert milestone.title in html
    assert "noch keinen Meilenstein angekreuzt" in html


def test_all_yes_recommends_the_last_phase_and_says_everything_municipal_is_reached(
    client, sequence
):
    everything = Milestone.objects.all()
    response = result(client, everything)
    assert recommended_heading(response) == sequence["phases"][-1].get_absolute_url()
    html = response.content.decode()
    assert "alle kommunalen Meilensteine der Roadmap erreicht" in html
    assert "In dieser Phase ist kein Meilenstein mehr offen." in html


def test_additional_milestones_never_decide_the_phase(client, sequence):
    first = sequence["phases"][0]
    response = result(client, sequence["additional"][first.slug])
    assert recommended_heading(response) == first.get_absolute_url()
    only_municipal = result(client, sequence["municipal"][first.slug])
    assert recommended_heading(only_municipal) == sequence["phases"][1].get_absolute_url()


def test_a_gap_in_an_earlier_phase_wins_over_progress_in_later_phases(client, sequence):
    idee, pilot, transfer = (sequence["municipal"][p.slug] for p in sequence["phases"])
    response = result(client, idee[:1] + pilot + transfer)
    assert recommended_heading(response) == sequence["phases"][0].get_absolute_url()
    html = response.content.decode()
    assert "Meilensteine späterer Phasen erreicht" in html
    assert idee[1].title in html[html.index('id="offen"') : html.index('id="kriterien"')]


def test_cross_phase_groups_take_no_part_in_questions_or_recommendation(client, sequence):
    cross_milestone = factories.milestone(sequence["cross"], title="Querschnitt geklärt")
    form = client.get(FORM).content.decode()
    assert "Querschnitt geklärt" not in form
    assert "Durchgehend" not in form
    everything = [m for m in Milestone.objects.all() if m != cross_milestone]
    response = result(client, everything)
    assert recommended_heading(response) == sequence["phases"][-1].get_absolute_url()
    assert "alle kommunalen Meilensteine" in response.content.decode()


def test_a_phase_without_municipal_milestones_cannot_hold_a_team_back(sequence):
    phases = sequence["phases"]
    milestones = [
        m for m in Milestone.objects.all() if m.phase != phases[0] or m.kind == ADDITIONAL
    ]
    assessment = assess(phases, milestones, [])
    assert assessment.recommended.phase == phases[1]


def test_no_published_phase_gives_a_friendly_page_instead_of_an_error(client, db):
    assert "Noch keine Fragen" in client.get(FORM).content.decode()
    response = result(client)
    assert 'id="empfehlung"' not in response.content.decode()


def test_result_url_round_trips_to_the_same_canonical_result(client, sequence):
    pilot, idee = sequence["municipal"]["pilot"], sequence["municipal"]["idee"]
    messy = pilot[::-1] + idee + idee[:1]  # reversed order and a duplicate
    first = result(client, messy, extra="&erreicht=gibt-es-nicht&fremd=1")
    url = share_url(first)
    parts = urlsplit(url)
    assert parts.path == RESULT
    assert parts.query == query(idee + pilot)  # roadmap order, no duplicates, no unknown slugs
    second = client.get(f"{parts.path}?{parts.query}")
    assert share_url(second) == url
    assert recommended_heading(second) == recommended_heading(first)
    assert 'href="/selbstcheck/?' + query(idee + pilot).replace("&", "&amp;") in (
        second.content.decode()
    )


def test_unknown_and_draft_slugs_are_ignored_with_a_german_note(client, sequence):
    draft = factories.milestone(sequence["phases"][0], status=Status.DRAFT, title="Geheim")
    idee = sequence["municipal"]["idee"]
    response = result(client, [*idee, draft], extra="&erreicht=%3Cscript%3E&erreicht=")
    html = response.content.decode()
    assert "Nicht alle Angaben konnten verwendet werden" in html
    assert "3 Angaben" in html
    assert "Geheim" not in html
    assert "<script>" not in html
    assert recommended_heading(response) == sequence["phases"][1].get_absolute_url()


def test_absurdly_many_answers_are_answered_without_error(client, sequence):
    response = client.get(RESULT + "?" + "&".join(f"erreicht=x{n}" for n in range(900)))
    assert response.status_code == 200
    assert recommended_heading(response) == sequence["phases"][0].get_absolute_url()


def test_form_uses_get_groups_questions_by_phase_and_prefills_shared_answers(client, sequence):
    milestone = sequence["municipal"]["pilot"][0]
    html = client.get(f"{FORM}?erreicht={milestone.slug}").content.decode()
    assert '<form class="selfcheck-form" method="get" action="/selbstcheck/ergebnis/">' in html
    assert "csrfmiddlewaretoken" not in html
    assert html.count("<fieldset") == 3
    assert html.count("<legend") == 3
    assert html.index("P1 Ideenfindung") < html.index("P2 Pilotphase") < html.index("P3 Transfer")
    checked = re.findall(r'<input [^>]*value="([^"]+)" checked>', html)
    assert checked == [milestone.slug]
    assert f'<label class="kern-label" for="frage-{milestone.slug}">{milestone.question}' in html
    assert html.count("zählt nicht für die Empfehlung") == 3


def test_a_milestone_without_question_is_asked_by_its_title(client, sequence):
    factories.milestone(sequence["phases"][0], title="Team steht", question="")
    assert ">Team steht</label>" in client.get(FORM).content.decode()


def test_self_check_stores_nothing_and_sets_no_cookie(client, sequence):
    for url in (FORM, f"{RESULT}?{query(sequence['municipal']['idee'])}"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not client.cookies


def test_draft_phases_and_milestones_never_appear(client, sequence):
    hidden_phase = factories.phase(name="Verborgene Phase", order=2, status=Status.DRAFT)
    factories.milestone(hidden_phase, title="In verborgener Phase")
    factories.milestone(sequence["phases"][0], title="Entwurfsmeilenstein", status=Status.DRAFT)
    for url in (FORM, RESULT):
        html = client.get(url).content.decode()
        for text in ("Verborgene Phase", "In verborgener Phase", "Entwurfsmeilenstein"):
            assert text not in html, (url, text)


def criteria_section(response):
    html = response.content.decode()
    return html[html.index('id="kriterien"') : html.index('id="erreicht"')]


def test_next_step_criteria_support_the_open_municipal_milestones_grouped_by_workstream(
    client, sequence
):
    idee = sequence["municipal"]["idee"]
    economic, technical = sequence["economic"], sequence["technical"]
    helper = factories.criterion(sequence["phases"][2], [economic], title="Hilft früh")
    helper.milestones.set([idee[1]])
    tech = factories.criterion(sequence["phases"][0], [technical], title="Schnittstellen")
    tech.milestones.set([idee[0]])
    unrelated = factories.criterion(sequence["phases"][0], [economic], title="Egal")
    linked = sequence["phases"][0].criteria.exclude(pk__in=[unrelated.pk, tech.pk]).get()
    section = criteria_section(result(client))
    assert "Egal" not in section
    # Supporting two open milestones beats the alphabet; a criterion with two workstreams
    # is listed once, under the first.
    at_economic, at_technical = (
        re.search(rf'<h3><span class="ws-badge [^"]+">{name}</span>', section).start()
        for name in ("Wirtschaftlich", "Technisch")
    )
    assert at_economic < section.index(linked.title) < section.index("Hilft früh") < at_technical
    assert at_technical < section.index("Schnittstellen")
    assert section.count(f'href="{linked.get_absolute_url()}"') == 1


def test_next_step_criteria_fall_back_to_the_phase_when_nothing_is_linked(client, sequence):
    for criterion in sequence["phases"][1].criteria.all():
        criterion.milestones.clear()
    own = factories.criterion(sequence["phases"][1], [sequence["economic"]], title="Ab Pilot")
    section = criteria_section(result(client, sequence["municipal"]["idee"]))
    assert own.title in section
    assert "?phase=pilot" in section


def test_draft_criteria_are_never_recommended(client, sequence):
    draft = factories.criterion(
        sequence["phases"][0],
        [sequence["economic"]],
        title="Entwurfskriterium",
        status=Status.DRAFT,
    )
    draft.milestones.set(sequence["municipal"]["idee"])
    assert "Entwurfskriterium" not in criteria_section(result(client))


def test_result_offers_a_fahrplan_carrying_the_answers_as_a_plain_link(client, sequence):
    idee = sequence["municipal"]["idee"]
    html = result(client, idee).content.decode()
    assert 'href="/fahrplan/neu/?' + query(idee).replace("&", "&amp;") + '"' in html
    assert "Fahrplan anlegen" in html


def test_phase_page_offers_a_fahrplan_without_setting_a_cookie(client, sequence):
    response = client.get("/phasen/pilot/")
    assert 'href="/fahrplan/neu/?phase=pilot"' in response.content.decode()
    assert not response.cookies


def test_start_page_links_prominently_to_the_self_check(client, sequence):
    html = client.get("/").content.decode()
    assert 'class="kern-btn kern-btn--primary" href="/selbstcheck/"' in html
    assert "Selbstcheck starten" in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_content(client, django_assert_max_num_queries):
    sequence = build_sequence(copies=1)
    answers = query(sequence["municipal"]["idee"])
    urls = (FORM, f"{RESULT}?{answers}", RESULT)
    small = [count_queries(client, url) for url in urls]
    workstreams = [sequence["economic"], sequence["technical"]]
    for phase in sequence["phases"]:
        for _ in range(2):  # three times the content
            milestones = [factories.milestone(phase) for _ in range(3)]
            factories.criterion(phase, workstreams).milestones.set(milestones)
    assert [count_queries(client, url) for url in urls] == small
    with django_assert_max_num_queries(7):
        client.get(f"{RESULT}?{answers}")


def test_with_the_real_content_every_phase_is_reachable_within_the_page_budgets(
    shipped_content, client
):
    sequence = list(Phase.objects.published().groups().filter(is_cross_phase=False))
    assert len(sequence) == 5
    reached = []
    for phase in sequence:
        with CaptureQueriesContext(connection) as queries:
            response = result(client, reached)
        assert len(queries) <= 10
        assert len(response.content) < 60 * 1024
        assert recommended_heading(response) == phase.get_absolute_url()
        reached += phase.milestones.published().filter(
            kind__in=[Milestone.Kind.MUNICIPAL, Milestone.Kind.DECISION]
        )
    everything = result(client, Milestone.objects.published())
    assert "alle kommunalen Meilensteine der Roadmap erreicht" in everything.content.decode()
