"""Baked pages: public pages written as files that nginx serves without asking the app.

nginx's cache in front (deploy/nginx.conf) answers a cached page at about 70 % of the rate at
which it serves the same bytes from a file: each hit reads and parses the stored response
head. A baked page *is* a file. This is the idea of wagtail-bakery, but on demand and per
content state instead of a full export:

- **Writing.** When ``DJANGO_BAKE_DIR`` is set, an anonymous GET of a public page (the page
  cache's rules, ``core.cache``) that Django answers with a ``text/html`` 200 marked public
  (``core.http_cache``) is also written to ``<dir>/<token>/<path>index.html``; with a query
  string of safe characters to ``index-<query>.html``, at most ``BAKE_MAX_QUERY_PAGES`` per
  process and content state, so random searches cannot fill the disk. ``<token>`` is the
  content token (``core.lookups``) read *before* the page is rendered, so a page can only
  ever land in the folder of its own or an older content state.
- **Serving.** nginx looks for the file below ``<dir>/current``, a symbolic link to the folder
  of the current content state, and asks the app when there is none. Only anonymous GET/HEAD
  requests without cookies (but the CSRF cookie) or credentials see baked pages, exactly those
  nginx's cache may serve. nginx adds the security headers the app would send (a test compares
  both).
- **Invalidation.** ``refresh()`` points ``current`` at the folder of the token in the
  database (a new, empty one after a change) and deletes the others. It runs after every commit
  that changes content in this process, and every ``BAKE_POLL_SECONDS`` in a thread of each
  gunicorn worker, which covers changes saved on other machines or by processes without the
  setting. Until a page is baked again, nginx's cache and the app serve it.
- **Start.** gunicorn empties the folder when it starts (``deploy/gunicorn.conf.py``): a new
  release may render every page differently.

Each machine bakes into its own local folder; nothing is shared between machines.
"""

import fcntl
import logging
import os
import re
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction

from . import cache as page_cache
from . import lookups

logger = logging.getLogger(__name__)

CURRENT = "current"
LOCK = ".lock"
# In each folder of a content state: marks it as made here. Only such folders, ``current`` and
# half-made links are ever removed, so a mistyped DJANGO_BAKE_DIR can never cost other files.
MARKER = ".baked-pages"
# The same rule as the map $roadmap_baked_name in deploy/nginx.conf: no dots, no slashes.
SAFE_QUERY = re.compile(r"[A-Za-z0-9_=&%+-]{1,200}")

# (token, number of query pages this process baked under it)
_query_pages = (None, 0)
_query_pages_lock = threading.Lock()


def bake_dir():
    value = getattr(settings, "BAKE_DIR", "")
    return Path(value) if value else None


def is_enabled():
    return bake_dir() is not None


def file_name(request):
    """The file a request's page is baked to, relative to a token's folder; None if it is
    not bakeable (no trailing slash, a query string nginx would not map to a file)."""
    path = request.path
    if not path.endswith("/") or "\x00" in path or "/../" in path or "/./" in path:
        return None
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return path.lstrip("/") + "index.html"
    if not SAFE_QUERY.fullmatch(query):
        return None
    return path.lstrip("/") + f"index-{query}.html"


def current_token_on_disk(root):
    try:
        return os.readlink(root / CURRENT)
    except OSError:
        return None


def _count_query_page(token):
    """True if this process may bake one more query page under ``token``."""
    global _query_pages
    with _query_pages_lock:
        counted_under, count = _query_pages
        if counted_under != token:
            count = 0
        if count >= getattr(settings, "BAKE_MAX_QUERY_PAGES", 1000):
            return False
        _query_pages = (token, count + 1)
        return True


