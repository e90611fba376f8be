"""The criteria explorer /kriterien/: combinable GET filters, facet counts, robust input."""

import pytest

from core.publishing import Status
from phases.models import Phase
from tests import factories
from tests.filter_helpers import assert_query_count_flat, facet_counts, filter_notes

pytestmark = pytest.mark.django_db

URL = "/kriterien/"


@pytest.fixture
def explorer(roadmap):
    """Besides „Problemanalyse“ (P1, wirtschaftlich): three published criteria, one draft.

    Scaling drivers: nutzen → beteiligung → workshops → co-creation, and betrieb.
    """
    first, second = roadmap["first"], roadmap["second"]
    economic, technical = roadmap["economic"], roadmap["technical"]
    politics = factories.stakeholder(name="Kommunalpolitik", slug="politik", order=1)
    administration = factories.stakeholder(name="Verwaltung", slug="verwaltung", order=2)
    in_house = factories.operator_model(name="Eigenbetrieb", slug="eigenbetrieb", order=1)
    association = factories.operator_model(name="Zweckverband", slug="zweckverband", order=2)
    benefit = factories.scaling_driver(name="Nutzen und Wirkung", slug="nutzen", order=1)
    participation = factories.scaling_driver(parent=benefit, name="Beteiligung", slug="beteiligung")
    workshops = factories.scaling_driver(parent=participation, name="Workshops", slug="workshops")
    co_creation = factories.scaling_driver(parent=workshops, name="Co-Creation", slug="co-creation")
    operation = factories.scaling_driver(name="Betrieb", slug="betrieb", order=2)

    interfaces = factories.criterion(
        first, [technical], title="Offene Schnittstellen", slug="offene-schnittstellen",
        scaling_driver=co_creation, transfer_relevant=True,
    )  # fmt: skip
    interfaces.stakeholders.set([politics])
    hosting = factories.criterion(
        second, [technical, economic], title="Betriebsplattform", slug="betriebsplattform",
        scaling_driver=participation,
    )  # fmt: skip
    hosting.stakeholders.set([administration])
    hosting.operator_models.set([in_house])
    cooperation = factories.criterion(
        second, [economic], title="Interkommunale Kooperation", slug="kooperation",
        scaling_driver=operation, transfer_relevant=True,
    )  # fmt: skip
    cooperation.operator_models.set([association])
    draft = factories.criterion(
        second, [technical], title="Unfertiger Entwurf", slug="entwurf",
        scaling_driver=co_creation, transfer_relevant=True, status=Status.DRAFT,
    )  # fmt: skip
    draft.stakeholders.set([politics])
    draft.operator_models.set([in_house])
    return roadmap | {
        "politics": politics,
        "benefit": benefit,
        "participation": participation,
        "operation": operation,
    }


def titles(response):
    return [criterion.title for criterion in response.context["criteria"]]


# -- single filters --------------------------------------------------------------------


def test_without_filters_every_published_criterion_is_listed_by_phase_then_title(client, explorer):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [
        "Offene Schnittstellen",
        "Problemanalyse",
        "Betriebsplattform",
        "Interkommunale Kooperation",
    ]
    assert filter_notes(response) == []


def test_phase_filter_keeps_the_criteria_of_that_phase(client, explorer):
    response = client.get(URL, {"phase": "pilotphase"})
    assert titles(response) == ["Betriebsplattform", "Interkommunale Kooperation"]


def test_workstream_filter_keeps_criteria_of_that_workstream(client, explorer):
    response = client.get(URL, {"arbeitsstrang": "technisch"})
    assert titles(response) == ["Offene Schnittstellen", "Betriebsplattform"]


def test_stakeholder_filter_keeps_criteria_naming_that_stakeholder(client, explorer):
    assert titles(client.get(URL, {"akteur": "politik"})) == ["Offene Schnittstellen"]


def test_operator_model_filter_keeps_criteria_suiting_that_model(client, explorer):
    assert titles(client.get(URL, {"betreibermodell": "zweckverband"})) == [
        "Interkommunale Kooperation"
    ]


