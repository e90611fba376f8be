"""The funding-end planner: a backward schedule from the end of funding.

For every open milestone and criterion with a lead time (maintained by editors as
"Vorlauf vor Förderende in Monaten"), the latest start is the end of funding minus that many
months. Month arithmetic keeps month ends: counting back 4 months from 30 June gives
28/29 February, and from 30 June (a month end) 1 month gives 31 May. "Today" is the date in
Europe/Berlin (``timezone.localdate()``), not on the server's clock.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from phases.models import Criterion

# A latest start within this many days counts as "bald".
SOON_DAYS = 92
# Where to look when a step is too late before the end of funding.
ALTERNATIVE_SLUGS = (
    "anschlussfinanzierung",
    "einer-fuer-alle",
    "interkommunale-kooperation",
    "kosten-teilen",
    "massnahme-beenden",
)


class State:
    PASSED = "passed"
    SOON = "soon"
    OPEN = "open"


STATE_LABELS = {
    State.PASSED: "zu spät",
    State.SOON: "bald beginnen",
    State.OPEN: "rechtzeitig",
}


def is_month_end(day):
    return day.day == calendar.monthrange(day.year, day.month)[1]


def months_before(day, months):
    """``day`` minus ``months`` calendar months; a month end stays a month end."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if is_month_end(day) else min(day.day, last))


def state_of(latest_start, today):
    if latest_start < today:
        return State.PASSED
    if latest_start <= today + timedelta(days=SOON_DAYS):
        return State.SOON
    return State.OPEN


@dataclass
class Deadline:
    """One step of the backward schedule."""

    item: object  # selfcheck.plan.Item
    latest_start: date
    state: str
    # For steps that need a council decision: the entered meetings between the latest start
    # and the end of funding (empty if none fits; None if the team entered no meetings).
    council_meetings: list | None = None

    @property
    def key(self):
        return self.item.key

    @property
    def title(self):
        return self.item.title

    @property
    def months(self):
        return self.item.obj.lead_time_months

    @property
    def reason(self):
        return self.item.obj.lead_time_reason or self.item.title

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def is_passed(self):
        return self.state == State.PASSED

    @property
    def needs_council(self):
        return self.item.obj.needs_council_decision


@dataclass(frozen=True)
class FixedDate:
    """A date the team entered: a council meeting or the budget registration deadline."""

    key: str
    day: date
    title: str
    is_past: bool


@dataclass
class SchedulePhase:
    plan_phase: object
    deadlines: list

    @property
    def anchor(self):
        return f"zeitplan-{self.plan_phase.phase.slug}"

    @property
    def passed_count(self):
        return sum(1 for d in self.deadlines if d.is_passed)


@dataclass
class Schedule:
    funding_end: date | None
    today: date
    phases: list = field(default_factory=list)
    fixed_dates: list = field(default_factory=list)
    alternatives: list = field(default_factory=list)

    @property
    def deadlines(self):
        return sorted(
            (d for p in self.phases for d in p.deadlines), key=lambda d: (d.latest_start, d.title)
        )

    @property
    def passed(self):
        return [d for d in self.deadlines if d.is_passed]

    @property
    def is_set(self):
        return self.funding_end is not None

    @property
    def budget_deadline_passed(self):
        return any(fixed.key == "haushalt" and fixed.is_past for fixed in self.fixed_dates)

    @property
    def funding_end_passed(self):
        return self.funding_end is not None and self.funding_end < self.today


def fixed_dates(fahrplan, today):
    # Keys by position, so a moved meeting updates its calendar event instead of adding one.
    dates = [
        FixedDate(f"rat-{number}", day, "Ratssitzung", day < today)
        for number, day in enumerate(council_meeting_dates(fahrplan), start=1)
    ]
    if fahrplan.budget_deadline:
        day = fahrplan.budget_deadline
        dates.append(FixedDate("haushalt", day, "Frist der Haushaltsanmeldung", day < today))
    return sorted(dates, key=lambda fixed: fixed.day)


def council_meeting_dates(fahrplan):
    """The stored ISO dates as ``date`` objects; anything unreadable is skipped."""
    days = []
    for value in fahrplan.council_meetings or []:
        try:
            days.append(date.fromisoformat(str(value)))
        except ValueError:
            continue
    return sorted(days)


def build_schedule(plan, today=None):
    """The backward schedule of ``plan`` (a selfcheck.plan.Plan); one query for alternatives."""
    fahrplan = plan.fahrplan
    today = today or timezone.localdate()
    schedule = Schedule(fahrplan.funding_end, today, fixed_dates=fixed_dates(fahrplan, today))
    if fahrplan.funding_end is None:
        return schedule
    meetings = [day for day in council_meeting_dates(fahrplan) if day >= today]
    for plan_phase in plan.phases:
        deadlines = []
        for item in plan_phase.items:
            months = item.obj.lead_time_months
            if item.done or months is None:
                continue
            latest = months_before(fahrplan.funding_end, months)
            deadline = Deadline(item, latest, state_of(latest, today))
            if meetings and item.obj.needs_council_decision:
                deadline.council_meetings = [
                    day for day in meetings if latest <= day <= fahrplan.funding_end
                ]
            deadlines.append(deadline)
        if deadlines:
            deadlines.sort(key=lambda d: (d.latest_start, d.title))
            schedule.phases.append(SchedulePhase(plan_phase, deadlines))
    if schedule.passed:
        schedule.alternatives = alternative_criteria()
    return schedule


def alternative_criteria():
    by_slug = {
        c.slug: c
        for c in Criterion.objects.published()
        .filter(slug__in=ALTERNATIVE_SLUGS)
        .only("slug", "title")
    }
    return [by_slug[slug] for slug in ALTERNATIVE_SLUGS if slug in by_slug]
