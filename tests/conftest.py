import pytest

from editorial.editorial_groups import CHEFREDAKTION, REDAKTION
from tests import factories
from tests.admin_helpers import editor, logged_in

# Tests that use these fixtures get a marker, so `make test-fast` can leave them out
# (`-m "not browser and not services and not slow"`); `make test` runs everything.
BROWSER_FIXTURES = {"live_site", "browser", "browser_context", "page"}
SERVICE_FIXTURES = {"redis_server", "live_server", "nginx_server", "gunicorn_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & SERVICE_FIXTURES:
            item.add_marker(pytest.mark.services)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite test databases live in memory with a shared cache, where a lock held by one
    connection fails the other at once (no busy timeout). Immediate transactions
    (roadmap/settings.py, for file databases) would then only add such failures between the
    live server's threads, so the in-memory test database uses plain ones."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"].endswith("sqlite3"):
            database.get("OPTIONS", {}).pop("transaction_mode", None)


@pytest.fixture
def roadmap(db):
    """A small published roadmap: two phase groups, two workstreams, criteria, milestones."""
    first = factories.phase(name="Ideenfindung", slug="ideenfindung", number="P1", order=1)
    second = factories.phase(name="Pilotphase", slug="pilotphase", number="P3", order=3)
    economic = factories.workstream(name="Wirtschaftlich", slug="wirtschaftlich", label="WIR")
    technical = factories.workstream(name="Technisch", slug="technisch", label="TEC")
    return {
        "first": first,
        "second": second,
        "economic": economic,
        "technical": technical,
        "criterion": factories.criterion(
            first, [economic], title="Problemanalyse", slug="problemanalyse"
        ),
        "milestone": factories.milestone(first, title="Bedarf belegt", slug="bedarf-belegt"),
    }


# --- Editors (logged-in test clients) ---------------------------------------------------------


@pytest.fixture
def redaktion(django_user_model):
    """A client logged in as a member of "Redaktion" (no publish permission)."""
    return logged_in(editor(django_user_model, "redakteur", REDAKTION))


@pytest.fixture
def chefredaktion(django_user_model):
    """A client logged in as a member of "Chefredaktion" (may publish and delete)."""
    return logged_in(editor(django_user_model, "chefin", CHEFREDAKTION, first_name="Clara"))


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as a superuser (operators' view of the admin)."""
    user = django_user_model.objects.create_superuser("redaktion", "r@example.org", "x" * 16)
    client.force_login(user)
    return client
