"""Client addresses cannot be forged: REMOTE_ADDR unless the operator names trusted proxies."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.client_ip import client_ip
from tests import factories

PROXY = "10.0.0.5"
VISITOR = "203.0.113.9"
VICTIM = "198.51.100.7"


@pytest.fixture(autouse=True)
def fresh_counters(settings, empty_cache):
    # As in production: the header has a name, it only counts behind named proxies.
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"


def address(rf, remote, forwarded=None):
    request = rf.get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


def test_without_trusted_proxies_the_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = ""
    assert address(rf, VISITOR, "1.2.3.4") == VISITOR
    assert address(rf, "", "1.2.3.4") == "0.0.0.0"


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        (PROXY, VISITOR, VISITOR),
        # The client put a fake entry in front; the proxy appended the real one.
        (PROXY, f"{VICTIM}, {VISITOR}", VISITOR),
        # Two proxies of ours: skip both, take the first address that is not ours.
        (PROXY, f"{VICTIM}, {VISITOR}, 10.9.9.9", VISITOR),
        # A client that reaches gunicorn directly, bypassing the proxy.
        (VISITOR, VICTIM, VISITOR),
        (PROXY, "kaputt", PROXY),
        (PROXY, f"{VICTIM}, kaputt, {VISITOR}", VISITOR),
        (PROXY, "", PROXY),
        (PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_named_proxies_give_the_right_most_untrusted_address(
    rf, settings, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = "10.0.0.0/8, 127.0.0.1"
    assert address(rf, remote, forwarded) == expected


@pytest.mark.parametrize(
    "count, forwarded, expected",
    [
        ("1", f"{VICTIM}, {VISITOR}", VISITOR),
        ("2", f"{VICTIM}, {VISITOR}, 10.9.9.9", VISITOR),
        ("1", "", PROXY),
        ("1", "kaputt", PROXY),
    ],
)
def test_a_proxy_count_skips_that_many_hops(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXIES = count
    assert address(rf, PROXY, forwarded) == expected


def test_a_broken_proxy_setting_is_reported_in_german(rf, settings):
    settings.TRUSTED_PROXIES = "proxy.example.org"
    with pytest.raises(ImproperlyConfigured, match="Adressen oder Netze"):
        address(rf, PROXY, VISITOR)


# -- login lockouts (django-axes) -----------------------------------------------------


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaktion", "r@example.org", "Sehr-lang-123")


def login(client, password, remote, forwarded):
    return client.post(
        reverse("admin:login"),
        {"username": "redaktion", "password": password},
        REMOTE_ADDR=remote,
        headers={"x-forwarded-for": forwarded},
    )


def test_a_new_forwarded_header_per_try_does_not_escape_the_lockout(client, settings, editor):
    settings.TRUSTED_PROXIES = ""
    tries = [
        login(client, "falsch", VISITOR, f"192.0.2.{n}")
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert tries[-1].status_code == 429
    # Not even the right password gets in with yet another header.
    assert login(client, "Sehr-lang-123", VISITOR, "192.0.2.200").status_code == 429


def test_an_attacker_cannot_lock_out_a_victim_by_sending_their_address(client, settings, editor):
    settings.TRUSTED_PROXIES = ""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "falsch", VISITOR, VICTIM)
    assert login(client, "Sehr-lang-123", VICTIM, "").status_code == 302


def test_behind_a_named_proxy_a_forged_first_entry_changes_nothing(client, settings, editor):
    settings.TRUSTED_PROXIES = PROXY
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "falsch", PROXY, f"192.0.2.{n}, {VISITOR}")
    assert login(client, "Sehr-lang-123", PROXY, f"192.0.2.99, {VISITOR}").status_code == 429
    assert login(client, "Sehr-lang-123", PROXY, VICTIM).status_code == 302


# -- Fahrplan rate limit --------------------------------------------------------------


def create_fahrplan(client, remote, forwarded):
    return client.post(
        reverse("selfcheck:fahrplan-create"),
        {},
        REMOTE_ADDR=remote,
        headers={"x-forwarded-for": forwarded},
    )


@pytest.mark.parametrize(
    "trusted, remote, forwarded",
    [
        ("", VISITOR, "192.0.2.{n}"),
        (PROXY, PROXY, "192.0.2.{n}, " + VISITOR),
        ("1", PROXY, "192.0.2.{n}, " + VISITOR),
    ],
)
def test_forged_headers_do_not_lift_the_fahrplan_rate_limit(
    client, settings, db, trusted, remote, forwarded
):
    factories.phase()
    settings.TRUSTED_PROXIES = trusted
    settings.FAHRPLAN_CREATE_RATE = "2/h"
    statuses = [
        create_fahrplan(client, remote, forwarded.format(n=n)).status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
