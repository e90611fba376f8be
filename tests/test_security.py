"""Security headers, the Content Security Policy and the production settings."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.client_ip import client_ip
from tests import factories
from tests.subprocess_helpers import run_python

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7Qp-2vLs9_dK4mZ8rT1wYb6NcH3jE0uAfG5oPiS-lVqXzW7eRtB",
    "DJANGO_ALLOWED_HOSTS": "roadmap.example.org",
    # Never connected to: settings and `check --deploy` only parse the URL.
    "DATABASE_URL": "postgres://roadmap:placeholder@db.example.org:5432/roadmap",
}

SETTINGS_PROBE = """
import json
from django.conf import settings
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_AGE",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
    "ALLOWED_HOSTS", "SILENCED_SYSTEM_CHECKS", "CLIENT_IP_HEADER", "TRUSTED_PROXIES",
]
values = {name: getattr(settings, name) for name in names}
values["STATICFILES_STORAGE"] = settings.STORAGES["staticfiles"]["BACKEND"]
values["CSP"] = settings.CONTENT_SECURITY_POLICY
print(json.dumps(values))
"""
PROBE_WITH_SETUP = "import django\ndjango.setup()\n" + SETTINGS_PROBE


def _run_with_env(args, **env):
    """Run Python in a clean environment: no DJANGO_*/DATABASE_*/cache variables leak in."""
    env = {"DJANGO_SETTINGS_MODULE": "roadmap.settings"} | env
    return run_python(args, unset=("DJANGO_", "DATABASE_", "REDIS_"), env=env)


def _production_settings(**env):
    result = _run_with_env(["-c", PROBE_WITH_SETUP], **(PRODUCTION_ENV | env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _policy(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# --------------------------------------------------------------------------- policy


def test_policy_in_settings_is_strict():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    every_source = [source for sources in directives.values() for source in sources]
    assert not any("unsafe" in source for source in every_source)
    assert "*" not in every_source and "https:" not in every_source


def _assert_strict_policy(response):
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    for sources in policy.values():
        assert not any("unsafe" in source for source in sources), policy
    # Scripts and styles fall back to default-src; nothing may widen them.
    for directive in ("script-src", "style-src", "script-src-attr", "style-src-attr"):
        assert policy.get(directive, ["'self'"])[0] == "'self'", policy


@pytest.fixture
def public_urls(roadmap):
    example = factories.example(roadmap["first"])
    model = factories.operator_model()
    return [
        "/",
        "/einfuehrung/",
        roadmap["first"].get_absolute_url(),
        roadmap["criterion"].get_absolute_url(),
        "/kriterien/?arbeitsstrang=technisch",
        example.get_absolute_url(),
        model.get_absolute_url(),
        "/glossar/",
        "/suche/?q=Problemanalyse",
        "/gibt-es-nicht/",
    ]


def test_public_pages_send_the_strict_policy_and_security_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        _assert_strict_policy(response)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_admin_pages_send_the_strict_policy(editor_client, roadmap):
    phase = roadmap["first"]
    urls = [
        reverse("admin:index"),
        reverse("admin:phases_phase_changelist"),
        *(
            reverse(f"admin:phases_phase_{view}", args=[phase.pk])
            for view in ("change", "delete", "history")
        ),
        reverse("admin:phases_criterion_add"),
    ]
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        _assert_strict_policy(response)


def test_admin_login_page_sends_the_strict_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    _assert_strict_policy(response)


# --------------------------------------------------------------------------- templates

TEMPLATE_FOLDERS = ["templates", "roadmap", "phases", "examples", "selfcheck", "opendata"]
INLINE_CODE = re.compile(
    r"""\sstyle\s*=|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*["'{]""",
    re.IGNORECASE,
)


