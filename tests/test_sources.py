"""Sources („Quellen“): shown on the pages, in the open data and checked by check_content."""

import csv
import io
from datetime import date
from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.publishing import Status
from examples.content_checks import past_figures
from examples.models import PracticeExample, Source
from tests import factories
from workspace.integrity import content_problems

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# -- pages -------------------------------------------------------------------------------


def test_criterion_page_lists_its_sources_with_publisher_year_link_and_check_date(client, roadmap):
    criterion = roadmap["criterion"]
    factories.source(
        title="Von der Idee in den Regelbetrieb",
        publisher="Difu für das BBSR",
        year=2025,
        url="https://example.org/difu",
        supports="Belegt die fünf Faktoren der Verstetigung.",
        checked_on=date(2026, 12, 5),
    ).criteria.add(criterion)
    html = html_of(client, criterion.get_absolute_url())
    assert '<h2 id="quellen">Quellen</h2>' in html
    assert '<a href="https://example.org/difu">Von der Idee in den Regelbetrieb</a>' in html
    assert "– Difu für das BBSR, 2025" in html
    assert "Belegt die fünf Faktoren der Verstetigung." in html
    assert "geprüft am 5. Dezember 2026" in html


def test_criterion_without_sources_or_mark_shows_no_sources_section(client, roadmap):
    html = html_of(client, roadmap["criterion"].get_absolute_url())
    assert 'id="quellen"' not in html
    assert "Einschätzung der Redaktion" not in html


def test_editorial_criterion_says_it_is_the_editors_assessment(client, roadmap):
    criterion = factories.criterion(roadmap["first"], editorial_assessment=True)
    html = html_of(client, criterion.get_absolute_url())
    assert "<strong>Einschätzung der Redaktion:</strong>" in html
    assert "Erfahrungen und Abwägungen der Redaktion" in html


def test_criterion_page_shows_the_legal_status_with_month_year_and_sanitized_note(client, roadmap):
    criterion = factories.criterion(
        roadmap["first"],
        legal_status_on=date(2026, 1, 1),
        legal_status_note="Gilt **ab 2027**.<script>alert(1)</script>",
    )
    html = html_of(client, criterion.get_absolute_url())
    assert "Rechtsstand: 1. Januar 2026</h2>" in html
    assert "<strong>ab 2027</strong>" in html
    assert "<script>alert(1)" not in html


def test_criterion_without_legal_status_shows_none(client, roadmap):
    assert "Rechtsstand" not in html_of(client, roadmap["criterion"].get_absolute_url())


def test_example_page_shows_its_sources_and_the_date_it_was_checked(client, roadmap):
    example = factories.example(
        roadmap["first"],
        evidence=PracticeExample.Evidence.DOCUMENTED,
        source_url="https://example.org/bericht",
        checked_on=date(2026, 12, 5),
    )
    factories.source(title="Bericht der Stadt", publisher="Stadt X").examples.add(example)
    html = html_of(client, example.get_absolute_url())
    assert "Quellen geprüft am 5. Dezember 2026" in html
    assert ">Bericht der Stadt</a>" in html and "– Stadt X, 2025" in html


def test_operator_model_page_shows_its_sources(client, roadmap):
    model = factories.operator_model()
    factories.source(title="Rechts- und Organisationsformen").operator_models.add(model)
    assert ">Rechts- und Organisationsformen</a>" in html_of(client, model.get_absolute_url())


def test_phase_page_shows_the_sources_of_the_phase(client, roadmap):
    factories.source(title="Roadmap P1").phases.add(roadmap["first"])
    factories.source(title="Roadmap P3").phases.add(roadmap["second"])
    html = html_of(client, roadmap["first"].get_absolute_url())
    assert ">Roadmap P1</a>" in html and "Roadmap P3" not in html


def test_a_source_without_link_is_shown_as_plain_text(client, roadmap):
    factories.source(title="Unveröffentlichtes Gutachten", url="").criteria.add(
        roadmap["criterion"]
    )
    html = html_of(client, roadmap["criterion"].get_absolute_url())
    assert "Unveröffentlichtes Gutachten" in html
    assert ">Unveröffentlichtes Gutachten</a>" not in html


def _cite_three_times(roadmap, model, example):
    for _ in range(3):
        cited = factories.source()
        cited.criteria.add(roadmap["criterion"])
        cited.examples.add(example)
        cited.operator_models.add(model)
        cited.phases.add(roadmap["first"])


