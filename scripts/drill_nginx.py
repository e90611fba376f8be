"""Drill 4 of make drills: nginx's cache in front never stores a personal or editor page.

Requests each kind of personal page (editor session, admin, Fahrplan with its secret address,
health check) through nginx several times with and without cookies and reads nginx's
X-Cache-Status header; then reads the key of every file in nginx's cache folder and the
pages baked for nginx (core/baking.py). Also used by
tests/test_nginx_cache.py (``cached_keys``).
"""

import re
import time
from urllib.parse import urlsplit

from stack import get

PHASE = "/phasen/pilotphase/"
BYPASS = {"Cookie": "uebung=1"}  # any cookie but the CSRF cookie


def cached_keys(run_dir):
    """The cache keys of every response nginx has written to its cache folder."""
    keys = []
    for file in (run_dir / "cache").rglob("*"):
        if file.is_file():
            head = file.read_bytes()[:4096]
            keys += [line[5:].decode() for line in head.split(b"\n") if line.startswith(b"KEY: ")]
    return keys


def baked_paths(bake_dir):
    """The pages the app has baked for nginx (core/baking.py) below ``bake_dir``'s current
    folder, as sorted relative paths. Also used by tests/test_baking.py and
    tests/test_nginx_baked.py."""
    folder = bake_dir / "current"
    files = [f for f in folder.rglob("*") if f.is_file() and not f.name.startswith(".")]
    return sorted(str(f.relative_to(folder)) for f in files)  # not the marker, no temp files


def new_fahrplan(visitor):
    """A Fahrplan created through nginx as a visitor would; its secret address."""
    page = visitor.request("/fahrplan/neu/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    reply = visitor.request("/fahrplan/neu/", {"csrfmiddlewaretoken": token[1] if token else ""})
    if reply.status != 302:
        raise RuntimeError(f"Fahrplan über nginx nicht angelegt (Status {reply.status}).")
    return urlsplit(reply.headers["location"]).path


def drill_personal_pages(run_dir, nginx, admin, editor, visitor):
    """editor: logged in (drills.Browser); visitor: a fresh drills.Browser on nginx's port.
    Returns (passed, text) for drills.result()."""
    session = {"Cookie": "; ".join(f"{k}={v}" for k, v in editor.cookies.items())}
    fahrplan = new_fahrplan(visitor)
    checks = [  # (what, path, headers, allowed X-Cache-Status values)
        ("Phasenseite mit Sitzung", PHASE, session, {"BYPASS"}),
        ("Glossar mit Sitzung", "/glossar/", session, {"BYPASS"}),
        ("Redaktion mit Sitzung", admin, session, {"BYPASS"}),
        ("Anmeldung", f"{admin}login/", {}, {"MISS"}),
        ("Redaktion ohne Sitzung", admin, {}, {"MISS"}),
        ("Fahrplan", fahrplan, {}, {"MISS"}),
        ("Fahrplan mit Cookie", fahrplan, BYPASS, {"BYPASS"}),
        ("neuer Fahrplan", "/fahrplan/neu/", {}, {"MISS"}),
        ("Health-Check", "/health/", {}, {"MISS"}),
    ]
    wrong = []
    for what, path, headers, allowed in checks:
        for _ in range(3):
            status = get(nginx, path, headers).headers.get("x-cache-status")
            if status not in allowed:
                wrong.append(f"{what}: {status}")
    public = []  # an expired copy is renewed in the background first: STALE, UPDATING, …
    while len(public) < 15 and public[-1:] not in (["HIT"], ["FILE"]):
        public.append(get(nginx, PHASE).headers.get("x-cache-status"))
        time.sleep(0.2)
    personal_paths = ("/fahrplan/", admin, "/health/")
    keys = cached_keys(run_dir)
    stored = [key for key in keys if any(part in key for part in personal_paths)]
    baked = baked_paths(run_dir / "baked")
    personal_files = tuple(path.lstrip("/") for path in personal_paths)
    stored += [path for path in baked if path.startswith(personal_files)]
    passed = not wrong and not stored and public[-1] in ("HIT", "FILE") and keys
    return (
        bool(passed),
        f"Persönliche und Redaktionsseiten im nginx-Cache: {len(checks)} Seitenarten je "
        f"dreimal mit und ohne Cookies, {len(wrong)} falsch"
        + (f" ({'; '.join(wrong[:4])})" if wrong else "")
        + f"; im Cache-Ordner {len(keys)} Einträge und {len(baked)} gebackene Seiten, davon "
        f"{len(stored)} persönliche; "
        f"öffentliche Phasenseite ohne Cookie: {' → '.join(str(s) for s in public)}.",
    )
