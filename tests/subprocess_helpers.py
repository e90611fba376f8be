"""Python in a fresh interpreter, in the project folder, with an environment the test controls.

The settings, gunicorn, hardening, timeout, security and prepared-statement tests read what
a given environment configures this way: the test process itself has its settings loaded
already, so only a new interpreter shows what another environment would do.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

PROJECT_VARIABLES = ("DJANGO_", "DATABASE_")


def run_python(args, *, unset=PROJECT_VARIABLES, env=None, timeout=120):
    """Runs ``python *args`` in the project folder, without the environment variables whose
    names start with one of ``unset`` but with ``env``; returns the finished process."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(unset)}
    return subprocess.run(
        [sys.executable, *args],
        env=clean | (env or {}),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def run_code(code, **options):
    """``run_python`` for a snippet of code (``python -c code``)."""
    return run_python(["-c", code], **options)


def probe_json(code, **options):
    """Runs a snippet that prints JSON, fails the test if it fails, and returns the value."""
    result = run_code(code, **options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
