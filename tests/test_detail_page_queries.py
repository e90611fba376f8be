"""The own row of criterion and example pages (compiled once per process) and the keys of
their links in one query (core/link_keys.py)."""

import pytest

from core import lookups
from core.link_keys import related_keys
from core.publishing import Status
from examples import example_page
from phases import criterion_page
from phases.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_compilation():
    criterion_page._PUBLIC_CRITERION._compiled.clear()
    yield
    criterion_page._PUBLIC_CRITERION._compiled.clear()
    lookups.deactivate()


def test_the_compiled_row_query_keeps_the_rule_for_every_later_slug(roadmap):
    hidden_phase = factories.phase(status=Status.DRAFT)
    factories.criterion(hidden_phase, title="Versteckt", slug="versteckt")
    factories.criterion(roadmap["first"], title="Entwurf", slug="entwurf", status=Status.DRAFT)
    found = criterion_page.public_criterion("problemanalyse")
    assert found == roadmap["criterion"] and found.title == "Problemanalyse"
    for slug in ("versteckt", "entwurf", "gibt-es-nicht"):
        assert criterion_page.public_criterion(slug) is None


def test_compiled_inside_a_request_with_lookup_tables_the_rule_stays_in_sql(roadmap):
    # There ``public_q`` would be a key list of one content state, which must never be kept.
    lookups.activate()
    assert criterion_page.public_criterion("problemanalyse") is not None
    assert lookups.is_active()
    sql, *_ = criterion_page._PUBLIC_CRITERION.compiled()
    assert "EXISTS" in sql


def test_the_row_holds_the_page_columns_and_the_stored_html_as_safe_text(
    roadmap, django_assert_num_queries
):
    criterion = criterion_page.public_criterion("problemanalyse")
    with django_assert_num_queries(0):
        assert criterion.phase_id == roadmap["first"].pk and criterion.status == Status.PUBLISHED
        assert hasattr(criterion.body_html, "__html__")
    assert criterion.get_deferred_fields() >= {"body", "search_vector"}


def test_an_example_in_a_draft_phase_has_no_public_row(roadmap):
    example = factories.example(factories.phase(status=Status.DRAFT))
    assert example_page.public_example(example.slug) is None
    shown = factories.example(roadmap["first"])
    assert example_page.public_example(shown.slug) == shown


def test_related_keys_reads_declared_and_reverse_links_in_one_query(
    roadmap, django_assert_num_queries
):
    criterion = roadmap["criterion"]
    example = factories.example(roadmap["first"])
    example.criteria.add(criterion)
    criterion.milestones.add(roadmap["milestone"])
    with django_assert_num_queries(1):
        keys = related_keys(Criterion, criterion.pk, ("workstreams", "milestones", "examples"))
    assert keys == {
        "workstreams": [roadmap["economic"].pk],
        "milestones": [roadmap["milestone"].pk],
        "examples": [example.pk],
    }
