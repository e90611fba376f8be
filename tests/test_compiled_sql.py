"""Queries compiled once and run with new values (core/compiled_sql.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import lookups
from core.compiled_sql import CompiledValuesQuery, instance_from_row
from core.publishing import Status
from phases.models import Criterion, Milestone, Phase
from tests import factories


def criteria_titled(title):
    return (
        Criterion.objects.public()
        .filter(title=title)
        .order_by("pk")
        .values("pk", "slug", "title", "phase__slug", "created_at")
    )


@pytest.fixture
def two_criteria(db):
    phase = factories.phase(slug="pilot", name="Pilot", number="2")
    return [factories.criterion(phase, title=title) for title in ("Alpha", "Beta")]


def test_compiled_rows_equal_the_orm_rows_for_every_value(two_criteria):
    query = CompiledValuesQuery(criteria_titled)
    for title in ("Alpha", "Beta", "Gamma"):
        assert query.rows(title) == list(criteria_titled(title))


def test_sql_is_compiled_once_and_each_run_is_one_query(two_criteria):
    built = []
    query = CompiledValuesQuery(lambda title: built.append(title) or criteria_titled(title))
    query.rows("Alpha")
    with CaptureQueriesContext(connection) as queries:
        assert [row["title"] for row in query.rows("Beta")] == ["Beta"]
    assert len(built) == 1
    assert len(queries) == 1


def test_limit_and_offset_page_through_the_rows(two_criteria):
    query = CompiledValuesQuery(
        lambda status: Criterion.objects.filter(status=status).order_by("title").values("title")
    )
    assert query.rows(Status.PUBLISHED, limit=1) == [{"title": "Alpha"}]
    assert query.rows(Status.PUBLISHED, limit=5, offset=1) == [{"title": "Beta"}]


def test_sql_compiled_with_lookup_tables_on_holds_for_later_content(two_criteria):
    # In a request with lookup tables, the visibility rule would be a list of today's public
    # phases; compiled SQL outlives the content state, so it must keep the rule in SQL.
    lookups.activate()
    try:
        query = CompiledValuesQuery(criteria_titled)
        assert query.rows("Gamma") == []
        late = factories.criterion(factories.phase(slug="spaeter"), title="Gamma")
        assert [row["pk"] for row in query.rows("Gamma")] == [late.pk]
        Phase.objects.filter(slug="spaeter").update(status=Status.DRAFT)
        lookups.bump()
        assert query.rows("Gamma") == []
    finally:
        lookups.deactivate()


def test_a_placeholder_changed_by_a_lookup_is_refused_when_compiling(db):
    query = CompiledValuesQuery(
        lambda word: Criterion.objects.filter(title__icontains=word).values("pk")
    )
    with pytest.raises(ValueError, match="changed a placeholder"):
        query.rows("Alpha")


def test_a_placeholder_the_sql_does_not_use_is_refused_when_compiling(db):
    query = CompiledValuesQuery(lambda word: Criterion.objects.values("pk"))
    with pytest.raises(ValueError, match="not among the parameters"):
        query.rows("Alpha")


def test_an_instance_from_a_row_answers_its_methods_without_queries(two_criteria):
    row = criteria_titled("Alpha").values("pk", "slug", "title", "phase__number", "phase__name")[0]
    with CaptureQueriesContext(connection) as queries:
        criterion = instance_from_row(Criterion, row)
        assert criterion.get_absolute_url() == two_criteria[0].get_absolute_url()
        assert str(criterion.phase) == "2 Pilot"
        assert criterion.pk == two_criteria[0].pk
    assert len(queries) == 0
    assert criterion.get_deferred_fields() >= {"summary", "body"}


def test_an_instance_from_a_row_without_a_related_row_has_none(db):
    phase = factories.phase()
    row = Phase.objects.filter(pk=phase.pk).values("pk", "parent", "parent__slug")[0]
    with CaptureQueriesContext(connection) as queries:
        assert instance_from_row(Phase, row).parent is None
    assert len(queries) == 0


def test_an_instance_from_a_row_keeps_related_keys(db):
    milestone = factories.milestone(factories.phase(slug="betrieb"), slug="start")
    row = Milestone.objects.filter(pk=milestone.pk).values("pk", "slug", "phase", "phase__slug")[0]
    built = instance_from_row(Milestone, row)
    assert built.phase_id == milestone.phase_id
    assert built.get_absolute_url() == milestone.get_absolute_url()


def test_instance_gives_the_one_row_as_an_object_or_none(two_criteria):
    query = CompiledValuesQuery(
        lambda status: Criterion.objects.filter(status=status).values("pk", "slug", "title")
    )
    by_title = CompiledValuesQuery(criteria_titled)
    assert by_title.instance("Alpha").pk == two_criteria[0].pk
    assert by_title.instance("Gamma") is None
    assert query.instance(Status.PUBLISHED) is None  # two rows: not one