def test_pages_need_the_same_queries_for_one_or_three_more_sources(client, roadmap):
    model = factories.operator_model()
    example = factories.example(roadmap["first"])
    urls = [
        roadmap["criterion"].get_absolute_url(),
        example.get_absolute_url(),
        model.get_absolute_url(),
        roadmap["first"].get_absolute_url(),
    ]
    factories.source().criteria.add(roadmap["criterion"])
    once = [count_queries(client, url) for url in urls]
    _cite_three_times(roadmap, model, example)
    assert [count_queries(client, url) for url in urls] == once


# -- open data ---------------------------------------------------------------------------


@pytest.fixture
def cited(roadmap):
    criterion = factories.criterion(
        roadmap["first"],
        slug="vergaberecht",
        editorial_assessment=True,
        legal_status_on=date(2026, 1, 1),
        legal_status_note="Schwellenwerte 2026/2027.",
    )
    draft = factories.criterion(roadmap["first"], slug="entwurf", status=Status.DRAFT)
    source = factories.source(slug="gwb", checked_on=date(2026, 12, 5), supports="Belegt X.")
    source.criteria.set([criterion, draft])
    factories.source(slug="nur-entwurf").criteria.set([draft])
    return criterion


def test_api_lists_sources_with_their_public_relations_only(client, cited):
    items = client.get("/api/v1/sources/").json()["items"]
    assert [item["slug"] for item in items] == ["gwb"]
    assert items[0]["criteria"] == ["vergaberecht"]
    assert items[0]["checked_on"] == "2026-12-05"
    assert items[0]["supports"] == "Belegt X."
    assert client.get("/api/v1/sources/nur-entwurf/").status_code == 404


def test_api_criterion_names_its_sources_editorial_mark_and_legal_status(client, cited):
    item = client.get("/api/v1/criteria/vergaberecht/").json()
    assert item["sources"] == ["gwb"]
    assert item["editorial_assessment"] is True
    assert item["legal_status_on"] == "2026-01-01"
    assert item["legal_status_note"] == "Schwellenwerte 2026/2027."


def test_criteria_csv_has_columns_for_sources_and_legal_status(client, cited):
    text = client.get("/daten/kriterien.csv").content.decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert rows["vergaberecht"]["sources"] == "gwb"
    assert rows["vergaberecht"]["editorial_assessment"] == "ja"
    assert rows["vergaberecht"]["legal_status_on"] == "2026-01-01"


def test_etag_changes_when_a_source_is_edited_or_newly_cited(client, cited):
    def etag():
        return client.get("/daten/skalierungsroadmap.json")["ETag"]

    first = etag()
    source = Source.objects.get(slug="gwb")
    source.title = "Gesetz gegen Wettbewerbsbeschränkungen"
    source.save()
    second = etag()
    factories.criterion(cited.phase).sources.add(source)
    assert len({first, second, etag()}) == 3


# -- check_content -----------------------------------------------------------------------


def messages():
    return [problem.message for problem in content_problems() if problem.level == "error"]


def test_check_content_reports_a_criterion_without_source_or_editorial_mark(roadmap):
    assert any("„Problemanalyse“ hat keine Quelle mit Link" in m for m in messages())


def test_check_content_accepts_a_criterion_with_a_linked_source_or_the_mark(roadmap):
    factories.source(url="https://example.org/").criteria.add(roadmap["criterion"])
    factories.criterion(roadmap["first"], title="Redaktionell", editorial_assessment=True)
    assert not [m for m in messages() if "hat keine Quelle" in m]


def test_check_content_does_not_count_a_source_without_link(roadmap):
    factories.source(url="").criteria.add(roadmap["criterion"])
    assert any("„Problemanalyse“ hat keine Quelle mit Link" in m for m in messages())


