"""Committed data for a live server in a test module, and putting everything back afterwards.

Used by the browser fixtures (tests/browser.py) and the nginx cache test: both commit their
data so the server thread sees it, and both must leave the test database and the caches as
they found them.
"""

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection


def assert_test_database():
    """Flushing must only ever empty a test database, never a developer's db.sqlite3.

    pytest-django creates the test database only if a collected test asks for one, which is
    why the browser and nginx test modules carry ``pytestmark = pytest.mark.django_db``.
    """
    name = str(connection.settings_dict["NAME"])
    assert name.startswith("test_") or "mode=memory" in name, f"not a test database: {name}"


def restore_database(snapshot):
    """Empty the database and reload a ``serialize_db_to_string()`` snapshot into it."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(snapshot)


def clear_caches():
    for cache in caches.all():
        cache.clear()