def test_transfer_filter_keeps_only_transfer_relevant_criteria(client, explorer):
    response = client.get(URL, {"transfer": "ja"})
    assert titles(response) == ["Offene Schnittstellen", "Interkommunale Kooperation"]


def test_driver_filter_includes_criteria_anywhere_below_the_chosen_driver(client, explorer):
    # „Offene Schnittstellen“ sits on a mechanism three levels down, „Betriebsplattform“ on
    # the sub-driver; both belong to the top-level driver.
    assert titles(client.get(URL, {"treiber": "nutzen"})) == [
        "Offene Schnittstellen",
        "Betriebsplattform",
    ]
    assert titles(client.get(URL, {"treiber": "workshops"})) == ["Offene Schnittstellen"]
    assert titles(client.get(URL, {"treiber": "betrieb"})) == ["Interkommunale Kooperation"]


def test_driver_below_a_draft_node_still_counts_for_its_published_ancestor(client, explorer):
    hidden = factories.scaling_driver(
        parent=explorer["benefit"], name="In Arbeit", slug="in-arbeit", status=Status.DRAFT
    )
    below = factories.scaling_driver(parent=hidden, name="Darunter", slug="darunter")
    factories.criterion(explorer["first"], title="Tief eingeordnet", scaling_driver=below)
    response = client.get(URL, {"treiber": "nutzen"})
    assert "Tief eingeordnet" in titles(response)
    assert facet_counts(response, "treiber")["nutzen"] == 3
    assert "in-arbeit" not in facet_counts(response, "treiber")
    assert "darunter" not in facet_counts(response, "treiber")  # hidden with its draft parent


def test_driver_list_offers_only_drivers_with_matches_but_keeps_a_chosen_one(client, explorer):
    factories.scaling_driver(parent=explorer["operation"], name="Leerer Mechanismus", slug="leer")
    assert 'value="leer"' not in client.get(URL).content.decode()
    response = client.get(URL, {"treiber": "leer"})
    assert titles(response) == []
    assert '<option value="leer" selected>' in response.content.decode()


def test_taxonomy_links_open_the_explorer_with_their_filter(client, explorer):
    assert titles(client.get(explorer["technical"].get_absolute_url())) == [
        "Offene Schnittstellen",
        "Betriebsplattform",
    ]
    assert titles(client.get(explorer["politics"].get_absolute_url())) == ["Offene Schnittstellen"]
    assert titles(client.get(explorer["operation"].get_absolute_url())) == [
        "Interkommunale Kooperation"
    ]


# -- combinations ----------------------------------------------------------------------


def test_different_filters_combine_with_and(client, explorer):
    response = client.get(URL, {"phase": "pilotphase", "arbeitsstrang": "technisch"})
    assert titles(response) == ["Betriebsplattform"]
    response = client.get(URL, {"transfer": "ja", "treiber": "nutzen", "akteur": "politik"})
    assert titles(response) == ["Offene Schnittstellen"]


def test_several_values_of_one_filter_combine_with_or(client, explorer):
    response = client.get(URL, {"betreibermodell": ["eigenbetrieb", "zweckverband"]})
    assert titles(response) == ["Betriebsplattform", "Interkommunale Kooperation"]
    response = client.get(URL, {"phase": ["ideenfindung", "pilotphase"], "transfer": "ja"})
    assert titles(response) == ["Offene Schnittstellen", "Interkommunale Kooperation"]


def test_summary_names_the_count_and_every_active_filter(client, explorer):
    html = client.get(URL, {"phase": "pilotphase", "arbeitsstrang": "technisch"}).content.decode()
    assert "1 Kriterium · Phase: P3 Pilotphase · Arbeitsstrang: Technisch" in html
    html = client.get(URL, {"arbeitsstrang": ["technisch", "wirtschaftlich"]}).content.decode()
    assert "4 Kriterien · Arbeitsstrang: Wirtschaftlich oder Technisch" in html


def test_the_address_reproduces_the_state_and_each_filter_can_be_dropped(client, explorer):
    response = client.get(URL, {"phase": "pilotphase", "transfer": "ja", "x": "egal"})
    filters = response.context["filters"]
    assert filters.url() == "/kriterien/?phase=pilotphase&transfer=ja"
    assert titles(client.get(filters.url())) == titles(response) == ["Interkommunale Kooperation"]
    html = response.content.decode()
    assert 'href="/kriterien/?transfer=ja">„Phase: P3 Pilotphase“ entfernen' in html
    assert 'href="/kriterien/?phase=pilotphase">„Transfer: nur besonders wichtige' in html


