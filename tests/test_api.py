"""The read-only JSON API /api/v1/: collections, filters, pages, errors, caching, CORS."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendata.api import MAX_PAGE_SIZE, api
from opendata.export import COLLECTIONS
from tests import factories

pytestmark = pytest.mark.django_db

BASE = "/api/v1/"


@pytest.fixture
def content(roadmap):
    return factories.open_data_content(roadmap)


def get(client, path, params=None, **headers):
    response = client.get(BASE + path, params or {}, headers=headers)
    assert response["Content-Type"] == "application/json; charset=utf-8", response.content
    return response


def slugs(response):
    assert response.status_code == 200, response.json()
    return [item["slug"] for item in response.json()["items"]]


def messages(response):
    assert response.status_code == 422
    return [problem["msg"] for problem in response.json()["detail"]]


# -- collections -----------------------------------------------------------------------


def test_index_names_licence_every_collection_and_the_openapi_document(client, content):
    index = get(client, "").json()
    assert index["licence"] == "CC BY 4.0"
    assert index["attribution"] == "Skalierungsroadmap, CC BY 4.0"
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    urls = {collection["key"]: collection["url"] for collection in index["collections"]}
    assert set(urls) == set(COLLECTIONS)
    assert urls["operator_models"] == "http://testserver/api/v1/operator-models/"
    for url in urls.values():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_every_list_holds_exactly_the_public_items(client, content, key):
    path = COLLECTIONS[key].path
    assert sorted(slugs(get(client, f"{path}/"))) == sorted(factories.OPEN_DATA_PUBLIC_SLUGS[key])


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_list_items_and_details_equal_the_entries_of_the_json_download(client, content, key):
    document = json.loads(client.get("/daten/skalierungsroadmap.json").content)
    path = COLLECTIONS[key].path
    assert get(client, f"{path}/").json()["items"] == document[key]
    for item in document[key]:
        assert get(client, f"{path}/{item['slug']}/").json() == item


@pytest.mark.parametrize("slug", factories.OPEN_DATA_HIDDEN_SLUGS)
def test_no_detail_of_a_draft_or_hidden_item_in_any_collection(client, content, slug):
    for collection in COLLECTIONS.values():
        response = get(client, f"{collection.path}/{slug}/")
        assert response.status_code == 404, (collection.key, slug)


def test_unknown_slug_is_answered_with_a_german_json_404(client, content):
    response = get(client, "criteria/gibt-es-nicht/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Kriterien: Es gibt keinen veröffentlichten Eintrag "
        "mit dem Kurznamen „gibt-es-nicht“."
    }


@pytest.mark.parametrize(
    "slug", ["a%00b", "%C3%A4rger", "x" * 300, "..%2Fphases", "%F0%9F%98%80", "%20"]
)
def test_strange_slugs_are_answered_with_404_never_an_error(client, content, slug):
    response = get(client, f"criteria/{slug}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_unknown_api_addresses_get_a_json_404_and_a_missing_slash_a_redirect(client, db):
    assert get(client, "kriterien/").status_code == 404
    assert get(client, "criteria/a/b/").status_code == 404
    assert client.get(f"{BASE}criteria").url == f"{BASE}criteria/"


# -- pagination ------------------------------------------------------------------------


def test_pages_tell_count_page_numbers_and_neighbour_addresses(client, content):
    first = get(client, "criteria/", {"page_size": 2}).json()
    assert first["count"] == 3
    assert (first["page"], first["page_size"], first["pages"]) == (1, 2, 2)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/criteria/?page_size=2&page=2"
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/criteria/?page_size=2&page=1"
    together = [item["slug"] for item in first["items"] + second["items"]]
    assert together == slugs(get(client, "criteria/"))
    assert len(set(together)) == 3


def test_page_addresses_keep_the_filters(client, content):
    page = get(client, "criteria/", {"arbeitsstrang": "technisch", "page_size": 1}).json()
    assert page["count"] == 2
    assert page["next"] == (
        "http://testserver/api/v1/criteria/?arbeitsstrang=technisch&page_size=1&page=2"
    )


def test_page_after_the_last_is_empty_and_points_back_to_the_last(client, content):
    page = get(client, "criteria/", {"page": 7}).json()
    assert page["items"] == []
    assert page["count"] == 3
    assert page["previous"] == "http://testserver/api/v1/criteria/?page=1"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": 0}, "Der Parameter „page“ muss mindestens 1 sein."),
        ({"page": "zwei"}, "Der Parameter „page“ muss eine ganze Zahl sein."),
        ({"page_size": MAX_PAGE_SIZE + 1}, "Der Parameter „page_size“ darf höchstens 100 sein."),
        ({"page_size": 0}, "Der Parameter „page_size“ muss mindestens 1 sein."),
    ],
)
def test_invalid_page_parameters_are_answered_with_422_in_german(client, content, params, message):
    assert messages(get(client, "phases/", params)) == [message]


# -- filters of the criteria explorer --------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"phase": "pilotphase"}, ["betriebsplattform"]),
        ({"arbeitsstrang": "technisch"}, ["offene-schnittstellen", "betriebsplattform"]),
        ({"akteur": "politik"}, ["offene-schnittstellen"]),
        ({"betreibermodell": "eigenbetrieb"}, ["offene-schnittstellen", "betriebsplattform"]),
        ({"treiber": "nutzen"}, ["offene-schnittstellen"]),
        ({"transfer": "ja"}, ["offene-schnittstellen"]),
        ({"phase": ["ideenfindung", "pilotphase"], "arbeitsstrang": "wirtschaftlich"},
         ["problemanalyse", "betriebsplattform"]),
        ({"arbeitsstrang": "technisch", "phase": "ideenfindung"}, ["offene-schnittstellen"]),
        ({"phase": "", "akteur": " "}, ["offene-schnittstellen", "problemanalyse",
                                        "betriebsplattform"]),
    ],
)  # fmt: skip
def test_criteria_filters_work_like_the_explorer(client, content, params, expected):
    assert slugs(get(client, "criteria/", params)) == expected
    # The explorer also lists a published criterion of a draft phase; the open data leave
    # it out, so that its phase relation would not point to something unpublished.
    explorer = client.get("/kriterien/", params).context["criteria"]
    shown = [criterion.slug for criterion in explorer if criterion.slug != "verborgenes-kriterium"]
    assert shown == expected


def test_driver_filter_takes_criteria_below_a_draft_driver_like_the_explorer(client, content):
    # „Betriebsplattform“ sits below the draft driver: no public driver matches it.
    assert slugs(get(client, "criteria/", {"treiber": "beteiligung"})) == ["offene-schnittstellen"]


def test_unknown_and_draft_filter_values_are_answered_with_422_naming_the_source(client, content):
    response = get(client, "criteria/", {"phase": "p9", "akteur": ["politik", "geheimrat"]})
    assert response.json()["detail"] == [
        {
            "loc": ["query", "phase"],
            "msg": "Der Parameter „phase“ hat den unbekannten Wert „p9“; "
            "erlaubt sind Kurznamen aus /api/v1/phases/.",
            "type": "unknown_value",
        },
        {
            "loc": ["query", "akteur"],
            "msg": "Der Parameter „akteur“ hat den unbekannten Wert „geheimrat“; "
            "erlaubt sind Kurznamen aus /api/v1/stakeholders/.",
            "type": "unknown_value",
        },
    ]


def test_transfer_filter_accepts_only_ja(client, content):
    assert messages(get(client, "criteria/", {"transfer": "nein"})) == [
        "Der Parameter „transfer“ erlaubt: 'ja'."
    ]


def test_example_filters_work_like_the_example_list(client, content):
    factories.example(content["first"], slug="anderes", state="BY")
    assert slugs(get(client, "examples/", {"land": "NW"})) == ["parksensoren"]
    assert slugs(get(client, "examples/", {"phase": "ideenfindung"})) == ["anderes"]
    assert messages(get(client, "examples/", {"groesse": "riesig"}))[0].startswith(
        "Der Parameter „groesse“ erlaubt: 'grossstadt'"
    )


# -- HTTP caching and CORS -------------------------------------------------------------


def test_api_answers_carry_etag_and_last_modified_and_304_when_unchanged(client, content):
    response = get(client, "criteria/", {"phase": "pilotphase"})
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag == client.get("/daten/skalierungsroadmap.json")["ETag"]
    again = client.get(f"{BASE}criteria/", {"phase": "pilotphase"}, headers={"if-none-match": etag})
    assert again.status_code == 304
    since = client.get(f"{BASE}phases/", headers={"if-modified-since": last_modified})
    assert since.status_code == 304
    content["interfaces"].save()
    assert client.get(f"{BASE}phases/", headers={"if-none-match": etag}).status_code == 200


def test_any_origin_may_read_the_api_but_not_the_pages(client, content):
    origin = {"origin": "https://kommune.example"}
    response = client.get(f"{BASE}criteria/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{BASE}criteria/", headers=origin | {"access-control-request-method": "GET"}
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/daten/", headers=origin)


def test_head_gives_the_headers_of_get_for_a_cheap_check_for_changes(client, content):
    response = client.head(f"{BASE}criteria/")
    assert response.status_code == 200
    assert response["ETag"] == get(client, "criteria/")["ETag"]
    assert int(response["Content-Length"]) == len(get(client, "criteria/").content)
    repeated = client.head(f"{BASE}criteria/", headers={"if-none-match": response["ETag"]})
    assert repeated.status_code == 304


def test_api_is_read_only(client, content):
    assert client.post(f"{BASE}criteria/").status_code == 405
    assert client.delete(f"{BASE}criteria/problemanalyse/").status_code == 405


# -- queries ---------------------------------------------------------------------------

QUERY_CASES = [
    ("criteria/", {}),
    ("criteria/", {"phase": "ideenfindung", "arbeitsstrang": "technisch", "akteur": "politik",
                   "betreibermodell": "eigenbetrieb", "treiber": "nutzen", "transfer": "ja"}),
    ("criteria/offene-schnittstellen/", {}),
    ("examples/", {"land": "NW"}),
    *[(f"{collection.path}/", {}) for collection in COLLECTIONS.values()],
]  # fmt: skip


def test_query_count_per_answer_does_not_grow_with_the_content(
    client, content, django_assert_max_num_queries
):
    def count(path, params):
        with CaptureQueriesContext(connection) as queries:
            assert get(client, path, params).status_code == 200
        return len(queries)

    before = [count(path, params) for path, params in QUERY_CASES]
    factories.more_open_data(content)
    factories.more_open_data(content)
    after = [count(path, params) for path, params in QUERY_CASES]
    assert before == after
    with django_assert_max_num_queries(13):
        get(client, "criteria/")


# -- the OpenAPI document --------------------------------------------------------------


def test_openapi_document_is_served_and_describes_every_collection_and_filter(client, db):
    response = client.get(f"{BASE}openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document == json.loads(json.dumps(api.get_openapi_schema()))
    assert "CC BY 4.0" in document["info"]["description"]
    for collection in COLLECTIONS.values():
        assert f"/api/v1/{collection.path}/" in document["paths"]
        assert f"/api/v1/{collection.path}/{{slug}}/" in document["paths"]
    parameters = {
        parameter["name"]
        for parameter in document["paths"]["/api/v1/criteria/"]["get"]["parameters"]
    }
    assert parameters == {
        "phase", "arbeitsstrang", "akteur", "betreibermodell", "treiber", "transfer",
        "page", "page_size",
    }  # fmt: skip


def test_no_interactive_docs_that_would_load_scripts_from_elsewhere(client, db):
    response = client.get(f"{BASE}docs", follow=True)
    assert response.status_code == 404
    assert "swagger" not in response.content.decode().lower()
