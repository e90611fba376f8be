from django.conf import settings

from tests.subprocess_helpers import run_code

IMPORT_SETTINGS = "import roadmap.settings as s; print(s.DATABASES['default']['ENGINE'])"


def _import_settings(**env):
    return run_code(IMPORT_SETTINGS, env=env)


def test_development_defaults_to_sqlite_without_any_configuration():
    result = _import_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql():
    result = _import_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/roadmap")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_language_and_time_zone_are_german():
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"


GUNICORN_CONFIG = (
    "import runpy; c = runpy.run_path('deploy/gunicorn.conf.py'); "
    "print(c['workers'], c['threads'], c['worker_class'])"
)


def _gunicorn_config(**env):
    """(workers, threads, worker class) that deploy/gunicorn.conf.py sets for ``env``."""
    result = run_code(GUNICORN_CONFIG, unset=("WEB_CONCURRENCY", "GUNICORN_"), env=env)
    assert result.returncode == 0, result.stderr
    workers, threads, worker_class = result.stdout.split()
    return int(workers), int(threads), worker_class


def test_gunicorn_runs_two_sync_workers_by_default():
    # Threads of one process take turns on the GIL: 2 × 4 threads served uncached pages at
    # half the rate of 2 sync workers (docs/performance.md).
    assert _gunicorn_config() == (2, 1, "sync")


def test_gunicorn_switches_to_threaded_workers_when_threads_are_configured():
    assert _gunicorn_config(WEB_CONCURRENCY="3", GUNICORN_THREADS="2") == (3, 2, "gthread")
