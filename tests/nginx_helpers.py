"""A real nginx with deploy/nginx.conf in front of a Django live server, for the nginx tests.

Data is committed (the live server thread has its own connection on PostgreSQL) and the
database is put back as it was afterwards, as in tests/browser.py.
"""

import shutil
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.test.utils import modify_settings, override_settings
from pytest_django.live_server_helper import LiveServer

from tests import factories
from tests.admin_helpers import editor
from tests.live_server_helpers import assert_test_database, clear_caches, restore_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import stack  # lives in scripts/: renders deploy/nginx.conf and runs processes
from drill_nginx import baked_paths, cached_keys  # read nginx's cache and baked folders

__all__ = ["baked_paths", "cached_keys", "committed", "fetch", "nginx_site", "statuses"]

HOST = "127.0.0.1"


@contextmanager
def nginx_site(django_db_blocker, *, bake=False):
    """Committed content, an editor session, the live server and nginx; all undone afterwards.
    bake: the app writes baked pages (core/baking.py) to the folder nginx reads."""
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": HOST}):
        assert_test_database()
        snapshot = connection.creation.serialize_db_to_string()
        phase = factories.phase(name="Ideenfindung", slug="ideenfindung", number="P1", order=1)
        workstream = factories.workstream(name="Technisch", slug="technisch", label="TEC")
        factories.criterion(phase, [workstream], title="Offene Schnittstellen", slug="apis")
        factories.glossary_term(term="Pilot", definition="Ein erster Einsatz im Alltag.")
        editor_client = Client()
        editor_client.force_login(editor(get_user_model(), "redakteurin", is_superuser=True))
        session = editor_client.cookies["sessionid"].value
        clear_caches()
        run_dir = Path(tempfile.mkdtemp(prefix="roadmap-nginx-test."))
        run_dir.chmod(0o755)
        bake_dir = run_dir / "baked"
        nginx = server = None
        try:
            with override_settings(BAKE_DIR=str(bake_dir) if bake else ""):
                server = LiveServer(HOST)
                upstream = int(server.url.rsplit(":", 1)[1])
                nginx = stack.nginx_process(
                    run_dir, stack.free_port(), [upstream], run_dir, bake_dir
                )
                stack.wait_until_up(nginx.port, "/health/", nginx, timeout=20)
                yield {
                    "port": nginx.port,
                    "session": session,
                    "run_dir": run_dir,
                    "bake_dir": bake_dir,
                    "phase": phase,
                    "workstream": workstream,
                }
        finally:
            if nginx:
                nginx.stop()
            if server:
                server.stop()
            shutil.rmtree(run_dir, ignore_errors=True)
            restore_database(snapshot)
            clear_caches()


def committed(write):
    """Run write so that the live server sees it: on SQLite the server thread shares this
    in-memory connection; on PostgreSQL it needs a commit, so write on a connection of its own."""
    if connection.vendor == "sqlite":
        write()
        return
    failures = []

    def run():
        try:
            write()
        except Exception as exc:  # re-raised in the test thread
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if failures:
        raise failures[0]


def fetch(site, path, headers=None, **request):
    return stack.get(site["port"], path, headers, **request)


def statuses(site, path, headers=None, times=2):
    replies = [fetch(site, path, headers) for _ in range(times)]
    return [reply.headers.get("x-cache-status") for reply in replies], replies
