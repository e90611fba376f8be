"""The backward schedule as an iCalendar file (RFC 5545), generated per request.

One event per date, at 09:00–09:30 Europe/Berlin with the matching VTIMEZONE, so
Thunderbird and Outlook show it at the same local time. Each UID is derived from the plan's
stored hash and the item, never from the secret link: importing the file again updates the
events instead of duplicating them, and the UID reveals nothing about the plan's address.
"""

import hashlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

BERLIN = ZoneInfo("Europe/Berlin")
EVENT_START = time(9, 0)
EVENT_LENGTH = timedelta(minutes=30)
UID_DOMAIN = "skalierungsroadmap.fahrplan"


def _yearly_switch(component, name, since, offset_from, offset_to, month):
    """One clock change: on the last Sunday of ``month``, from UTC+offset_from to UTC+offset_to."""
    component.add("tzname", name)
    component.add("dtstart", since)
    component.add("tzoffsetfrom", timedelta(hours=offset_from))
    component.add("tzoffsetto", timedelta(hours=offset_to))
    component.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
    return component


def berlin_timezone():
    """VTIMEZONE with the EU's yearly rules, the form Outlook and Thunderbird write themselves
    (instead of a list of past transition dates that ends in 2038)."""
    tz = Timezone()
    tz.add("tzid", "Europe/Berlin")
    tz.add_component(
        _yearly_switch(TimezoneDaylight(), "CEST", datetime(1981, 3, 29, 2, 0), 1, 2, month=3)
    )
    tz.add_component(
        _yearly_switch(TimezoneStandard(), "CET", datetime(1996, 10, 27, 3, 0), 2, 1, month=10)
    )
    return tz


def uid(fahrplan, key):
    digest = hashlib.sha256(f"{fahrplan.token_hash}:{key}".encode()).hexdigest()[:40]
    return f"{digest}@{UID_DOMAIN}"


def at_nine(day):
    return datetime.combine(day, EVENT_START, tzinfo=BERLIN)


def event(fahrplan, key, day, summary, description, url, stamp):
    ev = Event()
    ev.add("uid", uid(fahrplan, key))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", at_nine(day))
    ev.add("dtend", at_nine(day) + EVENT_LENGTH)
    ev.add("summary", summary)
    # Outlook does not show the URL property, so the link is in the text as well.
    ev.add("description", f"{description}\n\nIm Fahrplan: {url}")
    ev.add("url", url)
    ev.add("transp", "TRANSPARENT")
    return ev


def build_calendar(schedule, fahrplan, plan_url):
    """``plan_url``: absolute address of the schedule page; each event links to its item."""
    stamp = timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Skalierungsroadmap//Fahrplan//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Fahrplan: Zeitplan bis Förderende")
    cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(berlin_timezone())
    if schedule.funding_end:
        cal.add_component(
            event(
                fahrplan,
                "foerderende",
                schedule.funding_end,
                "Ende der Förderung",
                "Letzter Tag der Förderung laut Ihrem Fahrplan.",
                plan_url,
                stamp,
            )
        )
    for fixed in schedule.fixed_dates:
        cal.add_component(
            event(fahrplan, fixed.key, fixed.day, fixed.title, fixed.title + ".", plan_url, stamp)
        )
    for deadline in schedule.deadlines:
        late = " (bereits zu spät)" if deadline.is_passed else ""
        description = (
            f"{deadline.item.kind_label}: {deadline.title}. Vorlauf {deadline.months} Monate "
            f"vor Förderende für {deadline.reason}. Spätester Beginn{late}."
        )
        cal.add_component(
            event(
                fahrplan,
                deadline.key,
                deadline.latest_start,
                f"Spätester Beginn: {deadline.title}",
                description,
                f"{plan_url}#{deadline.key}",
                stamp,
            )
        )
    return cal.to_ical()
