"""In-process render time and query count per page type, in seconds instead of minutes.

    .venv/bin/python scripts/profile_page.py               # db.sqlite3 (after `make setup`)
    DATABASE_URL=postgres://… .venv/bin/python scripts/profile_page.py --runs 50

Renders each page with Django's test client in this process – no HTTP, no gunicorn, no page
cache (switched off here), debug off – on the configured database with the loaded content.
Prints the median and the fastest run in milliseconds and the number of SQL queries of one
request. Use it before and after a change to the render path; `make bench` measures the whole
stack under load. Static file names come from the plain storage, not the manifest (no
collectstatic needed), which costs slightly less than production.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def page_types():
    """(name, path) of every page type, with real slugs from the database."""
    from django.db.models import Count

    from examples.models import PracticeExample
    from phases.models import Criterion, Phase

    phase = Phase.objects.published().filter(slug="pilotphase").first()
    phase = phase or Phase.objects.published().first()
    if phase is None:
        raise SystemExit(
            "Keine veröffentlichten Inhalte in der Datenbank: bitte zuerst "
            "`manage.py migrate` und `manage.py load_content` ausführen."
        )
    # The criterion with the most cross-references: the heaviest criterion page.
    criterion = (
        Criterion.objects.published()
        .annotate(references=Count("references_out"))
        .order_by("-references", "pk")
        .first()
    )
    example = PracticeExample.objects.published().order_by("pk").first()
    pages = [
        ("Basis /health/", "/health/"),
        ("Startseite", "/"),
        ("Phasenseite", phase.get_absolute_url()),
        ("Explorer, 2 Filter", f"/kriterien/?phase={phase.slug}&arbeitsstrang=technisch"),
        ("Suche", "/suche/?q=Betreibermodell"),
        ("Praxisbeispiele", "/beispiele/"),
    ]
    if criterion:
        pages.append(("Kriterienseite", criterion.get_absolute_url()))
    if example:
        pages.append(("Praxisbeispiel", example.get_absolute_url()))
    return pages


def profile(client, path, runs, clock=time.perf_counter, after_change=False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import lookups

    # As if an editor had just saved: the lookup tables of the old content state are void.
    prepare = lookups.bump if after_change else lambda: None
    for _ in range(3):  # warm: templates, URL resolver, connection
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: Status {response.status_code}")
    times = []
    for _ in range(runs):
        prepare()
        started = clock()
        client.get(path)
        times.append((clock() - started) * 1000)
    prepare()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return {
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "queries": len(queries),
        "kib": len(response.content) / 1024,
    }


def setup_django():
    """Django with debug off, no page cache and plain static file names (no collectstatic)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmap.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    import django
    from django.conf import settings

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    django.setup()
    settings.PAGE_CACHE_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="Anfragen je Seite (Standard 30)")
    parser.add_argument("--json", help="Ergebnis zusätzlich als JSON in diese Datei")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="CPU-Zeit dieses Prozesses statt Uhrzeit messen: stabiler, wenn andere Prozesse "
        "die Maschine auslasten (ohne die Zeit im Datenbankserver)",
    )
    parser.add_argument(
        "--nach-aenderung",
        action="store_true",
        help="jede Anfrage als erste nach einer Änderung in der Redaktion: die "
        "Nachschlagetabellen (core/lookups.py) werden vorher verworfen",
    )
    args = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test import Client

    client = Client()
    results = {}
    clock = time.process_time if args.cpu else time.perf_counter
    kind = "CPU-Zeit des Prozesses" if args.cpu else "Uhrzeit"
    if args.nach_aenderung:
        kind += ", jede Anfrage die erste nach einer Änderung"
    database = connection.vendor
    if database == "postgresql":  # the setting changes the search by a third (docs/performance.md)
        prepared = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
        database += ", Prepared Statements " + ("an" if prepared else "aus")
    print(f"{database}, {args.runs} Anfragen je Seite, im Prozess (ohne HTTP), {kind}:\n")
    print(
        f"{'Seite':<22} {'Median ms':>10} {'schnellste':>10} {'Abfragen':>9} {'KiB':>7}", flush=True
    )
    for name, path in page_types():
        result = profile(client, path, args.runs, clock, args.nach_aenderung)
        results[name] = {"path": path, **result}
        print(
            f"{name:<22} {result['median_ms']:>10.1f} {result['min_ms']:>10.1f} "
            f"{result['queries']:>9} {result['kib']:>7.0f}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
