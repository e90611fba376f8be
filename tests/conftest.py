import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from editorial.editorial_groups import CHEFREDAKTION, REDAKTION
from tests import factories
from tests.admin_helpers import editor, logged_in

# Tests that use these fixtures get a marker, so `make test-fast` can leave them out
# (`-m "not browser and not services and not slow"`); `make test` runs everything.
BROWSER_FIXTURES = {"live_site", "browser", "browser_context", "page"}
SERVICE_FIXTURES = {"redis_server", "live_server", "nginx_server", "gunicorn_server"}


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    # Before the other implementations: `-m` deselection needs the markers.
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & SERVICE_FIXTURES:
            item.add_marker(pytest.mark.services)
    yield
    # After them (pytest-django sorts database tests in Django's order): the shipped content
    # stays in an open transaction from its first user to the end of the session (see
    # `shipped_content`), so its users run last and no other test ever sees those rows. The sort
    # is stable, and pytest-xdist hands each worker its tests in this order.
    items.sort(key=lambda item: "_shipped_content_once" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Test users are created and logged in by the hundred; the production hasher is slow on
    purpose (about a second per password on this machine), MD5 is instant."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def _shipped_content_once(django_db_setup, django_db_blocker):
    """Loads fixtures/ once per session (per xdist worker) inside a transaction that is rolled
    back when the session ends. Loading takes several seconds; tests that only read the real
    content, or change it and let their own transaction roll back, share this one load."""
    from workspace.content import load_content

    with django_db_blocker.unblock():
        session_transaction = transaction.atomic()
        session_transaction.__enter__()
        load_content()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        session_transaction.__exit__(None, None, None)


@pytest.fixture
def shipped_content(_shipped_content_once, db):
    """The real, shipped content as `make run` loads it. Each test runs in its own savepoint,
    so what a test changes is gone for the next one. Not for tests with `transaction=True`."""


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


# --- Caches ----------------------------------------------------------------------------------


@pytest.fixture
def empty_cache():
    """The default cache (rate-limit counters, page cache) empty before and after the test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on, on a fresh memory cache."""
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        }
    }
    cache.clear()
    yield settings
    cache.clear()
