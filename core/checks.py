"""Deploy checks (``manage.py check --deploy``, part of every release in docs/betrieb.md).

Baked pages reach visitors as files, with the headers nginx adds from
``deploy/nginx-page-headers.conf``. The security headers there are constants that the tests
compare with the app's; ``Cache-Control`` follows three environment variables
(``DJANGO_HTTP_CACHE_*``), so only a deploy can notice that the two have drifted apart.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core import checks

from .http_cache import public_cache_control

PAGE_HEADERS_FILE = Path(settings.BASE_DIR) / "deploy" / "nginx-page-headers.conf"
_CACHE_CONTROL_LINE = re.compile(r'^\s*add_header\s+Cache-Control\s+"([^"]*)"', re.MULTILINE)


def nginx_cache_control(path=PAGE_HEADERS_FILE):
    """The ``Cache-Control`` value nginx adds to baked pages, or None without one."""
    try:
        match = _CACHE_CONTROL_LINE.search(Path(path).read_text())
    except OSError:
        return None
    return match.group(1) if match else None


@checks.register(checks.Tags.caches, deploy=True)
def baked_pages_send_the_apps_cache_control(app_configs=None, path=PAGE_HEADERS_FILE, **kwargs):
    if not settings.BAKE_DIR:
        return []
    expected, found = public_cache_control(), nginx_cache_control(path)
    if found == expected:
        return []
    return [
        checks.Warning(
            "Gebackene Seiten bekämen von nginx einen anderen Cache-Control-Kopf als die "
            f"Anwendung: {path} nennt {found or 'keinen'!r}, die Anwendung sendet {expected!r}.",
            hint="Die Zeile „add_header Cache-Control …“ in der Datei an die Werte von "
            "DJANGO_HTTP_CACHE_SECONDS, DJANGO_HTTP_CACHE_STALE_SECONDS und "
            "DJANGO_HTTP_CACHE_STALE_IF_ERROR anpassen (docs/betrieb.md, „Gebackene Seiten“).",
            id="core.W001",
        )
    ]
