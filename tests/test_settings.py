import os
import subprocess
import sys

from django.conf import settings

IMPORT_SETTINGS = "import roadmap.settings as s; print(s.DATABASES['default']['ENGINE'])"


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", IMPORT_SETTINGS],
        env=clean | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


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
