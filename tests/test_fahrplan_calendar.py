"""The schedule as an iCalendar file: structure, dates, time zone and stable UIDs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from selfcheck.models import Fahrplan

pytest_plugins = ["tests.fahrplan_tools_helpers"]

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def planned(tools):
    fahrplan = tools["fahrplan"]
    fahrplan.funding_end = date(2027, 12, 31)
    fahrplan.budget_deadline = date(2027, 3, 31)
    fahrplan.council_meetings = ["2027-02-10"]
    fahrplan.save()
    return tools


def download(client, tools):
    response = client.get(tools["base"] + "zeitplan.ics")
    assert response.status_code == 200
    return response, Calendar.from_ical(response.content)


def events(calendar):
    return {str(ev["summary"]): ev for ev in calendar.walk("VEVENT")}


def test_calendar_file_has_the_structure_calendar_programs_expect(client, planned):
    response, calendar = download(client, planned)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="fahrplan-zeitplan.ics"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert calendar["VERSION"] == "2.0" and "Skalierungsroadmap" in str(calendar["PRODID"])
    assert calendar["METHOD"] == "PUBLISH"
    for ev in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in ev, required
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_events_are_at_nine_in_berlin_with_a_matching_time_zone_definition(client, planned):
    _, calendar = download(client, planned)
    (tz,) = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    assert {c.name for c in tz.subcomponents} == {"DAYLIGHT", "STANDARD"}
    found = events(calendar)
    start = found["Ende der Förderung"].decoded("DTSTART")
    assert start == datetime(2027, 12, 31, 9, 0, tzinfo=BERLIN)
    assert start.utcoffset().total_seconds() == 3600  # winter time
    summer = found["Spätester Beginn: Ratsbeschluss liegt vor"].decoded("DTSTART")
    assert summer == datetime(2027, 3, 31, 9, 0, tzinfo=BERLIN)
    assert summer.utcoffset().total_seconds() == 7200  # summer time
    assert "TZID=Europe/Berlin" in found["Ende der Förderung"].to_ical().decode()


def test_calendar_has_one_event_per_date_with_the_expected_days(client, planned):
    _, calendar = download(client, planned)
    days = {name: ev.decoded("DTSTART").date() for name, ev in events(calendar).items()}
    assert days == {
        "Ende der Förderung": date(2027, 12, 31),
        "Ratssitzung": date(2027, 2, 10),
        "Frist der Haushaltsanmeldung": date(2027, 3, 31),
        "Spätester Beginn: Haushaltsplanung": date(2026, 9, 30),
        "Spätester Beginn: Vergaberecht": date(2026, 12, 31),
        "Spätester Beginn: Ratsbeschluss liegt vor": date(2027, 3, 31),
    }


def test_uids_are_stable_across_downloads_and_reveal_nothing_of_the_link(client, planned):
    _, first = download(client, planned)
    _, second = download(client, planned)
    uids = sorted(str(ev["UID"]) for ev in first.walk("VEVENT"))
    assert uids == sorted(str(ev["UID"]) for ev in second.walk("VEVENT"))
    assert len(set(uids)) == len(uids)
    fahrplan = planned["fahrplan"]
    assert not any(planned["token"] in uid or fahrplan.token_hash in uid for uid in uids)


def test_moving_a_date_keeps_the_uid_so_a_second_import_updates_the_event(client, planned):
    _, before = download(client, planned)
    Fahrplan.objects.filter(pk=planned["fahrplan"].pk).update(
        funding_end=date(2028, 6, 30), council_meetings=["2027-04-14"]
    )
    _, after = download(client, planned)
    old, new = events(before), events(after)
    for name in ("Ende der Förderung", "Ratssitzung", "Spätester Beginn: Vergaberecht"):
        assert old[name]["UID"] == new[name]["UID"]
        assert old[name].decoded("DTSTART") != new[name].decoded("DTSTART")


def test_another_plan_gets_other_uids(client, planned):
    _, calendar = download(client, planned)
    other, token = Fahrplan.create_with_token()
    other.funding_end = date(2027, 12, 31)
    other.save()
    response = client.get(f"/fahrplan/{token}/zeitplan.ics")
    other_uids = {str(ev["UID"]) for ev in Calendar.from_ical(response.content).walk("VEVENT")}
    assert other_uids.isdisjoint(str(ev["UID"]) for ev in calendar.walk("VEVENT"))


def test_each_event_links_back_to_its_item_in_the_fahrplan(client, planned):
    _, calendar = download(client, planned)
    tender = events(calendar)["Spätester Beginn: Vergaberecht"]
    assert str(tender["URL"]) == (
        f"http://testserver/fahrplan/{planned['token']}/zeitplan/#k{planned['tender'].pk}"
    )
    assert "12 Monate" in str(tender["DESCRIPTION"])
    assert str(tender["DESCRIPTION"]).endswith(f"Im Fahrplan: {tender['URL']}")


def test_calendar_is_never_stored_or_cached(client, planned):
    response, _ = download(client, planned)
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_calendar_of_a_deleted_plan_is_not_found(client, planned):
    planned["fahrplan"].delete()
    assert client.get(planned["base"] + "zeitplan.ics").status_code == 404


def test_calendar_without_a_funding_end_is_not_found(client, tools):
    response = client.get(tools["base"] + "zeitplan.ics")
    assert response.status_code == 404
