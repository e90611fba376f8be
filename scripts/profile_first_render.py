"""The first render of each page type after a process start (cold caches), in-process.

    .venv/bin/python scripts/profile_first_render.py              # db.sqlite3, 9 fresh processes
    DATABASE_URL=postgres://… .venv/bin/python scripts/profile_first_render.py --processes 15

``scripts/profile_page.py`` measures warm pages; this one starts a fresh Python process per
round (as after a gunicorn restart or worker recycling), requests ``/health/`` once so that
Django itself is loaded, then each page type twice: the first request pays for everything a
process computes once (templates, memoised Markdown and snippets), the second is warm. Prints
the median of both per page over all rounds.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXTRA_PAGES = [
    ("Glossar", "/glossar/"),
    ("Einführung", "/einfuehrung/"),
    ("Ressourcen", "/ressourcen/"),
]


def one_round():
    """Runs in the fresh child process; prints {page: [first ms, second ms]} as JSON."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import profile_page

    profile_page.setup_django()
    from django.test import Client

    client = Client()
    client.get("/health/")
    result = {}
    for name, path in profile_page.page_types() + EXTRA_PAGES:
        times = []
        for _ in range(2):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: Status {response.status_code}")
        result[name] = times
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=9, help="frische Prozesse (Standard 9)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        one_round()
        return
    rounds = [
        json.loads(
            subprocess.run(
                [sys.executable, __file__, "--child"], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(args.processes)
    ]
    print(f"{args.processes} frische Prozesse, Median in ms:\n")
    print(f"{'Seite':<22} {'erste Anfrage':>14} {'zweite':>8}")
    for name in rounds[0]:
        first = statistics.median(round_[name][0] for round_ in rounds)
        second = statistics.median(round_[name][1] for round_ in rounds)
        print(f"{name:<22} {first:>14.1f} {second:>8.1f}")


if __name__ == "__main__":
    main()
