"""Open data: the page /daten/, the complete JSON document and the CSV downloads."""

import csv
import io
import json
import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.publishing import Status
from core.spreadsheet import cell as csv_cell
from opendata.export import COLLECTIONS, CSV_EXPORTS
from phases.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db

JSON_URL = "/daten/skalierungsroadmap.json"
CSV_URLS = [f"/daten/{name}.csv" for name in CSV_EXPORTS]
DOWNLOAD_URLS = [JSON_URL, *CSV_URLS]


@pytest.fixture
def content(roadmap):
    return factories.open_data_content(roadmap)


def download_json(client):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content.decode("utf-8"))


def download_csv(client, name):
    """(header, rows as dicts) of one CSV file, read as a German spreadsheet program would."""
    response = client.get(f"/daten/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";")
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def by_slug(items):
    return {item["slug"]: item for item in items}


# -- the page /daten/ ------------------------------------------------------------------


def test_open_data_page_links_every_download_and_the_openapi_document(client, content):
    response = client.get("/daten/")
    assert response.status_code == 200
    hrefs = set(re.findall(r'href="([^"]+)"', response.content.decode()))
    for url in [*DOWNLOAD_URLS, "/api/v1/openapi.json"]:
        assert url in hrefs, url
        assert client.get(url).status_code == 200, url


def test_open_data_page_explains_licence_formats_and_the_api_in_german(client, content):
    html = client.get("/daten/").content.decode()
    for text in [
        "<h1>Offene Daten</h1>",
        "CC BY 4.0",
        "„Skalierungsroadmap, CC BY 4.0“",
        "https://creativecommons.org/licenses/by/4.0/deed.de",
        "UTF-8 mit Byte-Order-Mark",
        "<strong>Semikolon</strong>",
        "<code> | </code>",
        "http://testserver/api/v1/",
        "<code>page_size</code>",
        "<code>ETag</code>",
        "<code>If-None-Match</code>",
        "<code>arbeitsstrang</code>",
    ]:
        assert text in html, text
    # Every CSV column is documented with its German meaning.
    assert "<dt><code>transfer_relevant</code></dt><dd>besonders wichtig für den Transfer</dd>" in (
        html
    )


def test_open_data_page_is_linked_from_the_footer_of_every_page(client, content):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{reverse("opendata:index")}">Offene Daten</a>' in footer


def test_open_data_page_needs_one_query_whatever_the_content(
    client, content, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as once:
        client.get("/daten/")
    factories.more_open_data(content)
    factories.more_open_data(content)
    with django_assert_max_num_queries(1), CaptureQueriesContext(connection) as thrice:
        client.get("/daten/")
    assert len(once) == len(thrice)


def test_open_data_page_works_without_any_content(client, db):
    response = client.get("/daten/")
    assert response.status_code == 200
    assert "noch keine Inhalte" in response.content.decode()


# -- the JSON document -----------------------------------------------------------------


def test_json_document_names_licence_attribution_source_and_last_change(client, content):
    meta = download_json(client)["meta"]
    assert meta["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.de",
    }
    assert meta["attribution"] == "Skalierungsroadmap, CC BY 4.0"
    assert meta["source"] == "http://testserver/"
    newest = max(c.model.objects.latest("updated_at").updated_at for c in COLLECTIONS.values())
    assert datetime.fromisoformat(meta["last_modified"]) == newest.replace(microsecond=0)


def test_json_document_holds_exactly_the_public_items_of_every_collection(client, content):
    document = download_json(client)
    assert set(document) == {"meta", *COLLECTIONS}
    for key, slugs in factories.OPEN_DATA_PUBLIC_SLUGS.items():
        assert sorted(item["slug"] for item in document[key]) == sorted(slugs), key


def test_drafts_and_items_below_drafts_never_appear_in_any_download(client, content):
    for url in DOWNLOAD_URLS:
        text = client.get(url).content.decode()
        for slug in factories.OPEN_DATA_HIDDEN_SLUGS:
            assert not re.search(rf"(?<![\w-]){slug}(?![\w-])", text), (url, slug)


def test_every_relation_in_the_json_document_points_to_an_item_of_the_document(client, content):
    document = download_json(client)
    slugs = {key: {item["slug"] for item in document[key]} for key in COLLECTIONS}
    relations = {
        "phases": {"parent": "phases"},
        "milestones": {"phase": "phases"},
        "criteria": {
            "phase": "phases",
            "sub_phases": "phases",
            "workstreams": "workstreams",
            "scaling_driver": "scaling_drivers",
            "stakeholders": "stakeholders",
            "operator_models": "operator_models",
            "milestones": "milestones",
        },
        "scaling_drivers": {"parent": "scaling_drivers"},
        "operator_models": {"suitable_phases": "phases"},
        "examples": {"phase_reached": "phases", "criteria": "criteria"},
        "resources": {"criteria": "criteria"},
    }
    checked = 0
    for key, fields in relations.items():
        for item in document[key]:
            for field, target in fields.items():
                value = item[field]
                for slug in value if isinstance(value, list) else [value]:
                    assert slug is None or slug in slugs[target], (key, item["slug"], field)
                    checked += slug is not None
            for reference in item.get("references", []):
                target = reference.get("target_type", "phases")
                assert reference.get("target", reference.get("phase")) in slugs[target]
                checked += 1
    assert checked > 20


def test_json_criterion_matches_the_database_with_relations_to_public_items_only(client, content):
    criterion = Criterion.objects.get(slug="offene-schnittstellen")
    criterion.lead_time_months, criterion.lead_time_reason = 12, "eine EU-weite Ausschreibung"
    criterion.needs_council_decision = True
    criterion.save()
    interfaces = by_slug(download_json(client)["criteria"])["offene-schnittstellen"]
    assert interfaces == {
        "slug": "offene-schnittstellen",
        "url": "http://testserver/kriterien/offene-schnittstellen/",
        "updated_at": criterion.updated_at.replace(microsecond=0).isoformat(),
        "last_reviewed_at": None,
        "next_review_due": None,
        "title": "Offene Schnittstellen",
        "summary": "= Formel; keine",
        "body": "- Punkt eins\n- Punkt zwei",
        "phase": "ideenfindung",
        "sub_phases": ["konzept"],
        "workstreams": ["technisch"],
        "scaling_driver": "beteiligung",
        "stakeholders": ["politik"],
        "transfer_relevant": True,
        "operator_models": ["eigenbetrieb"],
        "milestones": ["bedarf-belegt"],
        "source": "BBSR 2024",
        "source_url": "",
        "sources": ["studie-verstetigung"],
        "editorial_assessment": False,
        "legal_status_on": None,
        "legal_status_note": "",
        "lead_time_months": 12,
        "lead_time_reason": "eine EU-weite Ausschreibung",
        "needs_council_decision": True,
        "references": [  # in the order of the cross-references: kind, then creation
            {
                "kind": "related",
                "kind_label": "hängt zusammen mit",
                "target_type": "examples",
                "target": "parksensoren",
                "note": "Weil es zusammengehört.",
            },
            {
                "kind": "requires",
                "kind_label": "setzt voraus",
                "target_type": "criteria",
                "target": "problemanalyse",
                "note": "Weil es zusammengehört.",
            },
        ],
    }


def test_json_gives_a_criterion_below_a_draft_driver_no_driver(client, content):
    hosting = by_slug(download_json(client)["criteria"])["betriebsplattform"]
    assert hosting["scaling_driver"] is None
    assert hosting["workstreams"] == ["wirtschaftlich", "technisch"]


def test_json_phases_trees_choices_and_phase_references(client, content):
    document = download_json(client)
    phases = by_slug(document["phases"])
    assert phases["konzept"]["parent"] == "ideenfindung"
    assert phases["konzept"]["level"] == 1
    assert phases["konzept"]["url"] == "http://testserver/phasen/ideenfindung/#konzept"
    assert phases["pilotphase"]["references"] == [
        {"phase": "ideenfindung", "note": "Baut darauf auf."}
    ]
    example = by_slug(document["examples"])["parksensoren"]
    assert (example["state"], example["state_label"]) == ("NW", "Nordrhein-Westfalen")
    assert example["criteria"] == ["offene-schnittstellen"]
    assert by_slug(document["resources"])["leitfaden"]["link"] == "https://example.org/"
    driver = by_slug(document["scaling_drivers"])["beteiligung"]
    assert (driver["parent"], driver["level"], driver["level_name"]) == ("nutzen", 1, "Subtreiber")


def test_json_document_of_an_empty_roadmap_is_valid_and_empty(client, db):
    document = download_json(client)
    assert document["meta"]["last_modified"] is None
    assert all(document[key] == [] for key in COLLECTIONS)


# -- the CSV files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CSV_EXPORTS))
def test_csv_rows_equal_the_json_items_cell_by_cell(client, content, name):
    csv_export = CSV_EXPORTS[name]
    header, rows = download_csv(client, name)
    items = download_json(client)[csv_export.collection]
    assert header == [column for column, _ in csv_export.columns]
    assert len(rows) == len(items) > 0
    for row, item in zip(rows, items, strict=True):
        assert row == {column: csv_cell(item[column]) for column in header}


def test_criteria_csv_matches_the_database_in_spreadsheet_form(client, content):
    header, rows = download_csv(client, "kriterien")
    assert header[:2] == ["slug", "title"]
    assert header[-7:] == [
        "lead_time_months", "lead_time_reason", "needs_council_decision",
        "url", "updated_at", "last_reviewed_at", "next_review_due",
    ]  # fmt: skip
    assert "references" not in header
    rows = by_slug(rows)
    assert set(rows) == set(factories.OPEN_DATA_PUBLIC_SLUGS["criteria"])
    interfaces = rows["offene-schnittstellen"]
    assert interfaces["transfer_relevant"] == "ja"
    assert interfaces["stakeholders"] == "politik"
    assert interfaces["workstreams"] == "technisch"
    # Spreadsheet formulas are defused; Markdown keeps its line breaks.
    assert interfaces["summary"] == "'= Formel; keine"
    assert interfaces["body"] == "'- Punkt eins\n- Punkt zwei"
    assert rows["betriebsplattform"]["workstreams"] == "wirtschaftlich | technisch"
    assert rows["betriebsplattform"]["scaling_driver"] == ""
    assert rows["problemanalyse"]["transfer_relevant"] == "nein"


def test_milestone_and_example_csvs_match_the_database(client, content):
    _, milestones = download_csv(client, "meilensteine")
    assert [row["slug"] for row in milestones] == ["bedarf-belegt"]
    assert milestones[0]["phase"] == "ideenfindung"
    assert milestones[0]["kind_label"] == "kommunaler Meilenstein"
    assert milestones[0]["question"] == content["milestone"].question
    _, examples = download_csv(client, "praxisbeispiele")
    assert [row["slug"] for row in examples] == ["parksensoren"]
    assert examples[0]["criteria"] == "offene-schnittstellen"
    assert examples[0]["municipality"] == "eine Mittelstadt in Süddeutschland"


def test_unknown_csv_file_is_not_found(client, content):
    assert client.get("/daten/geheim.csv").status_code == 404


# -- conditional requests --------------------------------------------------------------


@pytest.mark.parametrize("url", DOWNLOAD_URLS)
def test_downloads_carry_etag_and_date_and_answer_304_when_unchanged(client, content, url):
    response = client.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="{url.rsplit("/", 1)[1]}"'
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"anders"'}).status_code == 200


def test_unchanged_content_is_answered_with_304_before_the_export_is_built(
    client, content, django_assert_num_queries
):
    etag = client.get(JSON_URL)["ETag"]
    with django_assert_num_queries(1):
        assert client.get(JSON_URL, headers={"if-none-match": etag}).status_code == 304


def etag_after(client, change):
    before = client.get(JSON_URL)["ETag"]
    change()
    after = client.get(JSON_URL)["ETag"]
    assert client.get(JSON_URL, headers={"if-none-match": before}).status_code == 200
    return before != after


def test_etag_changes_when_content_is_edited_withdrawn_or_deleted(client, content):
    interfaces = content["interfaces"]

    def edit():
        interfaces.title = "Offene Schnittstellen und Standards"
        interfaces.save()

    def withdraw():
        content["example"].status = Status.DRAFT
        content["example"].save()

    assert etag_after(client, edit)
    assert etag_after(client, withdraw)
    assert etag_after(client, lambda: content["term"].delete())


def test_etag_follows_references_edited_on_their_own(client, content):
    reference = content["interfaces"].references_out.get(target_criterion=content["criterion"])

    def edit_note():
        reference.note = "Ohne Analyse keine Schnittstellen."
        reference.save()

    phase_reference = content["second"].references_out.get(to_phase=content["first"])
    assert etag_after(client, edit_note)
    assert etag_after(client, reference.delete)
    assert etag_after(client, phase_reference.delete)
    document = download_json(client)
    assert by_slug(document["criteria"])["offene-schnittstellen"]["references"][0]["target"] == (
        "parksensoren"
    )


def test_downloads_need_the_same_queries_for_more_content(client, content):
    counts = {}
    for round_ in ("once", "thrice"):
        if round_ == "thrice":
            factories.more_open_data(content)
            factories.more_open_data(content)
        for url in DOWNLOAD_URLS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[round_, url] = len(queries)
    for url in DOWNLOAD_URLS:
        assert counts["once", url] == counts["thrice", url], url
    assert counts["once", JSON_URL] <= 33  # 8 of them for the sources and their relations
