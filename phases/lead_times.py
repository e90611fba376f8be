"""Lead times: how many months before the end of funding a step must start at the latest.

Editors maintain them on milestones and criteria; the Fahrplan's funding-end planner
(selfcheck/schedule.py) counts back from the end of funding with them.
"""

from django.core.validators import MaxValueValidator
from django.db import models

MAX_LEAD_TIME_MONTHS = 60


def lead_time_months_field():
    return models.PositiveSmallIntegerField(
        "Vorlauf vor Förderende in Monaten",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_LEAD_TIME_MONTHS)],
        help_text="Spätestens so viele Monate vor dem Ende der Förderung muss dieser Schritt "
        "beginnen, z. B. 12 für eine EU-weite Ausschreibung. Leer lassen, wenn der Schritt "
        "nicht an das Förderende gebunden ist.",
    )


def lead_time_reason_field():
    return models.CharField(
        "Grund für den Vorlauf",
        max_length=160,
        blank=True,
        help_text="Kurz, ergänzt den Satz „zu spät für …“, z. B. „eine EU-weite Ausschreibung“.",
    )


def needs_council_decision_field():
    return models.BooleanField(
        "braucht einen Beschluss des Rats",
        default=False,
        help_text="Dann zeigt der Zeitplan im Fahrplan, welche eingetragenen Ratssitzungen "
        "zwischen dem spätesten Beginn und dem Förderende liegen.",
    )
