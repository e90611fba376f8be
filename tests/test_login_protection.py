"""Login protection: django-axes locks a username + IP pair, never a whole town hall."""

import importlib.util
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from roadmap import urls as roadmap_urls
from tests.admin_helpers import PASSWORD, editor

pytestmark = pytest.mark.django_db

TOWN_HALL = "192.0.2.10"
HOME_OFFICE = "198.51.100.7"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every login attempt hashes a password; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def accounts(django_user_model):
    return (
        editor(django_user_model, "anna", password=PASSWORD),
        editor(django_user_model, "bernd", password=PASSWORD),
    )


def attempt(client, username, password, ip=TOWN_HALL):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def fail_five_times(client, username="anna", ip=TOWN_HALL):
    return [attempt(client, username, "falsch-falsch-falsch", ip) for _ in range(5)]


def test_the_login_page_is_german(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert "Anmelden" in html and "Passwort" in html


def test_four_failures_show_the_form_again_and_the_fifth_locks(client, accounts):
    responses = fail_five_times(client)
    for response in responses[:4]:
        assert response.status_code == 200
        assert 'class="errornote"' in response.content.decode()
    locked = responses[4]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in html
    assert "15 Minuten" in html and "„anna“" in html


def test_a_locked_pair_cannot_log_in_even_with_the_right_password(client, accounts):
    fail_five_times(client)
    assert attempt(client, "anna", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_colleague_at_the_same_address_can_still_log_in(client, accounts):
    fail_five_times(client, "anna", TOWN_HALL)
    response = attempt(client, "bernd", PASSWORD, TOWN_HALL)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(accounts[1].pk)


def test_the_same_user_from_another_address_can_still_log_in(client, accounts):
    fail_five_times(client, "anna", TOWN_HALL)
    assert attempt(client, "anna", PASSWORD, HOME_OFFICE).status_code == 302


def move_attempts_back(minutes):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_lock_still_holds_after_fourteen_minutes(client, accounts):
    fail_five_times(client)
    move_attempts_back(14)
    assert attempt(client, "anna", PASSWORD).status_code == 429


def test_the_lock_ends_after_fifteen_minutes(client, accounts):
    fail_five_times(client)
    move_attempts_back(16)
    assert attempt(client, "anna", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, accounts):
    for _ in range(4):
        attempt(client, "anna", "falsch-falsch-falsch")
    assert attempt(client, "anna", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "anna", "falsch-falsch-falsch").status_code == 200


def test_passwords_need_at_least_twelve_characters():
    with pytest.raises(ValidationError, match="mindestens 12 Zeichen"):
        validate_password("Rathaus-202")  # 11 characters
    validate_password("Rathaus-2024-Mitte")


def test_the_admin_address_comes_from_django_admin_url(client, monkeypatch, settings):
    monkeypatch.setenv("DJANGO_ADMIN_URL", "redaktion-intern/")
    spec = importlib.util.spec_from_file_location(
        "roadmap.urls_with_own_admin_path", roadmap_urls.__file__
    )
    urlconf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(urlconf)
    settings.ROOT_URLCONF = urlconf
    assert client.get("/redaktion-intern/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
