"""Documented examples and scenarios are told apart on every card, list and detail page.

Also: the example list filters by kind, and the shipped content keeps at least 15 documented
examples (each with source URL, Stand date and a Source entry) and at most 8 scenarios.
"""

import datetime
import re

import pytest

from examples.models import PracticeExample
from tests import factories
from tests.filter_helpers import facet_counts

pytestmark = pytest.mark.django_db

URL = "/beispiele/"
DOCUMENTED = PracticeExample.Evidence.DOCUMENTED
ILLUSTRATIVE = PracticeExample.Evidence.ILLUSTRATIVE
SOURCE = "https://example.org/quelle-ludwigsburg"


@pytest.fixture
def kinds(roadmap):
    """One documented example and one scenario in the second phase, linked to a criterion."""
    phase = roadmap["second"]
    documented = factories.example(
        phase, title="Mobilitätsplattform Ludwigsburg", slug="mobil-ludwigsburg",
        evidence=DOCUMENTED, source_url=SOURCE, checked_on=datetime.date(2026, 12, 5),
    )  # fmt: skip
    scenario = factories.example(phase, title="Szenario: Rufbus", slug="szenario-rufbus")
    for example in (documented, scenario):
        example.criteria.add(roadmap["criterion"])
    return {"documented": documented, "scenario": scenario, **roadmap}


def card(html, title):
    end = html.index(title)
    return html[html.rindex('<li class="card">', 0, end) : html.index("</li>", end)]


def test_list_cards_label_documented_examples_with_stand_and_source(client, kinds):
    html = client.get(URL).content.decode()
    documented = card(html, "Mobilitätsplattform Ludwigsburg")
    assert "Dokumentiert" in documented
    assert "Stand: Dezember 2026" in documented
    assert f'href="{SOURCE}"' in documented
    assert "Szenario (veranschaulichend)" not in documented


def test_list_cards_label_scenarios_without_stand_or_source(client, kinds):
    scenario = card(client.get(URL).content.decode(), "Szenario: Rufbus")
    assert "Szenario (veranschaulichend)" in scenario
    assert "Dokumentiert" not in scenario
    assert "Stand:" not in scenario


def test_list_intro_explains_both_kinds_and_no_longer_overclaims(client, kinds):
    html = client.get(URL).content.decode()
    assert "So haben Kommunen" not in html
    assert "Szenarien sind keine realen Fälle" in html


def test_detail_page_of_a_documented_example_shows_label_stand_and_source(client, kinds):
    html = client.get("/beispiele/mobil-ludwigsburg/").content.decode()
    assert "Dokumentiert" in html
    assert "Stand: Dezember 2026" in html
    assert f'href="{SOURCE}"' in html


def test_detail_page_of_a_scenario_says_it_is_not_a_real_case(client, kinds):
    html = client.get("/beispiele/szenario-rufbus/").content.decode()
    assert "Szenario (veranschaulichend)" in html
    assert "kein realer Fall" in html
    assert "Stand:" not in html


def test_phase_and_criterion_pages_label_their_example_cards(client, kinds):
    for url in ("/phasen/pilotphase/", "/kriterien/problemanalyse/"):
        html = client.get(url).content.decode()
        assert "Dokumentiert" in card(html, "Mobilitätsplattform Ludwigsburg"), url
        assert "Szenario (veranschaulichend)" in card(html, "Szenario: Rufbus"), url
    assert (
        "die diese Phase erreicht haben" not in client.get("/phasen/pilotphase/").content.decode()
    )


def test_search_results_name_the_kind_of_example(client, kinds):
    response = client.get("/suche/", {"q": "Rufbus"})
    assert response.status_code == 200
    assert "Szenario (veranschaulichend)" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "shown"),
    [("documented", ["Mobilitätsplattform Ludwigsburg"]), ("illustrative", ["Szenario: Rufbus"])],
)
def test_list_filters_by_kind(client, kinds, value, shown):
    response = client.get(URL, {"beleg": value})
    assert [example.title for example in response.context["examples"]] == shown


def test_kind_filter_counts_each_kind_and_uses_the_reader_labels(client, kinds):
    response = client.get(URL)
    assert facet_counts(response, "beleg") == {"documented": 1, "illustrative": 1}
    html = response.content.decode()
    assert "Art des Beispiels" in html and "Szenario (veranschaulichend)" in html


def test_unknown_kind_gets_a_german_note_instead_of_an_error(client, kinds):
    response = client.get(URL, {"beleg": "erfunden"})
    assert response.status_code == 200
    assert "erfunden" in response.content.decode()
    assert len(response.context["examples"]) == 2


def test_list_with_labels_and_kind_filter_stays_within_its_query_budget(
    client, kinds, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get(URL, {"beleg": "documented"})


# -- the shipped content ---------------------------------------------------------------------

PAST_TENSE_FIGURE = re.compile(
    r"\b(lag|lagen|betrug|betrugen|kostete|kosteten|sparte|sparten)\b[^.]*\d[\d.]*\s*(Euro|€|%|Prozent)"
)


@pytest.fixture
def content(shipped_content):
    """The shipped content, loaded once per session (tests/conftest.py)."""


def test_shipped_content_has_at_least_15_documented_examples_and_at_most_8_scenarios(content):
    assert PracticeExample.objects.filter(evidence=DOCUMENTED).count() >= 15
    assert PracticeExample.objects.filter(evidence=ILLUSTRATIVE).count() <= 8


def test_every_documented_example_has_source_url_stand_and_a_source_entry(content):
    for example in PracticeExample.objects.filter(evidence=DOCUMENTED):
        assert example.source_url.startswith("https://"), example.slug
        assert example.checked_on == datetime.date(2026, 12, 5), example.slug
        urls = set(example.sources.values_list("url", flat=True))
        assert example.source_url in urls, example.slug
        assert example.criteria.exists(), example.slug


def test_scenarios_are_generic_titled_as_such_and_state_no_exact_figures_in_past_tense(content):
    for example in PracticeExample.objects.filter(evidence=ILLUSTRATIVE):
        assert example.title.startswith("Szenario:"), example.slug
        assert not example.source_url and not example.sources.exists(), example.slug
        assert example.municipality.startswith("ein"), example.slug
        text = " ".join((example.summary, example.body, example.lessons_learned))
        assert not PAST_TENSE_FIGURE.search(text), (example.slug, PAST_TENSE_FIGURE.search(text))
        assert "35.000" not in text


def test_no_cross_reference_or_text_links_to_a_removed_scenario(content):
    from phases.models import CrossReference

    slugs = set(PracticeExample.objects.values_list("slug", flat=True))
    targets = CrossReference.objects.exclude(target_example=None)
    assert {ref.target_example.slug for ref in targets} <= slugs
    for example in PracticeExample.objects.all():
        for linked in re.findall(
            r"\(/beispiele/([\w-]+)/\)", example.body + example.lessons_learned
        ):
            assert linked in slugs, (example.slug, linked)


def test_easy_language_page_no_longer_calls_all_examples_real(content):
    from information.models import Page

    texts = " ".join(Page.objects.values_list("body", flat=True))
    assert "Beispiele aus echten Kommunen" not in texts
    assert "Dann steht dabei: Szenario." in texts