# -- facet counts ----------------------------------------------------------------------


def test_counts_show_matches_per_value_without_filters(client, explorer):
    response = client.get(URL)
    assert facet_counts(response, "phase") == {"ideenfindung": 2, "pilotphase": 2}
    assert facet_counts(response, "arbeitsstrang") == {"wirtschaftlich": 3, "technisch": 2}
    assert facet_counts(response, "akteur") == {"politik": 1, "verwaltung": 1}
    assert facet_counts(response, "betreibermodell") == {"eigenbetrieb": 1, "zweckverband": 1}
    assert facet_counts(response, "treiber") == {
        "nutzen": 2,
        "beteiligung": 2,
        "workshops": 1,
        "co-creation": 1,
        "betrieb": 1,
    }
    assert facet_counts(response, "transfer") == {"ja": 2}


def test_counts_apply_the_other_active_filters_but_not_their_own(client, explorer):
    response = client.get(URL, {"phase": "pilotphase", "arbeitsstrang": "technisch"})
    # Own filter ignored: how many technical criteria per phase.
    assert facet_counts(response, "phase") == {"ideenfindung": 1, "pilotphase": 1}
    # Other filter applied: workstreams among the P3 criteria.
    assert facet_counts(response, "arbeitsstrang") == {"wirtschaftlich": 2, "technisch": 1}
    assert facet_counts(response, "treiber")["nutzen"] == 1
    assert facet_counts(response, "treiber")["betrieb"] == 0
    assert facet_counts(response, "transfer") == {"ja": 0}


def test_counts_are_shown_next_to_each_value(client, explorer):
    html = client.get(URL).content.decode()
    assert 'Wirtschaftlich <span class="filter-form__count">(3)</span>' in html
    assert ">Nutzen und Wirkung (2)</option>" in html


def test_filter_options_are_labelled_like_their_rows(client, explorer):
    """Options are read as plain values; their labels must still match ``str()``."""
    response = client.get(URL)
    by_param = {bound.param: bound.options for bound in response.context["filters"].facets}
    assert [option.label for option in by_param["phase"]] == [
        str(phase) for phase in Phase.objects.published().groups()
    ]
    assert [option.label for option in by_param["treiber"]][:2] == [
        "Nutzen und Wirkung",
        "Beteiligung",
    ]
    assert {option.label for option in by_param["betreibermodell"]} == {
        "Eigenbetrieb",
        "Zweckverband",
    }


def test_drafts_are_neither_listed_nor_counted(client, explorer):
    factories.stakeholder(name="Geheimer Akteur", slug="geheim", status=Status.DRAFT)
    response = client.get(URL)
    assert "Unfertiger Entwurf" not in response.content.decode()
    assert "Geheimer Akteur" not in response.content.decode()
    # The draft criterion carries co-creation, politik, eigenbetrieb and transfer.
    assert facet_counts(response, "treiber")["co-creation"] == 1
    assert facet_counts(response, "akteur")["politik"] == 1
    assert facet_counts(response, "betreibermodell")["eigenbetrieb"] == 1
    assert facet_counts(response, "transfer") == {"ja": 2}
    assert "geheim" not in facet_counts(response, "akteur")


def test_draft_option_in_the_address_is_ignored_with_a_note(client, explorer):
    factories.stakeholder(name="Geheimer Akteur", slug="geheim", status=Status.DRAFT)
    response = client.get(URL, {"akteur": "geheim"})
    assert len(titles(response)) == 4
    assert filter_notes(response) == ["Der Filterwert „geheim“ ist unbekannt und wurde ignoriert."]


# -- bad input -------------------------------------------------------------------------


def test_unknown_value_is_ignored_with_a_german_note(client, explorer):
    response = client.get(URL, {"arbeitsstrang": ["technisch", "gibt-es-nicht"]})
    assert response.status_code == 200
    assert titles(response) == ["Offene Schnittstellen", "Betriebsplattform"]
    assert "Der Filterwert „gibt-es-nicht“ ist unbekannt und wurde ignoriert." in (
        response.content.decode()
    )


