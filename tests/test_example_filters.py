"""The practice example list /beispiele/: filters by state, size, solution type and phase."""

import pytest

from core.publishing import Status
from examples.models import PracticeExample
from tests import factories
from tests.filter_helpers import assert_query_count_flat, facet_counts, filter_notes

pytestmark = pytest.mark.django_db

URL = "/beispiele/"
Size, Kind = PracticeExample.SizeClass, PracticeExample.SolutionType


@pytest.fixture
def examples(roadmap):
    """Three published examples and one draft, in the two phases of the roadmap fixture."""
    first, second = roadmap["first"], roadmap["second"]
    factories.example(
        first, title="Szenario: Stadt-App", state="BW", size_class=Size.MEDIUM_TOWN,
        solution_type=Kind.APP,
    )  # fmt: skip
    factories.example(
        second, title="Szenario: Parksensoren", state="BY", size_class=Size.LARGE_CITY,
        solution_type=Kind.SENSOR_NETWORK,
    )  # fmt: skip
    factories.example(
        second, title="Sensornetz im Landkreis", state="BW", size_class=Size.DISTRICT,
        solution_type=Kind.SENSOR_NETWORK, evidence=PracticeExample.Evidence.DOCUMENTED,
        source_url="https://example.org/quelle",
    )  # fmt: skip
    factories.example(
        second, title="Entwurf: Datenplattform", state="NI", size_class=Size.MEDIUM_TOWN,
        solution_type=Kind.DATA_PLATFORM, status=Status.DRAFT,
    )  # fmt: skip
    return roadmap


def titles(response):
    return [example.title for example in response.context["examples"]]


def test_without_filters_every_published_example_is_listed(client, examples):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [
        "Sensornetz im Landkreis",
        "Szenario: Parksensoren",
        "Szenario: Stadt-App",
    ]


def test_state_filter(client, examples):
    assert titles(client.get(URL, {"land": "BY"})) == ["Szenario: Parksensoren"]


def test_size_filter(client, examples):
    assert titles(client.get(URL, {"groesse": "landkreis"})) == ["Sensornetz im Landkreis"]


def test_solution_type_filter(client, examples):
    assert titles(client.get(URL, {"art": "sensornetz"})) == [
        "Sensornetz im Landkreis",
        "Szenario: Parksensoren",
    ]


def test_phase_filter_uses_the_phase_reached(client, examples):
    assert titles(client.get(URL, {"phase": "ideenfindung"})) == ["Szenario: Stadt-App"]


def test_filters_combine_with_and_and_values_of_one_filter_with_or(client, examples):
    assert titles(client.get(URL, {"land": "BW", "art": "sensornetz"})) == [
        "Sensornetz im Landkreis"
    ]
    response = client.get(URL, {"groesse": ["mittelstadt", "grossstadt"], "phase": "pilotphase"})
    assert titles(response) == ["Szenario: Parksensoren"]


def test_counts_per_value_apply_the_other_filters_only(client, examples):
    response = client.get(URL, {"land": "BW"})
    assert facet_counts(response, "land", matching_only=True) == {"BW": 2, "BY": 1}
    assert facet_counts(response, "art", matching_only=True) == {"app": 1, "sensornetz": 1}
    assert facet_counts(response, "groesse", matching_only=True) == {
        "mittelstadt": 1,
        "landkreis": 1,
    }
    assert facet_counts(response, "phase", matching_only=True) == {
        "ideenfindung": 1,
        "pilotphase": 1,
    }


def test_drafts_are_neither_listed_nor_counted(client, examples):
    factories.phase(name="Geheimphase", slug="geheimphase", status=Status.DRAFT)
    response = client.get(URL)
    html = response.content.decode()
    assert "Entwurf: Datenplattform" not in html
    assert "Geheimphase" not in html
    assert "NI" not in facet_counts(response, "land", matching_only=True)
    assert "datenplattform" not in facet_counts(response, "art", matching_only=True)
    assert facet_counts(response, "groesse", matching_only=True)["mittelstadt"] == 1


