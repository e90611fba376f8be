"""The whole public site with the real content: reachability, structure and budgets."""

from collections import deque
from html.parser import HTMLParser

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from examples.models import PracticeExample
from information.models import GlossaryTerm
from phases.models import Criterion, OperatorModel, Phase

# The marker makes pytest-django create the test database; the crawl itself runs once per module.
pytestmark = pytest.mark.django_db

MAX_PAGES = 400
# 10 before the Fahrplan tools and sources; phase and criterion pages now also list their
# document templates and their sources (one query each, the same however much content).
MAX_QUERIES = 12
MAX_HTML_BYTES = 60 * 1024


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.h1, self.title, self._in_title = [], set(), 0, "", False
        self.description = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "h1":
            self.h1 += 1
        if tag == "title":
            self._in_title = True
        if tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content", "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def internal(href):
    """HTML pages of this site; downloads and the API are tested in test_opendata/test_api,
    document templates (.docx, .odt) and calendars (.ics) in the test_fahrplan_* files."""
    return (
        href.startswith("/")
        and not href.startswith(("/static/", "/admin/", "/api/", "//"))
        and not href.endswith((".json", ".csv", ".docx", ".odt", ".ics"))
    )


def published_urls():
    return [
        *(p.get_absolute_url() for p in Phase.objects.published().groups()),
        *(c.get_absolute_url() for c in Criterion.objects.published()),
        *(e.get_absolute_url() for e in PracticeExample.objects.published()),
        *(m.get_absolute_url() for m in OperatorModel.objects.published()),
    ]


@pytest.fixture(scope="module")
def crawl(_shipped_content_once, django_db_blocker):
    """Follow every internal link from / once; remember response, parse result and queries.

    Runs once for the module on the shipped content (tests/conftest.py), inside a savepoint
    that is rolled back afterwards.
    """
    from django.test import Client

    with django_db_blocker.unblock(), transaction.atomic():
        client, pages, queue = Client(), {}, deque(["/"])
        while queue and len(pages) < MAX_PAGES:
            url = queue.popleft()
            if url in pages:
                continue
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if len(queries) > MAX_QUERIES:  # the first page of a type builds lookup tables
                with CaptureQueriesContext(connection) as queries:  # (test_lookups.py)
                    response = client.get(url)
            parser = PageParser()
            parser.feed(response.content.decode())
            pages[url] = (response, parser, len(queries))
            queue.extend(
                target
                for target in (href.split("#")[0] for href in parser.links)
                if internal(target) and target not in pages
            )
        expected = {
            "urls": published_urls(),
            "glossary": [t.slug for t in GlossaryTerm.objects.published()],
        }
        transaction.set_rollback(True)
    return pages, expected


def test_no_internal_link_answers_an_error(crawl):
    pages, _ = crawl
    broken = {url: r.status_code for url, (r, _, _) in pages.items() if r.status_code != 200}
    assert broken == {}


def test_every_published_item_is_reachable_from_the_start_page(crawl):
    pages, expected = crawl
    assert len(expected["urls"]) > 90
    assert [url for url in expected["urls"] if url not in pages] == []


def test_every_glossary_term_has_an_anchor_on_the_glossary_page(crawl):
    pages, expected = crawl
    anchors = pages["/glossar/"][1].ids
    assert len(expected["glossary"]) >= 20
    assert [slug for slug in expected["glossary"] if slug not in anchors] == []


def test_every_page_has_one_h1_a_title_and_a_description(crawl):
    pages, _ = crawl
    for url, (_, parser, _) in pages.items():
        assert parser.h1 == 1, url
        assert parser.title.strip().endswith("– Skalierungsroadmap"), url
        assert parser.description, url


def test_detail_pages_have_unique_titles(crawl):
    pages, _ = crawl
    titles = [p.title for url, (_, p, _) in pages.items() if "?" not in url]
    assert len(titles) == len(set(titles))


def test_every_page_stays_within_the_query_budget(crawl):
    pages, _ = crawl
    over = {url: n for url, (_, _, n) in pages.items() if n > MAX_QUERIES}
    assert over == {}


def test_every_page_stays_below_60_kilobytes(crawl):
    pages, _ = crawl
    heavy = {url: len(r.content) for url, (r, _, _) in pages.items()}
    assert {url: size for url, size in heavy.items() if size > MAX_HTML_BYTES} == {}


def test_no_page_requests_anything_from_another_host(crawl):
    pages, _ = crawl
    for url, (response, _, _) in pages.items():
        html = response.content.decode()
        for attribute in ('src="http', "src='http", 'href="//', "url(http"):
            assert attribute not in html, url
        assert '<link rel="stylesheet" href="http' not in html, url
