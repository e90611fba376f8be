"""Deploy checks (core/checks.py): what ``manage.py check --deploy`` says before a release."""

from django.core.checks import run_checks
from django.test import override_settings

from core.checks import baked_pages_send_the_apps_cache_control


def warning_ids(**kwargs):
    return [message.id for message in baked_pages_send_the_apps_cache_control(**kwargs)]


@override_settings(BAKE_DIR="/var/lib/roadmap/baked")
def test_the_shipped_nginx_headers_match_the_apps_cache_control_by_default():
    assert warning_ids() == []


@override_settings(BAKE_DIR="/var/lib/roadmap/baked", HTTP_CACHE_SHARED_SECONDS=20)
def test_a_changed_cache_lifetime_is_reported_before_baked_pages_drift():
    [warning] = baked_pages_send_the_apps_cache_control()
    assert warning.id == "core.W001"
    assert "s-maxage=20" in warning.msg and "s-maxage=8" in warning.msg
    assert "DJANGO_HTTP_CACHE_SECONDS" in warning.hint


@override_settings(BAKE_DIR="/var/lib/roadmap/baked")
def test_a_headers_file_without_cache_control_is_reported(tmp_path):
    headers = tmp_path / "nginx-page-headers.conf"
    headers.write_text("add_header X-Frame-Options DENY always;\n")
    assert warning_ids(path=headers) == ["core.W001"]
    assert warning_ids(path=tmp_path / "fehlt.conf") == ["core.W001"]


@override_settings(BAKE_DIR="", HTTP_CACHE_SHARED_SECONDS=20)
def test_without_baked_pages_nothing_is_checked():
    assert warning_ids() == []


@override_settings(BAKE_DIR="/var/lib/roadmap/baked", HTTP_CACHE_SHARED_SECONDS=20)
def test_the_check_runs_with_deploy_checks_only():
    assert "core.W001" in [m.id for m in run_checks(include_deployment_checks=True)]
    assert "core.W001" not in [m.id for m in run_checks()]
