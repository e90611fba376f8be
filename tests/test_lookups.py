"""The in-process lookup tables (core/lookups.py): cheap, and never stale."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import lookups
from core.models import ContentGeneration
from core.publishing import Status
from phases.models import Phase
from tests import factories


def token():
    return ContentGeneration.objects.get(pk=1).token


@pytest.fixture
def tables(db):
    """Lookup tables on, as in a view with ``LookupTablesMixin`` (outside a request here)."""
    lookups.activate()
    yield
    lookups.deactivate()


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_saving_content_gives_a_new_token_in_the_same_transaction(db):
    before = token()
    factories.phase(slug="neu")
    assert token() != before


def test_a_rolled_back_change_leaves_the_old_token(db):
    before = token()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.phase(slug="verworfen")
        raise RuntimeError("rollback")
    assert token() == before


def test_tables_are_built_once_per_content_state(tables):
    built = []
    lookups.cached("probe", lambda: built.append(1) or "a")
    assert lookups.cached("probe", lambda: built.append(1) or "b") == "a"
    factories.phase()
    assert lookups.cached("probe", lambda: built.append(1) or "c") == "c"
    assert len(built) == 2


def test_another_process_changing_content_is_seen_with_the_next_request(tables):
    assert lookups.cached("probe", lambda: "alt") == "alt"
    # What a save in another worker process leaves behind: only the row in the database.
    ContentGeneration.objects.filter(pk=1).update(token="anderer-prozess")
    assert lookups.cached("probe", lambda: "neu") == "alt"  # one request, one content state
    lookups.deactivate()  # the next request
    lookups.activate()
    assert lookups.cached("probe", lambda: "neu") == "neu"


def test_without_the_token_row_nothing_is_cached(tables):
    ContentGeneration.objects.all().delete()
    assert lookups.cached("probe", lambda: 1) == 1
    assert lookups.cached("probe", lambda: 2) == 2


def test_unpublishing_a_phase_hides_its_page_with_the_next_request(client, roadmap):
    url = roadmap["first"].get_absolute_url()
    assert client.get(url).status_code == 200
    phase = Phase.objects.get(pk=roadmap["first"].pk)
    phase.status = Status.DRAFT
    phase.save()
    assert client.get(url).status_code == 404
    assert client.get("/").content.decode().count(url) == 0


def test_criterion_of_a_phase_unpublished_in_another_process_disappears(client, roadmap):
    url = roadmap["criterion"].get_absolute_url()
    assert client.get(url).status_code == 200
    # Another process unpublishes the phase and commits: rows and token change, no signal here.
    Phase.objects.filter(pk=roadmap["first"].pk).update(status=Status.DRAFT)
    ContentGeneration.objects.filter(pk=1).update(token="nach-anderem-prozess")
    assert client.get(url).status_code == 404


def test_without_activation_nothing_is_cached_and_no_token_is_read(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert lookups.cached("probe", lambda: 1) == 1
    assert lookups.cached("probe", lambda: 2) == 2


def test_pages_without_the_tables_keep_the_rule_in_sql(client, roadmap):
    with CaptureQueriesContext(connection) as ctx:
        client.get("/sitemap.xml")
    sql = " ".join(query["sql"] for query in ctx.captured_queries)
    assert "core_contentgeneration" not in sql and "EXISTS" in sql


@pytest.mark.parametrize(
    ("url", "lookup_queries"),
    [
        ("/", 1),  # the public phase tree
        # + workstreams, milestones, phase references, the document templates' links (2) and
        # the phase's own lists (phases/phase_page.py: criteria 2, examples, references in,
        # sources), which then cost no query until the next change
        ("/phasen/ideenfindung/", 11),
        # the phase and scaling-driver trees, workstreams, stakeholders, operator models,
        # sources, cross-references; the link rows of criteria, milestones, examples and
        # resources; the document templates' links (2) – then no query for the page's lists
        # until the next change (phases/criterion_page.py)
        ("/kriterien/problemanalyse/", 13),
        # Explorer: the phase tree, workstreams, five filters' options, the filters' links,
        # the criteria's filter keys and their cards (then no query until the next change)
        ("/kriterien/?phase=ideenfindung", 10),
    ],
)
def test_first_request_after_a_change_builds_only_the_small_tables(
    client, roadmap, url, lookup_queries
):
    first = queries(client, url)
    steady = queries(client, url)
    assert first - steady == lookup_queries