def test_check_content_reports_documented_examples_without_source_url_or_stand(roadmap):
    documented = {"evidence": PracticeExample.Evidence.DOCUMENTED}
    factories.example(
        roadmap["first"], title="Ohne Stand", source_url="https://x.org/", **documented
    )
    factories.example(
        roadmap["first"], title="Vollständig", source_url="https://x.org/",
        checked_on=date(2026, 12, 5), **documented,
    )  # fmt: skip
    found = messages()
    assert "Dokumentiertes Beispiel „Ohne Stand“ ohne Stand (Datum der Prüfung)." in found
    assert not any("Dokumentiertes Beispiel „Vollständig“" in m for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt sparte damit 35.000 €/Jahr.",
        "Die Betriebskosten lagen bei rund 12.000 Euro im Jahr.",
        "Der Suchverkehr sank um 20 Prozent.",
        "Die Wartung kostete 1,2 Mio. Euro.",
        "Die Nutzung stieg auf 15 %.",
    ],
)
def test_check_content_reports_scenarios_with_figures_in_past_tense(roadmap, text):
    factories.example(roadmap["first"], title="Szenario A", body=f"Einleitung.\n\n{text}")
    assert any(m.startswith("Szenario „Szenario A“ nennt Zahlen") for m in messages())


@pytest.mark.parametrize(
    "text",
    [
        "Planen Sie 15 bis 20 % der Investition pro Jahr für den Betrieb ein.",
        "Der Rat beschloss den Weiterbetrieb. Die Kosten betragen 5 % des Budgets.",
        "Die Sensoren wurden im Jahr 2024 eingebaut.",
    ],
)
def test_check_content_accepts_scenarios_with_present_tense_figures(roadmap, text):
    factories.example(roadmap["first"], title="Szenario B", body=text)
    assert not any(m.startswith("Szenario „Szenario B“") for m in messages())


def test_documented_examples_may_report_past_figures(roadmap):
    factories.example(
        roadmap["first"], title="Beleg", evidence=PracticeExample.Evidence.DOCUMENTED,
        source_url="https://x.org/", checked_on=date(2026, 12, 5),
        body="Die Stadt sparte 20 % der Kosten.",
    )  # fmt: skip
    assert not any("„Beleg“" in m and "Zahlen" in m for m in messages())


def test_past_figures_splits_sentences_but_not_numbers_or_abbreviations():
    text = "Es lag bei 60.000 Euro. Es kostet 1,2 Mio. Euro. Danach sank es um 5 %."
    assert past_figures(text) == ["Es lag bei 60.000 Euro.", "Danach sank es um 5 %."]


# -- admin -------------------------------------------------------------------------------


def listed(client, url):
    html = html_of(client, url)
    return {title for title in ("Mit Link", "Ohne Link", "Alt geprüft") if f">{title}<" in html}


def test_source_admin_filters_by_link_check_date_and_use(editor_client, roadmap):
    factories.source(title="Mit Link", checked_on=date(2026, 12, 1)).criteria.add(
        roadmap["criterion"]
    )
    factories.source(title="Ohne Link", url="")
    factories.source(title="Alt geprüft", checked_on=date(2020, 1, 1))
    base = reverse("admin:examples_source_changelist")
    assert listed(editor_client, f"{base}?link=nein") == {"Ohne Link"}
    assert listed(editor_client, f"{base}?pruefung=alt") == {"Alt geprüft"}
    assert listed(editor_client, f"{base}?pruefung=nie") == {"Ohne Link"}
    assert listed(editor_client, f"{base}?belegt=kriterien") == {"Mit Link"}
    assert listed(editor_client, f"{base}?belegt=nichts") == {"Ohne Link", "Alt geprüft"}


def test_criterion_admin_finds_criteria_without_source_or_editorial_mark(editor_client, roadmap):
    factories.criterion(roadmap["first"], title="Redaktionell", editorial_assessment=True)
    sourced = factories.criterion(roadmap["first"], title="Belegt")
    factories.source().criteria.add(sourced)
    url = reverse("admin:phases_criterion_changelist")
    html = html_of(editor_client, f"{url}?quellenlage=offen")
    assert ">Problemanalyse<" in html
    assert ">Redaktionell<" not in html and ">Belegt<" not in html


# -- existing databases ------------------------------------------------------------------


def test_migration_marks_editorial_criteria_and_clears_only_shipped_free_text_sources(roadmap):
    from django.apps import apps

    migration = import_module("phases.migrations.0012_editorial_marks_and_old_sources")
    shipped = factories.criterion(
        roadmap["first"], slug="risikomanagement", source="Redaktion Skalierungsroadmap"
    )
    own = factories.criterion(roadmap["first"], source="Eigene Erhebung der Stadt, 2025")
    migration.forwards(apps, None)
    shipped.refresh_from_db()
    own.refresh_from_db()
    assert shipped.editorial_assessment and shipped.source == ""
    assert not own.editorial_assessment and own.source == "Eigene Erhebung der Stadt, 2025"
