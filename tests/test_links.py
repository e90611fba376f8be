"""core/links.py: addresses built from one reversed pattern equal reverse()'s."""

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from core.links import fixed_url, slug_url

VIEWS = [
    "phases:phase-detail",
    "phases:criterion-detail",
    "phases:operator-model-detail",
    "examples:example-detail",
]


@pytest.mark.parametrize("viewname", VIEWS)
def test_slug_url_equals_reverse(viewname):
    assert slug_url(viewname, "offene-standards_2") == reverse(
        viewname, kwargs={"slug": "offene-standards_2"}
    )


@pytest.mark.parametrize("viewname", VIEWS)
def test_slug_url_keeps_the_script_prefix_of_an_installation_below_a_path(viewname):
    slug_url(viewname, "vorher")  # pattern computed without a prefix
    with override_script_prefix("/roadmap/"):
        assert slug_url(viewname, "pilot") == reverse(viewname, kwargs={"slug": "pilot"})
        assert slug_url(viewname, "pilot").startswith("/roadmap/")


FIXED = [("home", ()), ("phases:criterion-list", ()), ("page", ("impressum",))]


@pytest.mark.parametrize(("viewname", "args"), FIXED)
def test_fixed_url_equals_reverse_also_below_a_path(viewname, args):
    assert fixed_url(viewname, *args) == reverse(viewname, args=args)
    with override_script_prefix("/roadmap/"):
        assert fixed_url(viewname, *args) == reverse(viewname, args=args)
        assert fixed_url(viewname, *args).startswith("/roadmap/")


def test_the_page_frame_links_below_a_path_and_marks_the_current_page(client, roadmap):
    client.get("/kriterien/")  # links reversed without a prefix first
    with override_script_prefix("/roadmap/"):  # as the WSGI handler sets it from SCRIPT_NAME
        html = client.get("/kriterien/").content.decode()
    assert '<a class="site-header__brand" href="/roadmap/">' in html
    assert '<a href="/roadmap/kriterien/" aria-current="page">Kriterien</a>' in html
    assert '<a href="/roadmap/impressum/">Impressum</a>' in html
    assert '<a href="/roadmap/glossar/">Glossar</a>' in html  # not the current page