def test_garbage_value_is_escaped_in_the_note(client, explorer):
    response = client.get(URL, {"phase": '<script>alert("x")</script>'})
    html = response.content.decode()
    assert response.status_code == 200
    assert len(titles(response)) == 4
    assert "<script>alert" not in html
    assert "„&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;“ ist unbekannt" in html


def test_very_long_value_is_ignored_and_shown_shortened(client, explorer):
    response = client.get(URL, {"treiber": "a" * 10_000})
    assert response.status_code == 200
    assert len(titles(response)) == 4
    assert filter_notes(response) == [
        f"Der Filterwert „{'a' * 40}…“ ist unbekannt und wurde ignoriert."
    ]


def test_repeated_parameters_never_fail(client, explorer):
    response = client.get(URL, {"phase": ["pilotphase"] * 50, "transfer": ["ja", "ja"]})
    assert response.status_code == 200
    assert titles(response) == ["Interkommunale Kooperation"]
    assert filter_notes(response) == []


def test_second_driver_is_ignored_with_a_note_because_the_filter_takes_one(client, explorer):
    response = client.get(URL, {"treiber": ["betrieb", "nutzen"]})
    assert titles(response) == ["Interkommunale Kooperation"]
    assert filter_notes(response) == [
        "Für „Skalierungstreiber“ ist nur ein Wert möglich; "
        "der Filterwert „nutzen“ wurde ignoriert."
    ]


def test_transfer_accepts_only_ja(client, explorer):
    response = client.get(URL, {"transfer": "nein"})
    assert len(titles(response)) == 4
    assert filter_notes(response) == ["Der Filterwert „nein“ ist unbekannt und wurde ignoriert."]


def test_empty_values_and_unknown_parameters_are_ignored_silently(client, explorer):
    response = client.get(URL, {"treiber": "", "akteur": "  ", "sortierung": "neu"})
    assert len(titles(response)) == 4
    assert filter_notes(response) == []
    assert not response.context["filters"].is_active


def test_many_bad_values_produce_a_short_list_of_notes(client, explorer):
    response = client.get(URL, {"phase": [f"falsch-{n}" for n in range(30)]})
    assert response.status_code == 200
    assert len(filter_notes(response)) == 5
    assert "25 weitere Filterwerte wurden ebenfalls ignoriert." in response.content.decode()


# -- page ------------------------------------------------------------------------------


def test_empty_result_says_so_and_offers_the_reset_link(client, explorer):
    response = client.get(URL, {"phase": "ideenfindung", "treiber": "betrieb"})
    html = response.content.decode()
    assert titles(response) == []
    assert "Zu dieser Kombination von Filtern gibt es kein Kriterium." in html
    assert '<a href="/kriterien/">setzen Sie alle Filter zurück</a>' in html


def test_form_is_a_plain_get_form_that_keeps_the_selection(client, explorer):
    html = client.get(URL, {"arbeitsstrang": "technisch", "treiber": "nutzen"}).content.decode()
    assert '<form class="filter-form" method="get" action="/kriterien/"' in html
    assert '<span class="kern-label">Filter anwenden</span></button>' in html
    assert '<a href="/kriterien/">Alle Filter zurücksetzen</a>' in html
    assert 'name="arbeitsstrang" value="technisch" checked>' in html
    assert 'name="arbeitsstrang" value="wirtschaftlich">' in html
    assert '<option value="nutzen" selected>' in html
    assert '<label class="kern-label" for="filter-treiber">Skalierungstreiber</label>' in html
    assert html.count("<h1") == 1
    assert "<legend" in html and "genügt einer davon" in html


def _grow(explorer, times):
    """More of everything the page touches: criteria, options, drivers, relations."""
    for _ in range(times):
        stakeholder = factories.stakeholder()
        model = factories.operator_model()
        driver = factories.scaling_driver(parent=explorer["participation"])
        for phase in (explorer["first"], explorer["second"]):
            criterion = factories.criterion(
                phase, [explorer["economic"], explorer["technical"]], scaling_driver=driver
            )
            criterion.stakeholders.set([stakeholder, explorer["politics"]])
            criterion.operator_models.set([model])


