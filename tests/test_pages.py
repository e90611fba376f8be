import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.publishing import Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_start_page_asks_where_the_municipality_stands_and_lists_phase_teasers(client, roadmap):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wo steht meine Kommune?" in html
    assert roadmap["first"].teaser in html
    assert 'href="/phasen/ideenfindung/"' in html


def test_start_page_hides_draft_phases(client, roadmap):
    factories.phase(name="Geheimphase", status=Status.DRAFT)
    assert "Geheimphase" not in client.get("/").content.decode()


def test_start_page_is_german(client, roadmap):
    response = client.get("/")
    assert '<html lang="de">' in response.content.decode()
    assert response["Content-Language"] == "de"


def test_phase_page_lists_milestones_in_order(client, roadmap):
    phase = roadmap["first"]
    factories.milestone(phase, title="Zweiter Schritt", order=20)
    factories.milestone(phase, title="Erster Schritt", order=10)
    html = client.get(phase.get_absolute_url()).content.decode()
    assert html.index("Erster Schritt") < html.index("Zweiter Schritt")


def test_phase_page_groups_criteria_by_workstream_with_text_labels(client, roadmap):
    factories.criterion(roadmap["first"], [roadmap["technical"]], title="Offene Schnittstellen")
    html = client.get("/phasen/ideenfindung/").content.decode()
    economic, technical = html.index(">Wirtschaftlich<"), html.index(">Technisch<")
    assert economic < html.index("Problemanalyse") < technical < html.index("Offene Schnittstellen")


def test_phase_page_hides_draft_criteria(client, roadmap):
    factories.criterion(roadmap["first"], [roadmap["economic"]], title="Unfertig",
                        status=Status.DRAFT)  # fmt: skip
    assert "Unfertig" not in client.get("/phasen/ideenfindung/").content.decode()


def test_phase_page_links_previous_and_next_phase(client, roadmap):
    html = client.get("/phasen/pilotphase/").content.decode()
    assert 'rel="prev" href="/phasen/ideenfindung/"' in html
    assert 'rel="next"' not in html


def test_phase_page_shows_sub_phases_and_examples(client, roadmap):
    factories.phase(parent=roadmap["first"], name="Konzept", slug="konzept", number="")
    factories.example(roadmap["first"], title="Szenario: Stadt-App")
    html = client.get("/phasen/ideenfindung/").content.decode()
    assert 'id="konzept"' in html
    assert "Szenario: Stadt-App" in html


def test_phase_page_shows_eight_criteria_per_workstream_and_links_to_all_of_them(client, roadmap):
    for number in range(10):
        factories.criterion(roadmap["first"], [roadmap["technical"]], title=f"Technik {number}")
    response = client.get("/phasen/ideenfindung/")
    html = response.content.decode()
    shown = [f"Technik {number}" for number in range(10) if f">Technik {number}<" in html]
    assert shown == [f"Technik {number}" for number in range(8)]
    assert "11 Kriterien gelten ab dieser Phase" in html
    assert '<span class="kern-sr-only">:</span> 10 Kriterien</h3>' in html
    assert (
        '<a href="/kriterien/?phase=ideenfindung&amp;arbeitsstrang=technisch">'
        "Alle 10 Kriterien im Arbeitsstrang Technisch ansehen</a>"
    ) in html
    # The economic workstream has one criterion: no link to „all“ of it.
    assert "arbeitsstrang=wirtschaftlich" not in html


def test_phase_page_shows_six_examples_and_links_to_the_filtered_example_list(client, roadmap):
    for number in range(7):
        factories.example(roadmap["first"], title=f"Szenario {number}")
    factories.example(roadmap["first"], title="Szenario Entwurf", status=Status.DRAFT)
    html = client.get("/phasen/ideenfindung/").content.decode()
    assert sum(f">Szenario {number}<" in html for number in range(7)) == 6
    assert "Szenario Entwurf" not in html
    assert '<a href="/beispiele/?phase=ideenfindung">Alle Praxisbeispiele dieser Phase' in html


def test_phase_page_costs_the_same_queries_with_many_more_cards(client, roadmap):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/phasen/ideenfindung/").status_code == 200
        return len(captured)

    few = queries()
    for number in range(12):
        factories.criterion(roadmap["first"], [roadmap["technical"]], title=f"Mehr {number}")
        factories.example(roadmap["first"])
    assert queries() == few


@pytest.mark.parametrize("url", ["/phasen/ideenfindung/", "/kriterien/"])
def test_criterion_cards_leave_the_long_body_in_the_database(client, roadmap, url):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert roadmap["criterion"].get_absolute_url() in html  # a card is shown
    assert not any('"phases_criterion"."body"' in query["sql"] for query in captured)


def test_phase_page_renders_markdown_description_sanitized(client, roadmap):
    phase = roadmap["first"]
    phase.description = "**Wichtig** <script>alert(1)</script>"
    phase.save()
    html = client.get(phase.get_absolute_url()).content.decode()
    assert "<strong>Wichtig</strong>" in html
    assert "<script>alert" not in html


def test_draft_phase_page_is_not_found(client):
    factories.phase(slug="geheim", status=Status.DRAFT)
    assert client.get("/phasen/geheim/").status_code == 404


