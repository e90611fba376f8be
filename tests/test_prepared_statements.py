"""DJANGO_DB_PREPARED_STATEMENTS: server-side binding and prepared statements on PostgreSQL.

On by default with persistent connections, off with DJANGO_CONN_MAX_AGE=0 (behind PgBouncer in
transaction mode, docs/betrieb.md). The switch must change nothing a visitor sees: the pages
are rendered with and without it and compared byte for byte (on PostgreSQL, where the switch
exists), within the query budgets.
"""

import pytest
from django.db import connection

from tests import factories
from tests.subprocess_helpers import run_code

# Only the two prepared-statement options: the others (timeouts) are tested elsewhere.
READ_OPTIONS = (
    "import roadmap.settings as s; o = s.DATABASES['default'].get('OPTIONS', {}); "
    "print({k: o[k] for k in ('server_side_binding', 'prepare_threshold') if k in o})"
)
PG_URL = "postgres://u:p@127.0.0.1:5432/roadmap"
PAGES = {  # page -> query budget
    "/phasen/ideenfindung/": 7,  # as tests/test_pages.py: with templates and sources
    "/kriterien/problemanalyse/": 3,
    "/kriterien/?phase=ideenfindung&arbeitsstrang=wirtschaftlich": 3,
    "/suche/?q=Problemanalyse": 8,
    "/": 2,
}


def database_options(**env):
    # Unset (empty) unless a test sets them: the defaults are under test, not this shell's.
    env = {"DJANGO_DB_PREPARED_STATEMENTS": "", "DJANGO_CONN_MAX_AGE": "", **env}
    result = run_code(READ_OPTIONS, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


ON = "{'server_side_binding': True, 'prepare_threshold': 5}"


def test_postgresql_prepares_statements_by_default_with_persistent_connections():
    assert database_options(DATABASE_URL=PG_URL) == ON
    assert database_options(DATABASE_URL=PG_URL, DJANGO_CONN_MAX_AGE="600") == ON


def test_postgresql_does_not_prepare_statements_without_persistent_connections():
    # DJANGO_CONN_MAX_AGE=0 is what docs/betrieb.md asks for behind PgBouncer.
    assert database_options(DATABASE_URL=PG_URL, DJANGO_CONN_MAX_AGE="0") == "{}"


def test_the_switch_decides_explicitly_either_way():
    switched_off = database_options(DATABASE_URL=PG_URL, DJANGO_DB_PREPARED_STATEMENTS="0")
    assert switched_off == "{}"
    switched_on = database_options(
        DATABASE_URL=PG_URL, DJANGO_CONN_MAX_AGE="0", DJANGO_DB_PREPARED_STATEMENTS="1"
    )
    assert switched_on == ON


def test_the_switch_is_ignored_on_sqlite():
    assert database_options(DJANGO_DB_PREPARED_STATEMENTS="1") == "{}"


def render(client, assert_max_queries):
    pages = {}
    for url, budget in PAGES.items():
        client.get(url)  # a first request may build lookup tables (core/lookups.py)
        with assert_max_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


@pytest.mark.django_db(transaction=True)
def test_pages_are_identical_with_prepared_statements(client, django_assert_max_num_queries):
    first = factories.phase(name="Ideenfindung", slug="ideenfindung", number="P1", order=1)
    other = factories.phase(name="Pilotphase", slug="pilotphase", number="P3", order=3)
    economic = factories.workstream(name="Wirtschaftlich", slug="wirtschaftlich", label="WIR")
    criterion = factories.criterion(
        first, [economic], title="Problemanalyse", slug="problemanalyse"
    )
    factories.cross_reference(criterion, target_phase=other)
    neighbour = factories.criterion(other, [economic], title="Betrieb", slug="betrieb")
    factories.cross_reference(neighbour, target_criterion=criterion)
    options = connection.settings_dict.setdefault("OPTIONS", {})
    switched = {
        key: options.pop(key)
        for key in ("server_side_binding", "prepare_threshold")
        if key in options
    }  # as configured for this run, restored at the end
    connection.close()
    try:
        before = render(client, django_assert_max_num_queries)
        if connection.vendor != "postgresql":
            # The switch exists for PostgreSQL only; here a fresh connection must change nothing.
            connection.close()
            assert render(client, django_assert_max_num_queries) == before
            return
        options.update(server_side_binding=True, prepare_threshold=5)
        connection.close()
        for _ in range(6):  # psycopg prepares a query after its 5th execution
            assert render(client, django_assert_max_num_queries) == before
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] > 0
    finally:
        options.pop("server_side_binding", None)
        options.pop("prepare_threshold", None)
        options.update(switched)
        connection.close()
