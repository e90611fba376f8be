"""gunicorn settings for production-like serving (make serve, make bench, make drills).

Everything comes from the environment: GUNICORN_BIND (default 127.0.0.1:8000),
WEB_CONCURRENCY (worker processes, default 2 = one per core of a small machine),
GUNICORN_THREADS (threads per worker, default 1 = sync workers; with more than one, gunicorn
uses gthread workers), GUNICORN_ACCESS_LOG (a file or "-").

Sync workers by default: rendering a page is CPU-bound Python, and threads of one process take
turns on the GIL. Measured on 2 cores (docs/performance.md), 2 × 4 threads served uncached
pages at about half the rate of 2 sync workers. nginx in front buffers slow clients, which is
what sync workers need.
"""

import gc
import os

from gunicorn.glogging import Logger

wsgi_app = "roadmap.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
keepalive = 5
# Above the database's limits (DJANGO_DB_CONNECT_TIMEOUT, DJANGO_DB_STATEMENT_TIMEOUT, 5 s
# each by default): a request waiting for a hung database ends with Django's German 503 page
# long before gunicorn would kill the worker and answer with its own plain error.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
# Recycle workers now and then so that a slow leak can never grow without bound, but rarely
# and never all at once: each worker draws its limit from 50 000–100 000 requests. With
# 20 000 ± 2 000 both workers restarted every ~20 s under load, close together, and each restart
# (importing Django anew) showed up as a p99 spike (docs/performance.md).
max_requests = 50000
max_requests_jitter = 50000
# Load Django once in the master and fork workers from it: a recycled worker is ready at once,
# without importing the project again, and the workers share the loaded code's memory. Code
# changes therefore need a restart of gunicorn (systemctl restart), not just a HUP.
preload_app = True


def pre_fork(server, worker):
    """Runs in the master before each fork: everything loaded so far (Django, the project)
    moves out of the garbage collector's reach, as Python's documentation of gc.freeze()
    recommends for forking servers. Full collections in the workers then walk only what
    requests create (shorter pauses), and touching old objects no longer copies the master's
    memory pages into every worker."""
    gc.freeze()


def when_ready(server):
    """Before the first worker: baked pages of the previous release go (core/baking.py)."""
    from core import baking

    baking.empty()


def post_worker_init(worker):
    """Each worker follows content changes into the baked pages' folder (core/baking.py)."""
    from core import baking

    baking.start_watcher()


accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = "skalierungsroadmap"


class RedactingLogger(Logger):
    """Access log lines without secret Fahrplan tokens (see core/log_redaction.py)."""

    def atoms(self, resp, req, environ, request_time):
        from core.log_redaction import redact  # the worker has the project on sys.path

        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }


logger_class = RedactingLogger
