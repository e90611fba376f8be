"""Content checks about sources and honesty, part of ``manage.py check_content``.

- every criterion rests on a source with a link or is marked as the editors' assessment;
- every documented example names its source (URL) and the date it was checked („Stand“);
- no illustrative scenario states figures in the past tense, which readers would take for
  measured results of a real municipality.
"""

import re

from django.db.models import Q

from phases.models import Criterion

from .models import PracticeExample

# A figure with a currency or percentage: „35.000 €“, „1,2 Mio. Euro“, „20 %“, „15 Prozent“.
FIGURE = re.compile(
    r"\d[\d.,]*\s*(?:(?:Mio|Mrd|Tsd)\.?\s*|(?:Millionen|Milliarden|Tausend)\s+)?"
    r"(?:€|Euro\b|EUR\b|%|Prozent\b)",
    re.IGNORECASE,
)
# Past-tense verbs that turn a figure into a reported result („sparte 20 %“, „kostete …“);
# each also in the plural (+n / +en).
PAST_TENSE = re.compile(
    r"\b(?:sparte|kostete|betrug|lag|sank|stieg|fiel|wurde|war|hatte|gab|brachte|erzielte"
    r"|senkte|reduzierte|verringerte|erhöhte|steigerte|investierte|zahlte|machte|ergab"
    r"|verzeichnete|erreichte|belief|amortisierte)(?:e?n)?\b",
    re.IGNORECASE,
)
# Sentence ends: „.“, „!“ or „?“ after a non-digit, then white space and a capital letter; or
# a line break. A full stop inside a number („35.000“) never splits; abbreviations lose their
# full stop first (ABBREVIATION), so „1,2 Mio. Euro“ stays one sentence.
SENTENCE_END = re.compile(r"(?<=\D[.!?])\s+(?=[A-ZÄÖÜ„\"*])|\n+")
ABBREVIATION = re.compile(r"\b(Mio|Mrd|Tsd|ca|rd|bzw|Nr|vgl|z\.\s?B|d\.\s?h|u\.\s?a)\.")


def past_figures(text):
    """The sentences of ``text`` that state a figure in the past tense."""
    return [
        sentence.strip()
        for sentence in SENTENCE_END.split(ABBREVIATION.sub(r"\1", text or ""))
        if FIGURE.search(sentence) and PAST_TENSE.search(sentence)
    ]


def criteria_without_source():
    sourced = Criterion.objects.filter(sources__url__gt="").values("pk")
    unsourced = Criterion.objects.exclude(pk__in=sourced).filter(editorial_assessment=False)
    for criterion in unsourced.order_by("title"):
        yield (
            "error",
            f"Kriterium „{criterion}“ hat keine Quelle mit Link und ist nicht als "
            "„Einschätzung der Redaktion“ markiert.",
        )


def documented_examples_without_source():
    documented = PracticeExample.objects.filter(evidence=PracticeExample.Evidence.DOCUMENTED)
    for example in documented.filter(Q(source_url="") | Q(checked_on__isnull=True)):
        missing = [
            name
            for name, gap in [
                ("Quelle (Link)", not example.source_url),
                ("Stand (Datum der Prüfung)", example.checked_on is None),
            ]
            if gap
        ]
        yield ("error", f"Dokumentiertes Beispiel „{example}“ ohne {' und '.join(missing)}.")


def scenarios_with_past_figures():
    scenarios = PracticeExample.objects.filter(evidence=PracticeExample.Evidence.ILLUSTRATIVE)
    for example in scenarios.order_by("title"):
        text = "\n".join([example.summary, example.body, example.lessons_learned])
        for sentence in past_figures(text):
            yield (
                "error",
                f"Szenario „{example}“ nennt Zahlen in der Vergangenheitsform, als wären sie "
                f"gemessen: „{sentence[:160]}“",
            )


def source_problems():
    """(level, message) pairs; ``workspace.integrity`` turns them into its problems."""
    return [
        *criteria_without_source(),
        *documented_examples_without_source(),
        *scenarios_with_past_figures(),
    ]