def test_state_list_offers_only_states_with_examples_but_keeps_a_chosen_one(client, examples):
    html = client.get(URL).content.decode()
    assert 'value="BW"' in html and 'value="BY"' in html
    assert 'value="SL"' not in html and 'value="NI"' not in html
    response = client.get(URL, {"land": "SL"})
    assert titles(response) == []
    assert 'value="SL" checked>' in response.content.decode()


def test_counts_are_shown_next_to_each_value(client, examples):
    html = client.get(URL).content.decode()
    assert 'Sensornetz <span class="filter-form__count">(2)</span>' in html
    assert 'Digitaler Zwilling <span class="filter-form__count">(0)</span>' in html


def card(html, title):
    """The markup of the result card with this title."""
    end = html.index(title)
    return html[html.rindex('<li class="card">', 0, end) : html.index("</li>", end)]


def test_summary_and_honest_marking_are_visible(client, examples):
    html = client.get(URL, {"art": "sensornetz"}).content.decode()
    assert "2 Praxisbeispiele · Art der Lösung: Sensornetz" in html
    assert "Dokumentiert" in card(html, "Sensornetz im Landkreis")
    assert "Szenario (veranschaulichend)" in card(html, "Szenario: Parksensoren")


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"land": "XX"}, "XX"),
        ({"groesse": "riesig"}, "riesig"),
        ({"art": "<b>fett</b>"}, "&lt;b&gt;fett&lt;/b&gt;"),
        ({"phase": "p" * 5000}, "p" * 40 + "…"),
    ],
)
def test_invalid_values_are_ignored_with_an_escaped_note(client, examples, params, shown):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(titles(response)) == 3
    assert f"Der Filterwert „{shown}“ ist unbekannt und wurde ignoriert." in (
        response.content.decode()
    )


def test_repeated_parameters_never_fail(client, examples):
    response = client.get(URL, {"land": ["BY"] * 20 + ["??"] * 20})
    assert response.status_code == 200
    assert titles(response) == ["Szenario: Parksensoren"]
    assert filter_notes(response) == ["Der Filterwert „??“ ist unbekannt und wurde ignoriert."]


def test_empty_result_says_so_and_offers_the_reset_link(client, examples):
    response = client.get(URL, {"land": "BY", "groesse": "kleinstadt"})
    html = response.content.decode()
    assert titles(response) == []
    assert "Zu dieser Kombination von Filtern gibt es noch kein Beispiel." in html
    assert '<a href="/beispiele/">setzen Sie alle Filter zurück</a>' in html


def test_the_address_reproduces_the_state(client, examples):
    response = client.get(URL, {"art": "sensornetz", "land": "BW", "egal": "1"})
    filters = response.context["filters"]
    assert filters.url() == "/beispiele/?land=BW&art=sensornetz"
    assert titles(client.get(filters.url())) == titles(response) == ["Sensornetz im Landkreis"]


def test_form_is_a_plain_get_form(client, examples):
    html = client.get(URL, {"groesse": "grossstadt"}).content.decode()
    assert '<form class="filter-form" method="get" action="/beispiele/"' in html
    assert "Filter anwenden</span></button>" in html
    assert '<a href="/beispiele/">Alle Filter zurücksetzen</a>' in html
    assert 'name="groesse" value="grossstadt" checked>' in html
    assert html.count("<h1") == 1


def _grow(roadmap, times):
    for _ in range(times):
        phase = factories.phase()
        factories.example(phase, state="HE", size_class=Size.REGION)
        factories.example(roadmap["second"], solution_type=Kind.DIGITAL_TWIN)


@pytest.mark.parametrize("params", [{}, {"land": "BW", "art": "sensornetz", "phase": "x"}])
def test_query_count_stays_the_same_with_three_times_the_content(
    client, examples, params, django_assert_max_num_queries
):
    assert_query_count_flat(client, URL, params, lambda times: _grow(examples, times))
    with django_assert_max_num_queries(10):
        client.get(URL, params)
