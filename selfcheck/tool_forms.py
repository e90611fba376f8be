"""Forms of the Fahrplan tools: funding-end planner, document fields, decision log.

Every message is German and names the field; dates are accepted as 2027-12-31 (what a date
input sends) or 31.12.2027 (typed without JavaScript or in an old browser).
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from phases.models import OperatorModel

from .decisions import REASON_MAX_LENGTH, Outcome

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
# C0 controls except tab and line breaks, DEL and C1 controls, and Unicode's line/paragraph
# separators: none belongs in a name, and XML (DOCX, ODT) cannot even carry most of them.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\t\r\n]")
MAX_ANNUAL_COSTS = 100_000_000


def no_control_chars(label, multiline=False):
    def validate(value):
        if CONTROL_CHARS.search(value) or (not multiline and LINE_BREAKS.search(value)):
            raise ValidationError(
                f"„{label}“ enthält Steuerzeichen oder Zeilenumbrüche. Bitte geben Sie nur "
                "normalen Text ein."
            )

    return validate


def date_field(label, required=False):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Bitte geben Sie „{label}“ an.",
            "invalid": f"„{label}“ ist kein gültiges Datum. Bitte im Format TT.MM.JJJJ "
            "eingeben, z. B. 31.12.2027.",
        },
    )


def text_field(label, max_length, multiline=False, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput,
        validators=[no_control_chars(label, multiline)],
        error_messages={
            "required": f"Bitte geben Sie „{label}“ an.",
            "max_length": f"„{label}“ ist zu lang: höchstens {max_length} Zeichen, "
            "Sie haben %(show_value)d eingegeben.",
        },
    )


def check_range(form, name, earliest, latest, label):
    day = form.cleaned_data.get(name)
    if day is None:
        return
    if day < earliest:
        form.add_error(
            name,
            f"„{label}“ liegt zu weit in der Vergangenheit. Frühestens möglich ist der "
            f"{earliest:%d.%m.%Y}.",
        )
    elif day > latest:
        form.add_error(
            name,
            f"„{label}“ liegt zu weit in der Zukunft. Spätestens möglich ist der "
            f"{latest:%d.%m.%Y}.",
        )


def years_from(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


COUNCIL_FIELDS = ("ratssitzung_1", "ratssitzung_2", "ratssitzung_3")


class ScheduleForm(forms.Form):
    """End of funding (required), budget registration deadline and up to three meetings."""

    foerderende = date_field("Ende der Förderung", required=True)
    haushaltsfrist = date_field("Frist der Haushaltsanmeldung")
    ratssitzung_1 = date_field("Nächste Ratssitzung")
    ratssitzung_2 = date_field("Übernächste Ratssitzung")
    ratssitzung_3 = date_field("Weitere Ratssitzung")

    @classmethod
    def for_fahrplan(cls, fahrplan, data=None):
        meetings = [date.fromisoformat(v) for v in (fahrplan.council_meetings or [])[:3]]
        initial = {
            "foerderende": fahrplan.funding_end,
            "haushaltsfrist": fahrplan.budget_deadline,
            **dict(zip(COUNCIL_FIELDS, meetings, strict=False)),
        }
        return cls(data, initial=initial)

    def clean(self):
        today = timezone.localdate()
        check_range(
            self, "foerderende", years_from(today, -3), years_from(today, 15), "Ende der Förderung"
        )
        for name in ("haushaltsfrist", *COUNCIL_FIELDS):
            label = self.fields[name].label
            check_range(self, name, years_from(today, -1), years_from(today, 15), label)
        return self.cleaned_data

    def save(self, fahrplan):
        data = self.cleaned_data
        fahrplan.funding_end = data["foerderende"]
        fahrplan.budget_deadline = data["haushaltsfrist"]
        meetings = sorted({data[name] for name in COUNCIL_FIELDS if data[name]})
        fahrplan.council_meetings = [day.isoformat() for day in meetings]
        fahrplan.last_touched = timezone.now()
        fahrplan.save(
            update_fields=["funding_end", "budget_deadline", "council_meetings", "last_touched"]
        )


class DocumentFieldsForm(forms.Form):
    """The few entries the documents need; all optional, gaps stay visible in the draft."""

    loesung = text_field("Name der Lösung", 120)
    kommune = text_field("Kommune", 120)
    betreibermodell = forms.ModelChoiceField(
        label="Gewähltes Betreibermodell",
        queryset=OperatorModel.objects.published().only("pk", "name"),
        required=False,
        empty_label="noch nicht gewählt",
        error_messages={
            "invalid_choice": "Dieses Betreibermodell gibt es nicht (mehr). Bitte wählen Sie "
            "eines aus der Liste."
        },
    )
    jahreskosten = forms.IntegerField(
        label="Erwartete Kosten je Jahr in Euro",
        required=False,
        min_value=0,
        max_value=MAX_ANNUAL_COSTS,
        error_messages={
            "invalid": "Bitte geben Sie die Kosten je Jahr als ganze Zahl in Euro ein, "
            "ohne Punkte und Cent, z. B. 45000.",
            "min_value": "Die Kosten je Jahr können nicht negativ sein.",
            "max_value": "Die Kosten je Jahr sind unrealistisch hoch: höchstens "
            f"{MAX_ANNUAL_COSTS:,} Euro.".replace(",", "."),
        },
    )

    @classmethod
    def for_fahrplan(cls, fahrplan, data=None):
        initial = {
            "loesung": fahrplan.solution_name,
            "kommune": fahrplan.municipality,
            "betreibermodell": fahrplan.operator_model_id,
            "jahreskosten": fahrplan.annual_costs,
        }
        return cls(data, initial=initial)

    def save(self, fahrplan):
        data = self.cleaned_data
        fahrplan.solution_name = data["loesung"]
        fahrplan.municipality = data["kommune"]
        fahrplan.operator_model = data["betreibermodell"]
        fahrplan.annual_costs = data["jahreskosten"]
        fahrplan.last_touched = timezone.now()
        fahrplan.save(
            update_fields=[
                "solution_name",
                "municipality",
                "operator_model",
                "annual_costs",
                "last_touched",
            ]
        )


class DecisionForm(forms.Form):
    entscheidung = forms.ChoiceField(
        label="Entscheidung",
        choices=Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        error_messages={
            "required": "Bitte wählen Sie eine Entscheidung: weitermachen, anpassen oder beenden.",
            "invalid_choice": "Bitte wählen Sie eine der drei Entscheidungen.",
        },
    )
    datum = date_field("Datum der Entscheidung", required=True)
    begruendung = text_field("Begründung", REASON_MAX_LENGTH, multiline=True)

    def clean(self):
        today = timezone.localdate()
        check_range(
            self, "datum", years_from(today, -10), years_from(today, 2), "Datum der Entscheidung"
        )
        return self.cleaned_data
