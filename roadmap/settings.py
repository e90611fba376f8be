"""Settings for the Skalierungsroadmap, driven by environment variables.

Development needs no configuration at all (SQLite, debug on). Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mptt",
    "reversion",
    "reversion_compare",
    "axes",
    "csp",
    "corsheaders",
    # Layers, imports only point down the list: core library, editors' tools, content apps,
    # feature apps on top. The project package roadmap/ holds settings and URLs only.
    "core",
    "editorial",
    "phases",
    "examples",
    "information",
    "search",
    "workspace",
    "selfcheck",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.security_headers.PermissionsPolicyMiddleware",
    # WhiteNoise, minus staticfiles.json (core/static_files.py).
    "core.static_files.StaticFilesMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must stay last: it answers locked-out logins before any view runs.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "roadmap.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "roadmap.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE") or "60"),
        conn_health_checks=True,
    )
}

# PostgreSQL only: server-side parameter binding (psycopg 3) and prepared statements – psycopg
# prepares a query on the server after its 5th execution on a connection, so PostgreSQL skips
# parsing and planning it again (the search overview's seven statements, the criterion page's
# large join). On by default with persistent connections (DJANGO_CONN_MAX_AGE > 0, talking to
# PostgreSQL directly); off with DJANGO_CONN_MAX_AGE=0, the setting docs/betrieb.md asks for
# behind a PgBouncer in transaction mode, where a prepared statement may land on another
# server connection. DJANGO_DB_PREPARED_STATEMENTS=0/1 decides explicitly. Django itself
# switches prepared statements off unless asked.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DJANGO_DB_PREPARED_STATEMENTS", DATABASES["default"]["CONN_MAX_AGE"] != 0
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

# --- Database timeouts and concurrent writes (core/timeouts.py, docs/betrieb.md) ---------
# PostgreSQL: give up on a connection attempt after DJANGO_DB_CONNECT_TIMEOUT seconds and on a
# statement after DJANGO_DB_STATEMENT_TIMEOUT seconds (0: no limit, e.g. for a long migration).
# Each request also ends after DJANGO_REQUEST_TIMEOUT seconds with the German 503 page: a
# frozen server can enforce no timeout of its own. gunicorn's timeout (30 s) lies above both.
# SQLite: a write waits for another one (immediate transactions, DJANGO_SQLITE_TIMEOUT
# seconds) instead of failing with "database is locked".
DB_CONNECT_TIMEOUT = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "5"))
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _db_options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    _db_options["options"] = " ".join(
        part
        for part in (
            _db_options.get("options", ""),
            f"-c statement_timeout={DB_STATEMENT_TIMEOUT}s",
        )
        if part
    )
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _db_options.setdefault("timeout", int(os.environ.get("DJANGO_SQLITE_TIMEOUT", "20")))
    _db_options.setdefault("transaction_mode", "IMMEDIATE")
REQUEST_TIMEOUT = int(
    os.environ.get("DJANGO_REQUEST_TIMEOUT", "0" if DEBUG else str(DB_STATEMENT_TIMEOUT + 1))
)
# For a few seconds after a deadline passed (the database hangs), requests get this one.
REQUEST_TIMEOUT_AFTER_HANG = 2

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# KERN UX comes from npm (package.json, installed by the Makefile) and is served as /static/kern/.
STATICFILES_DIRS = [BASE_DIR / "static", ("kern", BASE_DIR / "node_modules/@kern-ux/native/dist")]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development whitenoise serves straight from the app folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Production hardening; all of it is harmless behind a TLS-terminating proxy.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # security.W021 asks for the preload flag. Preloading binds the whole registrable
        # domain of the operating institution for months and cannot be undone quickly, so it
        # is the operator's decision (DJANGO_HSTS_PRELOAD=1), not a default of this app.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Load balancers probe /health/ over plain HTTP inside the network; no redirect for them.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Only editors have sessions; a stolen admin cookie should not live for two weeks.
    SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(60 * 60 * 12)))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses, switched off (core/security_headers.py); () = nobody.
PERMISSIONS_POLICY = {
    feature: ()
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# --- Visitor addresses behind the proxy (core/client_ip.py) ---------------------------------
# Login lockouts (axes) and rate limits (ratelimit) count per visitor. By default the address
# is REMOTE_ADDR, which no client can forge. Behind a reverse proxy the operator names the
# proxies (addresses/networks, or their number) in DJANGO_TRUSTED_PROXIES; only then is the
# header DJANGO_CLIENT_IP_HEADER read, and only the right-most address no trusted proxy has.
TRUSTED_PROXIES = os.environ.get("DJANGO_TRUSTED_PROXIES", "")
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"

# Content Security Policy (django-csp 4): everything from our own origin, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Login protection (django-axes): lock a username + IP pair, never a whole town hall's IP.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# --- Editors' workspace (editorial/admin_site.py, editorial/admin.py) --------------------------
# The admin site groups content by topic and adds the content check and the Markdown preview;
# swapping the admin's app config makes it django.contrib.admin.site for every app.
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = (
    "editorial.admin_apps.EditorialAdminConfig"
)
# German lockout page (status 429) instead of axes' English one-liner.
AXES_LOCKOUT_CALLABLE = "editorial.login_protection.lockout_response"

# Open data: anyone may read the API from a browser on another origin, nothing else.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Fahrplan tokens are redacted from every log record of the process (core/log_redaction.py).
LOGGING_CONFIG = "core.log_redaction.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "core.log_redaction.RedactTokensFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Cache, page cache and database outages (core/cache.py, core/outage.py) ---------
# DJANGO_CACHE_URL (or REDIS_URL), e.g. redis://127.0.0.1:6379/0, selects a shared Redis
# server; without it each process keeps a small memory cache (development, tests). A Redis
# server that is down refuses the connection at once (or, unreachable, after 0.2 s); one that
# hangs gets 1 s per request, generous enough for a busy machine. Either way the page cache
# serves uncached, logs a warning and leaves Redis alone for a few seconds.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "roadmap",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "roadmap",
        }
    }
# Rate-limit counters (django-ratelimit) must be shared by every worker process: the Redis
# server when there is one, else a table in the database (created by a migration of selfcheck,
# or `manage.py createcachetable`).
if "RedisCache" in CACHES["default"]["BACKEND"]:
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "roadmap-ratelimit"}
else:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "roadmap_ratelimit_cache",
    }
RATELIMIT_USE_CACHE = "ratelimit"
# Whole public pages for anonymous visitors; on by default only with a shared cache server,
# because a per-process memory cache cannot be invalidated across gunicorn workers.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", "RedisCache" in CACHES["default"]["BACKEND"])
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_RETRY_SECONDS = 5  # after a cache server error, skip it this long per process
PAGE_CACHE_IGNORED_MODELS = ()  # "app.model" labels in roadmap/phases/examples that no page shows
# The page cache answers before sessions, CSRF and authentication run (a hit needs none of
# them); security headers and CSP above it still apply to every response. The outage
# middleware turns database connection errors in views into the German 503 page.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "core.cache.PageCacheMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "core.outage.DatabaseOutageMiddleware",
)
# HTTP cache headers (core/http_cache.py), outside the page cache: public pages may be kept
# this many seconds by nginx or a CDN; personal pages and requests with a session never.
# A published change reaches anonymous visitors after at most this plus one revalidation:
# 8 keeps that within the 10 s target (make drills measured 10.6 s with 10).
HTTP_CACHE_SHARED_SECONDS = int(os.environ.get("DJANGO_HTTP_CACHE_SECONDS", "8"))
HTTP_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("DJANGO_HTTP_CACHE_STALE_SECONDS", "30"))
HTTP_CACHE_STALE_IF_ERROR = int(os.environ.get("DJANGO_HTTP_CACHE_STALE_IF_ERROR", "86400"))
RELEASE = os.environ.get("DJANGO_RELEASE", "")  # part of every ETag; default: process start
MIDDLEWARE.insert(
    MIDDLEWARE.index("core.cache.PageCacheMiddleware"),
    "core.http_cache.CacheHeadersMiddleware",
)
# Baked pages (core/baking.py): public pages also written as files for nginx. Off unless set;
# a local folder per machine that nginx reads (deploy/nginx.conf, docs/betrieb.md).
BAKE_DIR = os.environ.get("DJANGO_BAKE_DIR", "")
BAKE_POLL_SECONDS = float(os.environ.get("DJANGO_BAKE_POLL_SECONDS", "2"))
BAKE_MAX_QUERY_PAGES = int(os.environ.get("DJANGO_BAKE_MAX_QUERY_PAGES", "1000"))
MIDDLEWARE.insert(
    MIDDLEWARE.index("core.http_cache.CacheHeadersMiddleware"),
    "core.baking.BakeMiddleware",
)
# Editors' preview of a pending change (editorial/review_preview.py): needs the user.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "editorial.review_preview.PendingPreviewMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("core.outage.DatabaseOutageMiddleware"),
    "core.timeouts.RequestDeadlineMiddleware",
)

# --- Self-check and personal Fahrpläne (selfcheck/) -----------------------------------------
# New Fahrpläne per client IP address (django-ratelimit, counted in CACHES["default"]; several
# app servers need the shared cache server so they count together). The client address comes
# from core/client_ip.py (see the block on visitor addresses above).
# Fahrpläne nobody opened or changed for FAHRPLAN_RETENTION_DAYS are removed by
# `manage.py purge_fahrplaene` (run it daily).
FAHRPLAN_CREATE_RATE = os.environ.get("DJANGO_FAHRPLAN_CREATE_RATE", "20/h")
FAHRPLAN_RETENTION_DAYS = 365
