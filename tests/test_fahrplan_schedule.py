"""The funding-end planner: backward schedule from lead times, its page and its form."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from selfcheck.models import Fahrplan, FahrplanEntry
from selfcheck.plan import load_plan
from selfcheck.schedule import State, build_schedule, months_before, state_of

pytest_plugins = ["tests.fahrplan_tools_helpers"]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 12, 15), 12, date(2026, 12, 15)),
        (date(2027, 3, 10), 4, date(2026, 11, 10)),
        (date(2027, 6, 30), 1, date(2027, 5, 31)),  # a month end stays a month end
        (date(2027, 6, 30), 4, date(2027, 2, 28)),
        (date(2028, 6, 30), 4, date(2028, 2, 29)),  # leap year
        (date(2027, 5, 29), 3, date(2027, 2, 28)),  # 29 February does not exist in 2027
        (date(2027, 12, 31), 0, date(2027, 12, 31)),
    ],
)
def test_counting_back_months_keeps_month_ends_and_clamps_short_months(day, months, expected):
    assert months_before(day, months) == expected


def test_a_latest_start_before_today_is_too_late_and_one_within_three_months_is_soon():
    today = date(2026, 12, 5)
    assert state_of(date(2026, 12, 4), today) == State.PASSED
    assert state_of(date(2026, 12, 5), today) == State.SOON
    assert state_of(date(2027, 3, 1), today) == State.SOON
    assert state_of(date(2027, 6, 1), today) == State.OPEN


def test_schedule_lists_open_items_with_lead_time_by_latest_start(tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2027, 12, 31)
    schedule = build_schedule(load_plan(fahrplan), today=date(2026, 12, 5))
    assert [(d.title, d.latest_start) for d in schedule.deadlines] == [
        ("Haushaltsplanung", date(2026, 9, 30)),
        ("Vergaberecht", date(2026, 12, 31)),
        ("Ratsbeschluss liegt vor", date(2027, 3, 31)),
    ]
    assert [d.state for d in schedule.deadlines] == [State.PASSED, State.SOON, State.OPEN]
    assert [c.slug for c in schedule.alternatives] == ["anschlussfinanzierung"]


def test_done_items_and_items_without_lead_time_are_left_out(tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2027, 12, 31)
    FahrplanEntry.objects.create(fahrplan=fahrplan, criterion=tools["tender"], done=True)
    schedule = build_schedule(load_plan(fahrplan), today=date(2026, 12, 5))
    titles = [d.title for d in schedule.deadlines]
    assert "Vergaberecht" not in titles and "Problemanalyse" not in titles
    assert titles == ["Haushaltsplanung", "Ratsbeschluss liegt vor"]


def test_today_is_the_date_in_berlin_not_on_the_server_clock(tools, monkeypatch):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2028, 1, 1)
    # 31 December 23:30 UTC is already 1 January in Berlin.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    schedule = build_schedule(load_plan(fahrplan))
    assert schedule.today == date(2027, 1, 1)
    tender = next(d for d in schedule.deadlines if d.title == "Vergaberecht")
    assert tender.latest_start == date(2027, 1, 1) and tender.state == State.SOON


def test_without_a_funding_end_the_schedule_is_empty(tools):
    schedule = build_schedule(load_plan(tools["fahrplan"]))
    assert not schedule.is_set and schedule.deadlines == []


def test_saving_the_dates_stores_them_and_shows_the_schedule(client, tools):
    base = tools["base"]
    response = client.post(
        base + "zeitplan/",
        {
            "foerderende": "31.12.2027",
            "haushaltsfrist": "2027-03-31",
            "ratssitzung_1": "2027-05-12",
            "ratssitzung_2": "2027-02-10",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{base}zeitplan/?gespeichert=1#zeitplan"
    fahrplan = Fahrplan.objects.get(pk=tools["fahrplan"].pk)
    assert fahrplan.funding_end == date(2027, 12, 31)
    assert fahrplan.budget_deadline == date(2027, 3, 31)
    assert fahrplan.council_meetings == ["2027-02-10", "2027-05-12"]
    html = client.get(response["Location"]).content.decode()
    assert "Ihre Termine sind gespeichert" in html
    assert 'Spätester Beginn: <time datetime="2026-12-31">31.12.2026</time>' in html
    assert "10.02.2027</time> – Ratssitzung" in html
    assert 'href="/fahrplan/' in html and "zeitplan.ics" in html


def test_a_passed_deadline_says_it_is_too_late_and_links_alternatives(client, tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = months_before(timezone.localdate(), -6)
    fahrplan.save()
    html = client.get(tools["base"] + "zeitplan/").content.decode()
    assert "Für eine EU-weite Ausschreibung ist es vor Förderende zu spät" in html
    assert 'href="/kriterien/anschlussfinanzierung/"' in html
    assert "zu spät" in html and "fahrplan-deadline--passed" in html


def test_schedule_is_grouped_in_collapsible_phases_that_work_without_javascript(client, tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2030, 6, 30)
    fahrplan.save()
    html = client.get(tools["base"] + "zeitplan/").content.decode()
    assert '<details class="fahrplan-schedule-phase" id="zeitplan-verstetigung" open>' in html
    assert "<script" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2027", "„Ende der Förderung“ ist kein gültiges Datum"),
        ("morgen", "„Ende der Förderung“ ist kein gültiges Datum"),
        ("2027-13-01", "„Ende der Förderung“ ist kein gültiges Datum"),
        ("1999-12-31", "liegt zu weit in der Vergangenheit"),
        ("2199-12-31", "liegt zu weit in der Zukunft"),
        ("", "Bitte geben Sie „Ende der Förderung“ an."),
        ("2027-01-01\x00", "kein gültiges Datum"),
    ],
)
def test_bad_dates_get_a_german_message_and_store_nothing(client, tools, value, message):
    response = client.post(tools["base"] + "zeitplan/", {"foerderende": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Fahrplan.objects.get(pk=tools["fahrplan"].pk).funding_end is None


def test_an_old_council_meeting_is_refused_with_its_own_label(client, tools):
    response = client.post(
        tools["base"] + "zeitplan/", {"foerderende": "2027-12-31", "ratssitzung_2": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "„Übernächste Ratssitzung“ liegt zu weit in der Vergangenheit" in (
        response.content.decode()
    )


def test_schedule_page_is_private_and_never_cached(client, tools):
    response = client.get(tools["base"] + "zeitplan/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "strict-origin"


def test_schedule_of_a_deleted_or_unknown_plan_is_not_found(client, tools):
    tools["fahrplan"].delete()
    assert client.get(tools["base"] + "zeitplan/").status_code == 404
    assert client.get("/fahrplan/" + "x" * 43 + "/zeitplan/").status_code == 404
    assert client.get("/fahrplan/kurz/zeitplan/").status_code == 404


def test_schedule_page_query_count_does_not_grow_with_content(
    client, tools, django_assert_max_num_queries
):
    from tests import factories

    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2027, 12, 31)
    fahrplan.save()
    for n in range(5):
        factories.criterion(tools["p4"], [tools["economic"]], lead_time_months=n + 1)
    with django_assert_max_num_queries(10):
        assert client.get(tools["base"] + "zeitplan/").status_code == 200


def test_opening_a_tool_counts_as_using_the_plan(client, tools):
    stale = timezone.now() - timedelta(days=30)
    Fahrplan.objects.filter(pk=tools["fahrplan"].pk).update(last_touched=stale)
    client.get(tools["base"] + "entscheidungen/")
    assert Fahrplan.objects.get(pk=tools["fahrplan"].pk).last_touched > stale


def test_a_passed_budget_deadline_is_pointed_out(client, tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2030, 6, 30)
    fahrplan.budget_deadline = timezone.localdate() - timedelta(days=1)
    fahrplan.save()
    html = client.get(tools["base"] + "zeitplan/").content.decode()
    assert "Die Frist der Haushaltsanmeldung ist vorbei" in html
    fahrplan.budget_deadline = timezone.localdate()
    fahrplan.save()
    html = client.get(tools["base"] + "zeitplan/").content.decode()
    assert "Die Frist der Haushaltsanmeldung ist vorbei" not in html


def test_a_step_needing_the_council_lists_the_meetings_before_the_funding_end(tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2027, 12, 31)
    fahrplan.council_meetings = ["2027-02-10", "2027-05-12", "2027-11-24", "2028-02-02"]
    schedule = build_schedule(load_plan(fahrplan), today=date(2026, 12, 5))
    council = next(d for d in schedule.deadlines if d.title == "Ratsbeschluss liegt vor")
    assert council.latest_start == date(2027, 3, 31)
    assert council.council_meetings == [date(2027, 5, 12), date(2027, 11, 24)]
    tender = next(d for d in schedule.deadlines if d.title == "Vergaberecht")
    assert tender.council_meetings is None  # needs no council decision


def test_no_fitting_council_meeting_is_pointed_out(client, tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2030, 12, 31)
    fahrplan.council_meetings = [timezone.localdate().isoformat()]
    fahrplan.save()
    html = client.get(tools["base"] + "zeitplan/").content.decode()
    assert "keine Ihrer eingetragenen Ratssitzungen liegt zwischen" in html
    fahrplan.council_meetings = ["2030-06-01"]
    fahrplan.save()
    html = client.get(tools["base"] + "zeitplan/").content.decode()
    assert "Passende Sitzungen zwischen spätestem Beginn und Förderende: " in html
    assert '<time datetime="2030-06-01">01.06.2030</time>' in html