def test_templates_contain_no_inline_scripts_styles_or_event_handlers():
    base = Path(settings.BASE_DIR)
    offenders = []
    for folder in TEMPLATE_FOLDERS:
        for path in (base / folder).rglob("*.html"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if INLINE_CODE.search(line):
                    offenders.append(f"{path.relative_to(base)}:{number}: {line.strip()[:100]}")
    assert not offenders, "\n".join(offenders)


def test_inline_code_pattern_finds_what_the_policy_blocks():
    for snippet in ['<p style="x">', "<style>", "<script>x()</script>", '<a onclick="x">']:
        assert INLINE_CODE.search(snippet), snippet
    for snippet in ['<script src="/static/js/a.js" defer></script>', '<p class="onclick">']:
        assert not INLINE_CODE.search(snippet), snippet


# --------------------------------------------------------------------------- production


def test_production_settings_harden_transport_cookies_and_static_files():
    values = _production_settings()
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["roadmap.example.org"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^health/$"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_AGE"] <= 60 * 60 * 12
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["STATICFILES_STORAGE"].endswith("CompressedManifestStaticFilesStorage")
    assert values["CSP"] == settings.CONTENT_SECURITY_POLICY  # same policy in every mode
    assert values["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]


def test_hsts_preload_is_the_operators_choice_and_then_checked_again():
    values = _production_settings(DJANGO_HSTS_PRELOAD="1")
    assert values["SILENCED_SYSTEM_CHECKS"] == []


def test_development_mode_keeps_cookies_usable_over_plain_http():
    result = _run_with_env(["-c", PROBE_WITH_SETUP])
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is True
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False


def test_deploy_check_is_clean_with_production_settings():
    result = _run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_would_fail_on_a_weak_secret_key():
    result = _run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **(PRODUCTION_ENV | {"DJANGO_SECRET_KEY": "zu-kurz"}),
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_makefile_check_target_runs_the_deploy_check():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    assert "check --deploy --fail-level WARNING" in target
    assert "DJANGO_DEBUG=0" in target


# --------------------------------------------------------------------------- behaviour


@pytest.fixture
def production(settings):
    """The transport settings of production mode, applied to the test client's requests."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def test_plain_http_is_redirected_to_https(client, production, roadmap):
    response = client.get("/kriterien/?phase=ideenfindung")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/kriterien/?phase=ideenfindung"


def test_https_behind_the_proxy_gets_hsts(client, production, roadmap):
    response = client.get("/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_health_check_answers_over_plain_http_for_load_balancers(client, production, db):
    response = client.get("/health/")
    assert response.status_code == 200


def test_admin_cookies_are_secure_http_only_and_same_site(client, production, db):
    get_user_model().objects.create_superuser("redaktion", "r@example.org", "Sehr-geheim-123")
    login = client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {
            "username": "redaktion",
            "password": "Sehr-geheim-123",
            "csrfmiddlewaretoken": login.cookies["csrftoken"].value,
        },
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert login.cookies["csrftoken"]["secure"]


# --------------------------------------------------------------------------- client address

PROXY = "127.0.0.1"


@pytest.mark.parametrize(
    "header, meta, expected",
    [
        ("X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        # Only the last entry is the proxy's own; the first one is whatever the client sent.
        ("X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}, "203.0.113.9"),
        ("X-Real-IP", {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
        ("X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "<script>"}, PROXY),
        ("X-Forwarded-For", {}, PROXY),
        ("X-Forwarded-For", {"REMOTE_ADDR": ""}, "0.0.0.0"),
    ],
)
def test_client_address_comes_from_the_proxy_header_only_when_configured(
    rf, settings, header, meta, expected
):
    settings.TRUSTED_PROXIES = PROXY
    settings.CLIENT_IP_HEADER = header
    request = rf.get("/", REMOTE_ADDR=PROXY)
    request.META.update(meta)
    assert client_ip(request) == expected


def test_production_trusts_no_proxy_header_unless_the_operator_names_the_proxies():
    assert _production_settings()["TRUSTED_PROXIES"] == ""
    named = _production_settings(DJANGO_TRUSTED_PROXIES="127.0.0.1")
    assert (named["TRUSTED_PROXIES"], named["CLIENT_IP_HEADER"]) == ("127.0.0.1", "X-Forwarded-For")


def test_lockout_behind_the_proxy_hits_only_the_visitor_who_failed(client, settings, db):
    settings.TRUSTED_PROXIES = PROXY
    get_user_model().objects.create_superuser("redaktion", "r@example.org", "Sehr-geheim-123")

    def login(password, visitor):
        return client.post(
            reverse("admin:login"),
            {"username": "redaktion", "password": password},
            REMOTE_ADDR=PROXY,
            headers={"x-forwarded-for": visitor},
        )

    responses = [login("falsch", "203.0.113.9") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert responses[-1].status_code == 429
    assert login("Sehr-geheim-123", "203.0.113.9").status_code == 429
    # The same name from another visitor behind the same proxy still gets in.
    assert login("Sehr-geheim-123", "198.51.100.7").status_code == 302
