"""Tiny factories: each call creates one published object with sensible defaults."""

from itertools import count

from examples.models import PracticeExample, Resource
from phases.models import (
    Criterion,
    CrossReference,
    Milestone,
    OperatorModel,
    Phase,
    ScalingDriver,
    Stakeholder,
    Workstream,
)
from roadmap.models import GlossaryTerm
from roadmap.publishing import Status

_numbers = count(1)


def _n():
    return next(_numbers)


def phase(**fields):
    n = _n()
    defaults = {
        "name": f"Phase {n}",
        "slug": f"phase-{n}",
        "number": f"P{n}",
        "order": n,
        "teaser": f"Kurztext der Phase {n}.",
        "status": Status.PUBLISHED,
    }
    return Phase.objects.create(**(defaults | fields))


def workstream(**fields):
    n = _n()
    used = set(Workstream.objects.values_list("colour", flat=True))
    colour = next(c for c in Workstream.Colour.values if c not in used)
    defaults = {
        "name": f"Strang {n}",
        "slug": f"strang-{n}",
        "label": f"S{n}",
        "colour": colour,
        "order": n,
        "status": Status.PUBLISHED,
    }
    return Workstream.objects.create(**(defaults | fields))


def milestone(phase, **fields):
    n = _n()
    defaults = {
        "title": f"Meilenstein {n}",
        "slug": f"meilenstein-{n}",
        "order": n,
        "question": f"Ist Meilenstein {n} erreicht?",
        "status": Status.PUBLISHED,
    }
    return Milestone.objects.create(phase=phase, **(defaults | fields))


def criterion(phase, workstreams=(), **fields):
    n = _n()
    defaults = {
        "title": f"Kriterium {n}",
        "slug": f"kriterium-{n}",
        "summary": f"Zusammenfassung {n}.",
        "body": "## Worum geht es?\n\nText.",
        "status": Status.PUBLISHED,
    }
    obj = Criterion.objects.create(phase=phase, **(defaults | fields))
    obj.workstreams.set(workstreams)
    return obj


def scaling_driver(**fields):
    n = _n()
    defaults = {"name": f"Treiber {n}", "slug": f"treiber-{n}", "status": Status.PUBLISHED}
    return ScalingDriver.objects.create(**(defaults | fields))


def stakeholder(**fields):
    n = _n()
    defaults = {"name": f"Akteur {n}", "slug": f"akteur-{n}", "status": Status.PUBLISHED}
    return Stakeholder.objects.create(**(defaults | fields))


def operator_model(**fields):
    n = _n()
    defaults = {
        "name": f"Modell {n}",
        "slug": f"modell-{n}",
        "family": OperatorModel.Family.ORGANISATIONAL,
        "summary": "Kurz.",
        "description": "Beschreibung.",
        "advantages": "- gut",
        "disadvantages": "- schlecht",
        "status": Status.PUBLISHED,
    }
    return OperatorModel.objects.create(**(defaults | fields))


def example(phase, **fields):
    n = _n()
    defaults = {
        "title": f"Beispiel {n}",
        "slug": f"beispiel-{n}",
        "municipality": "eine Mittelstadt in Süddeutschland",
        "state": "BW",
        "size_class": PracticeExample.SizeClass.MEDIUM_TOWN,
        "solution_type": PracticeExample.SolutionType.APP,
        "summary": "Kurz.",
        "body": "Text.",
        "evidence": PracticeExample.Evidence.ILLUSTRATIVE,
        "status": Status.PUBLISHED,
    }
    return PracticeExample.objects.create(phase_reached=phase, **(defaults | fields))


def resource(**fields):
    n = _n()
    defaults = {
        "title": f"Ressource {n}",
        "slug": f"ressource-{n}",
        "publisher": "BBSR",
        "year": 2024,
        "kind": Resource.Kind.STUDY,
        "status": Status.PUBLISHED,
    }
    return Resource.objects.create(**(defaults | fields))


def glossary_term(**fields):
    n = _n()
    defaults = {
        "term": f"Begriff {n}",
        "slug": f"begriff-{n}",
        "definition": "Erklärung.",
        "status": Status.PUBLISHED,
    }
    return GlossaryTerm.objects.create(**(defaults | fields))


def cross_reference(source, **fields):
    fields.setdefault("note", "Weil es zusammengehört.")
    return CrossReference.objects.create(source=source, **fields)