@pytest.mark.parametrize(
    "params",
    [{}, {"phase": "pilotphase", "arbeitsstrang": "technisch", "treiber": "nutzen", "x": "y"}],
)
def test_query_count_stays_the_same_with_three_times_the_content(
    client, explorer, params, django_assert_max_num_queries
):
    assert_query_count_flat(client, URL, params, lambda times: _grow(explorer, times))
    with django_assert_max_num_queries(10):
        client.get(URL, params)


# -- pagination ------------------------------------------------------------------------


@pytest.fixture
def many_criteria(explorer):
    """45 more published technical criteria in the pilot phase: 49 in all, three pages."""
    for number in range(45):
        factories.criterion(
            explorer["second"], [explorer["technical"]],
            title=f"Zusatzkriterium {number:02d}", slug=f"zusatz-{number:02d}",
        )  # fmt: skip
    return explorer


def test_long_results_are_split_into_pages_of_twenty(client, many_criteria):
    first = client.get(URL)
    assert len(titles(first)) == 20
    assert first.context["page_obj"].paginator.count == 49
    third = client.get(URL, {"seite": "3"})
    assert len(titles(third)) == 9
    everything = [*titles(first), *titles(client.get(URL, {"seite": "2"})), *titles(third)]
    assert len(set(everything)) == 49


def test_counts_and_summary_cover_all_pages_not_only_the_shown_one(client, many_criteria):
    response = client.get(URL, {"arbeitsstrang": "technisch"})
    assert response.context["filters"].summary.startswith("47 Kriterien")
    assert facet_counts(response, "phase")["pilotphase"] == 46


def test_page_links_keep_the_filters_and_mark_the_current_page(client, many_criteria):
    response = client.get(URL, {"arbeitsstrang": "technisch", "seite": "2"})
    html = response.content.decode()
    assert 'aria-label="Seiten"' in html
    assert 'href="/kriterien/?arbeitsstrang=technisch&amp;seite=3" aria-label="Seite 3"' in html
    assert 'rel="prev" href="/kriterien/?arbeitsstrang=technisch"' in html
    assert 'aria-current="page"' in html and ">2</a>" in html


def test_changing_a_filter_starts_again_on_the_first_page(client, many_criteria):
    response = client.get(URL, {"arbeitsstrang": "technisch", "seite": "2"})
    removals = dict(response.context["filters"].removals)
    assert removals["Arbeitsstrang: Technisch"] == URL


@pytest.mark.parametrize(
    ("value", "shown_page"), [("abc", 1), ("0", 1), ("-1", 1), ("99999", 3), ("2.5", 1), ("²", 1)]
)
def test_bad_page_numbers_show_the_nearest_page_with_a_note(
    client, many_criteria, value, shown_page
):
    response = client.get(URL, {"seite": value})
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown_page
    assert filter_notes(response) == [
        f"Die Seite „{value}“ gibt es nicht; gezeigt wird Seite {shown_page}."
    ]


def test_short_results_have_no_page_links(client, explorer):
    response = client.get(URL)
    assert not response.context["is_paginated"]
    assert 'aria-label="Seiten"' not in response.content.decode()


def test_another_page_shows_its_own_criteria_from_the_lookup_tables(
    client, many_criteria, django_assert_max_num_queries
):
    client.get(URL)  # builds the lookup tables, filter keys and cards (core/lookups.py)
    with django_assert_max_num_queries(1):  # the content token
        response = client.get(URL, {"seite": "2"})
    assert len(titles(response)) == 20


def test_criteria_of_a_draft_phase_are_neither_listed_nor_counted_nor_linked(client, explorer):
    explorer["second"].status = Status.DRAFT
    explorer["second"].save()
    response = client.get(URL)
    assert titles(response) == ["Offene Schnittstellen", "Problemanalyse"]
    assert facet_counts(response, "arbeitsstrang") == {"wirtschaftlich": 1, "technisch": 1}
    assert client.get("/kriterien/betriebsplattform/").status_code == 404
