"""core/links.py: addresses built from one reversed pattern equal reverse()'s."""

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from core.links import slug_url

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
