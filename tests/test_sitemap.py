"""sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.publishing import Status
from information.models import Page
from tests import factories

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LIST_PATHS = [
    "/",
    "/einfuehrung/",
    "/uebersicht/",
    "/kriterien/",
    "/beispiele/",
    "/betreibermodelle/",
    "/ressourcen/",
    "/glossar/",
    "/selbstcheck/",
    "/daten/",
]


def make_page(slug, status=Status.PUBLISHED):
    return Page.objects.create(title=slug.title(), slug=slug, body="Text.", status=status)


def add_content(roadmap, status=Status.PUBLISHED):
    """One more phase group, sub-phase, criterion, example and operator model."""
    group = factories.phase(status=status)
    return [
        group,
        factories.criterion(roadmap["first"], [roadmap["economic"]], status=status),
        factories.example(roadmap["first"], status=status),
        factories.operator_model(status=status),
    ]


def entries(client, **extra):
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


@pytest.fixture
def published(roadmap):
    items = [roadmap["first"], roadmap["second"], roadmap["criterion"], *add_content(roadmap)]
    items.append(make_page("impressum"))
    factories.phase(parent=roadmap["first"], name="Konzept", slug="konzept", number="")
    return items


def test_sitemap_is_xml_with_absolute_urls_of_published_content_and_list_pages(client, published):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    urls = entries(client)
    expected = {f"http://testserver{item.get_absolute_url()}" for item in published}
    expected |= {f"http://testserver{path}" for path in LIST_PATHS}
    assert set(urls) == expected


def test_sitemap_gives_content_its_last_modification(client, published):
    urls = entries(client)
    for item in published:
        lastmod = urls[f"http://testserver{item.get_absolute_url()}"]
        assert datetime.fromisoformat(lastmod) == item.updated_at, item
    assert urls["http://testserver/kriterien/"] is None


def test_sitemap_never_lists_drafts_or_sub_phases(client, roadmap):
    drafts = add_content(roadmap, status=Status.DRAFT)
    drafts.append(make_page("datenschutz", status=Status.DRAFT))
    factories.phase(parent=roadmap["first"], name="Konzept", slug="konzept", number="")
    text = client.get("/sitemap.xml").content.decode()
    for item in drafts:
        assert item.get_absolute_url() not in text, item
    assert "konzept" not in text
    assert "#" not in text


def test_every_address_in_the_sitemap_answers(client, published):
    for url in entries(client):
        path = url.removeprefix("http://testserver")
        assert client.get(path).status_code == 200, path


def test_sitemap_follows_the_scheme_of_the_request(client, published):
    assert all(url.startswith("https://testserver/") for url in entries(client, secure=True))


def test_sitemap_query_count_does_not_grow_with_content(
    client, roadmap, django_assert_max_num_queries
):
    make_page("impressum")
    with CaptureQueriesContext(connection) as once:
        client.get("/sitemap.xml")
    for _ in range(2):
        add_content(roadmap)
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as thrice:
        client.get("/sitemap.xml")
    assert len(once) == len(thrice)


@pytest.mark.parametrize("page", ["2", "abc"])
def test_sitemap_answers_bad_page_numbers_with_not_found(client, roadmap, page):
    assert client.get("/sitemap.xml", {"p": page}).status_code == 404


def test_robots_txt_is_plain_text_keeps_out_fahrplaene_hides_the_admin_and_names_the_sitemap(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert lines.index("Disallow: /fahrplan/") < lines.index("Allow: /")
    assert reverse("admin:index") not in response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_names_the_sitemap_with_the_request_scheme_and_host(client, db):
    response = client.get("/robots.txt", secure=True, headers={"host": "localhost"})
    assert "Sitemap: https://localhost/sitemap.xml" in response.content.decode()


def test_robots_txt_answers_head_but_not_post(client, db):
    assert client.head("/robots.txt").status_code == 200
    assert client.post("/robots.txt").status_code == 405
