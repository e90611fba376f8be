"""Information pages (Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache) and the footer."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string

from core.publishing import Status
from information.models import INFORMATION_PAGE_SLUGS, Page

pytestmark = pytest.mark.django_db

FIXTURE = str(settings.BASE_DIR / "fixtures" / "11_pages.yaml")
FOOTER_PATHS = ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"]


def make_page(**fields):
    defaults = {
        "title": "Impressum",
        "slug": "impressum",
        "lead": "Wer diese Website herausgibt.",
        "body": "## Herausgeberin\n\n[Name der herausgebenden Stelle]",
        "status": Status.PUBLISHED,
    }
    return Page.objects.create(**(defaults | fields))


@pytest.fixture
def fixture_pages(db):
    call_command("loaddata", FIXTURE, verbosity=0)
    return {page.slug: page for page in Page.objects.all()}


def h1s(html):
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


def test_each_fixture_page_renders_in_german_with_exactly_one_heading(client, fixture_pages):
    assert set(fixture_pages) == set(INFORMATION_PAGE_SLUGS)
    for page in fixture_pages.values():
        response = client.get(page.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200, page.slug
        assert h1s(html) == [page.title]
        assert f"<title>{page.title} – Skalierungsroadmap</title>" in html
        assert '<html lang="de">' in html
        assert response["Content-Language"] == "de"
        assert f'<li aria-current="page">{page.title}</li>' in html


def test_page_shows_lead_as_description_and_body_as_sanitized_markdown(client, db):
    make_page(body="## Kontakt\n\nSchreiben Sie uns.\n\n<script>alert(1)</script>")
    html = client.get("/impressum/").content.decode()
    assert '<p class="lead">Wer diese Website herausgibt.</p>' in html
    assert '<meta name="description" content="Wer diese Website herausgibt.">' in html
    assert "<h2>Kontakt</h2>" in html
    assert "<script>alert(1)</script>" not in html


def test_draft_page_is_not_found(client, db):
    make_page(status=Status.DRAFT)
    response = client.get("/impressum/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_fixed_address_without_a_page_is_not_found(client, db):
    assert client.get("/leichte-sprache/").status_code == 404


def test_unknown_top_level_address_is_not_found(client, db):
    make_page(slug="irgendwas")  # even a stored page gets no address of its own
    assert client.get("/irgendwas/").status_code == 404


def test_page_under_an_address_without_route_is_rejected_with_a_german_message(db):
    page = Page(title="Über uns", slug="ueber-uns", body="Text.")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "Möglich sind: impressum, datenschutz" in str(error.value.message_dict["slug"])


def test_page_knows_its_address_and_name(db):
    page = make_page(slug="datenschutz", title="Datenschutz")
    assert page.get_absolute_url() == "/datenschutz/"
    assert str(page) == "Datenschutz"
    assert Page.objects.get_by_natural_key("datenschutz") == page
    assert page.natural_key() == ("datenschutz",)


def test_page_view_needs_few_queries(client, django_assert_max_num_queries, db):
    make_page()
    with django_assert_max_num_queries(2):
        assert client.get("/impressum/").status_code == 200


def test_footer_links_the_four_pages_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("includes/footer.html")
    for path in FOOTER_PATHS:
        assert f'href="{path}"' in html
    assert "<footer" not in html  # base.html provides the <footer> around it


def test_footer_links_appear_on_the_start_page_and_all_answer(client, fixture_pages):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    for path in FOOTER_PATHS:
        assert f'href="{path}"' in footer
        assert client.get(path).status_code == 200, path


def test_visitors_get_no_cookies_as_the_privacy_statement_promises(client, fixture_pages):
    for path in ["/", "/datenschutz/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, path


def test_fixture_loads_twice_without_duplicates_all_published_and_in_the_footer(fixture_pages):
    call_command("loaddata", FIXTURE, verbosity=0)
    assert Page.objects.count() == 4
    assert Page.objects.published().filter(show_in_footer=True).count() == 4
    for page in Page.objects.all():
        page.full_clean()


def test_impressum_marks_every_operator_detail_as_a_placeholder(fixture_pages):
    body = fixture_pages["impressum"].body
    assert "[Name der herausgebenden Stelle]" in body
    assert "[E-Mail-Adresse der herausgebenden Stelle]" in body
    assert "Platzhalter" in body
    assert not re.search(r"\b\d{5}\b", body)  # no invented postcode


def test_privacy_page_states_cookies_tracking_logs_and_rights(fixture_pages):
    body = fixture_pages["datenschutz"].body
    for phrase in ["keine Cookies", "kein Tracking", "eigenen Server", "Protokolldateien",
                   "Sitzungscookie", "Art. 15 DSGVO", "Art. 77 DSGVO"]:  # fmt: skip
        assert phrase in body, phrase


def test_accessibility_statement_has_the_parts_bitv_asks_for(fixture_pages):
    body = fixture_pages["barrierefreiheit"].body
    for phrase in ["BITV 2.0", "WCAG", "2.1", "teilweise vereinbar", "Nicht barrierefreie Inhalte",
                   "Barrieren melden", "Schlichtung", "erstellt"]:  # fmt: skip
        assert phrase in body, phrase


def test_easy_language_page_uses_short_main_clauses(fixture_pages):
    body = fixture_pages["leichte-sprache"].body
    text = re.sub(r"^#+ .*$|\[|\]\([^)]*\)", "", body, flags=re.M)
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]
    assert len(sentences) >= 40
    assert max(len(s.split()) for s in sentences) <= 12
    assert not re.search(r"\b(dass|weil|obwohl|damit|nachdem|welche[rs]?)\b", text, re.I)
    assert "Eine Kommune ist eine Stadt oder ein Dorf." in body