def write(root, token, name, content):
    """Write atomically: nginx sees the old file or the complete new one, never a part."""
    target = root / token / name
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".bake-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, 0o644)  # nginx's workers run as another user
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class BakeMiddleware:
    """Outside the cache headers (roadmap/settings.py): it bakes exactly what they mark public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        root = bake_dir()
        if root is None or request.method != "GET" or not page_cache.is_cacheable_page(request):
            return self.get_response(request)
        name = file_name(request)
        token = lookups.read_token() if name else None  # before rendering: see the docstring
        if not token or not self._is_current(root, token) or (root / token / name).exists():
            return self.get_response(request)
        # Render in full: nginx revalidating its copy would otherwise get a 304 and the page
        # would never be baked; and not from the page cache, whose entry may predate the token.
        request.META.pop("HTTP_IF_NONE_MATCH", None)
        setattr(request, page_cache.FRESH_ATTRIBUTE, True)
        response = self.get_response(request)
        if self._bakeable(response) and self._within_budget(request, token):
            try:
                write(root, token, name, response.content)
            except OSError as exc:  # a full or read-only disk must not break the page
                logger.warning("Could not bake %s: %s", request.path, exc)
        return response

    @staticmethod
    def _is_current(root, token):
        if current_token_on_disk(root) != token:
            _refresh_quietly()  # this request noticed a change before the watcher did
        return current_token_on_disk(root) == token

    @staticmethod
    def _bakeable(response):
        cache_control = response.get("Cache-Control", "")
        return (
            page_cache.is_storable(response)
            and cache_control.startswith("public")
            and response.get("Content-Type", "").startswith("text/html")
        )

    @staticmethod
    def _within_budget(request, token):
        return not request.META.get("QUERY_STRING") or _count_query_page(token)


# --- Switching to the current content state ---------------------------------------------------


@contextmanager
def _locked(root):
    root.mkdir(parents=True, exist_ok=True, mode=0o755)
    with open(root / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def refresh():
    """Point ``current`` at the folder of the content token in the database; remove the
    folders of other content states. Reading and switching happen under a file lock, so
    processes on one machine switch in the order in which they read."""
    root = bake_dir()
    if root is None:
        return
    with _locked(root):
        token = lookups.read_token()
        if not token or current_token_on_disk(root) == token:
            return
        (root / token).mkdir(exist_ok=True, mode=0o755)
        (root / token / MARKER).touch()
        link = root / f".{CURRENT}-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(token)
        os.replace(link, root / CURRENT)
        _remove_baked(root, keep=token)


def refresh_after_commit(using):
    """Once per transaction, however many rows it saves (load_content saves hundreds)."""
    if not is_enabled():
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        entry[1] is _refresh_quietly for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_refresh_quietly, using=using)


_failing = threading.Event()  # log a failing switch once, not every round of the watcher


def _refresh_quietly():
    try:
        refresh()
    except Exception as exc:  # the watcher tries again; saving must not fail
        if not _failing.is_set():
            logger.warning("Could not switch baked pages: %s", exc)
        _failing.set()
    else:
        _failing.clear()


def empty():
    """Remove every baked page (at start: a new release may render pages differently)."""
    root = bake_dir()
    if root is None:
        return
    with _locked(root):
        (root / CURRENT).unlink(missing_ok=True)
        _remove_baked(root, keep=None)


def _remove_baked(root, keep):
    """Remove the folders of content states but ``keep`` and links left by a process that
    died mid-switch (under the lock); nothing else in ``root``."""
    for entry in root.iterdir():
        if entry.is_symlink():
            if entry.name.startswith(f".{CURRENT}-"):
                entry.unlink(missing_ok=True)
        elif entry.name != keep and (entry / MARKER).exists():
            shutil.rmtree(entry, ignore_errors=True)


def _watch(interval, stop):
    while not stop.is_set():
        _refresh_quietly()
        close_old_connections()  # this thread's own connection, as Django does per request
        stop.wait(interval)


def start_watcher(stop=None):
    """In each gunicorn worker: follow changes made elsewhere (other machines, scripts).
    ``stop``: a threading.Event that ends the thread (tests); otherwise it lives as long as
    the worker."""
    if not is_enabled():
        return None
    interval = getattr(settings, "BAKE_POLL_SECONDS", 2)
    stop = stop or threading.Event()
    thread = threading.Thread(
        target=_watch, args=(interval, stop), name="bake-watcher", daemon=True
    )
    thread.start()
    return thread