def test_sub_phase_has_no_page_of_its_own(client, roadmap):
    factories.phase(parent=roadmap["first"], slug="konzept")
    assert client.get("/phasen/konzept/").status_code == 404


def test_unknown_url_gets_a_german_404_page(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_criterion_page_shows_cross_references_in_both_directions(client, roadmap):
    source, target = roadmap["criterion"], factories.criterion(roadmap["second"], title="Ziel")
    factories.cross_reference(source, target_criterion=target, note="Baut darauf auf.")
    assert "Baut darauf auf." in client.get(source.get_absolute_url()).content.decode()
    incoming = client.get(target.get_absolute_url()).content.decode()
    assert "Problemanalyse" in incoming and "Baut darauf auf." in incoming


def test_health_endpoint_reports_ok(client, db):
    assert client.get("/health/").json() == {
        "status": "ok",
        "checks": {"database": "ok", "schema": "ok", "cache": "ok"},
    }


def _count_queries(client, url):
    # Steady state: the first request after a content change also builds this process's
    # lookup tables (core/lookups.py); test_lookups.py pins that cost separately.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _grow(roadmap, times):
    for _ in range(times):
        phase = factories.phase()
        factories.phase(parent=roadmap["first"])
        factories.milestone(roadmap["first"])
        factories.example(roadmap["first"])
        criterion = factories.criterion(
            roadmap["first"], [roadmap["economic"], roadmap["technical"]]
        )
        factories.cross_reference(criterion, target_phase=phase)


@pytest.mark.parametrize("url", ["/", "/phasen/ideenfindung/"])
def test_page_query_count_does_not_grow_with_content(client, roadmap, url):
    _grow(roadmap, 1)
    small = _count_queries(client, url)
    _grow(roadmap, 2)
    # 1: the content token; the phase page's lists come from the lookup tables.
    assert _count_queries(client, url) == small <= 1


def test_start_page_stays_within_its_query_budget(client, roadmap, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/")


def test_phase_page_stays_within_its_query_budget(client, roadmap, django_assert_max_num_queries):
    client.get("/phasen/ideenfindung/")  # builds the lookup tables (core/lookups.py)
    with django_assert_max_num_queries(1):  # the token; the rest from the lookup tables
        client.get("/phasen/ideenfindung/")


def test_server_error_page_is_german_and_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Technischer Fehler" in html and 'lang="de"' in html


def test_introduction_explains_both_scaling_directions_and_the_workstreams(client, roadmap):
    html = client.get("/einfuehrung/").content.decode()
    assert "Vertikal: Verstetigung" in html and "Horizontal: Transfer" in html
    assert ">Wirtschaftlich<" in html and ">Technisch<" in html
    assert 'href="/phasen/ideenfindung/"' in html


def test_overview_grid_counts_criteria_and_links_into_the_explorer(client, roadmap):
    factories.criterion(roadmap["first"], [roadmap["economic"], roadmap["technical"]])
    html = client.get("/uebersicht/").content.decode()
    assert 'href="/kriterien/?phase=ideenfindung&amp;arbeitsstrang=wirtschaftlich"' in html
    assert 'aria-label="2 Kriterien: P1 Ideenfindung, Wirtschaftlich">2</a>' in html
    assert 'aria-label="Alle 2 Kriterien: P1 Ideenfindung">2</a>' in html


def _grow_around(roadmap, times):
    """More of everything the detail and list pages show."""
    criterion = roadmap["criterion"]
    model = factories.operator_model()
    for _ in range(times):
        other = factories.criterion(roadmap["first"], [roadmap["technical"]])
        example = factories.example(roadmap["first"])
        example.criteria.add(criterion, other)
        factories.resource().criteria.add(criterion)
        milestone = factories.milestone(roadmap["second"])
        criterion.milestones.add(milestone)
        criterion.sub_phases.add(factories.phase(parent=roadmap["first"]))
        criterion.stakeholders.add(factories.stakeholder())
        criterion.operator_models.add(model)
        other.operator_models.add(model)
        factories.cross_reference(criterion, target_criterion=other)
        factories.cross_reference(other, target_milestone=milestone)
        citing = factories.criterion(roadmap["second"])
        factories.cross_reference(citing, target_criterion=criterion)
        factories.glossary_term()
    return model, example


@pytest.mark.parametrize(
    "page",
    ["criterion", "example", "operator_model", "/glossar/", "/ressourcen/", "/betreibermodelle/",
     "/einfuehrung/", "/uebersicht/", "/beispiele/", "/kriterien/"],
)  # fmt: skip
def test_query_count_of_every_page_type_is_the_same_for_more_content(client, roadmap, page):
    def url(model, example):
        return {
            "criterion": roadmap["criterion"].get_absolute_url(),
            "example": example.get_absolute_url(),
            "operator_model": model.get_absolute_url(),
        }.get(page, page)

    small = _count_queries(client, url(*_grow_around(roadmap, 1)))
    large = _count_queries(client, url(*_grow_around(roadmap, 3)))
    # Criterion and example pages take their lists from the lookup tables
    # (phases/criterion_page.py, examples/example_page.py).
    assert (
        large
        == small
        <= {"criterion": 3, "example": 3, "/beispiele/": 2, "/kriterien/": 1}.get(page, 8)
    )
