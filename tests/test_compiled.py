"""core/compiled.py: a detail page's row by slug, with SQL composed once per process."""

import pytest

from core import compiled, lookups
from core.publishing import Status
from phases.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_composition():
    compiled._composed.clear()
    yield
    compiled._composed.clear()
    lookups.deactivate()


def public_criteria():
    return Criterion.objects.public().only("title", "slug", "status")


def test_the_composed_query_keeps_the_rule_for_every_later_slug(roadmap):
    hidden_phase = factories.phase(status=Status.DRAFT)
    factories.criterion(hidden_phase, title="Versteckt", slug="versteckt")
    factories.criterion(roadmap["first"], title="Entwurf", slug="entwurf", status=Status.DRAFT)
    found = compiled.row_by_slug("probe", public_criteria, "problemanalyse")
    assert found == roadmap["criterion"] and found.title == "Problemanalyse"
    for slug in ("versteckt", "entwurf", "gibt-es-nicht"):
        assert compiled.row_by_slug("probe", public_criteria, slug) is None


def test_the_query_is_composed_once_and_then_only_executed(roadmap, django_assert_num_queries):
    calls = []

    def build():
        calls.append(1)
        return public_criteria()

    compiled.row_by_slug("probe", build, "problemanalyse")
    with django_assert_num_queries(1):
        assert compiled.row_by_slug("probe", build, "problemanalyse") == roadmap["criterion"]
    assert len(calls) == 1


def test_composed_inside_a_request_with_lookup_tables_the_rule_stays_in_sql(roadmap):
    # There ``public_q`` would be a key list of one content state, which must never be kept.
    lookups.activate()
    assert compiled.row_by_slug("probe", public_criteria, "problemanalyse") is not None
    assert lookups.is_active()
    ((_, sql, _, _),) = compiled._composed.values()
    assert "EXISTS" in sql
