"""Tiny factories: each call creates one published object with sensible defaults."""

from itertools import count

from core.publishing import Status
from examples.models import PracticeExample, Resource, Source
from information.models import GlossaryTerm
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


def source(**fields):
    """A cited document (sources have no publication state)."""
    n = _n()
    defaults = {
        "title": f"Quelle {n}",
        "slug": f"quelle-{n}",
        "publisher": "BBSR",
        "year": 2025,
        "url": f"https://example.org/quelle-{n}",
    }
    return Source.objects.create(**(defaults | fields))


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


def open_data_content(roadmap):
    """Published content in every open-data collection, next to drafts and hidden items.

    Hidden: drafts, a published sub-phase below a draft phase group, a published milestone,
    criterion and example of that draft group, a published driver below a draft driver.
    """
    from phases.models import PhaseReference

    first, second = roadmap["first"], roadmap["second"]
    economic, technical = roadmap["economic"], roadmap["technical"]
    draft = {"status": Status.DRAFT}
    hidden_group = phase(name="Unfertige Phase", slug="unfertige-phase", number="P9", **draft)
    concept = phase(parent=first, name="Konzept", slug="konzept", number="")
    items = {
        "concept": concept,
        "hidden_group": hidden_group,
        "hidden_sub_phase": phase(parent=hidden_group, name="Versteckt", slug="versteckt"),
        "draft_workstream": workstream(name="Entwurfsstrang", slug="entwurfsstrang", **draft),
        "politics": stakeholder(name="Kommunalpolitik", slug="politik"),
        "draft_stakeholder": stakeholder(name="Geheimrat", slug="geheimrat", **draft),
        "in_house": operator_model(name="Eigenbetrieb", slug="eigenbetrieb"),
        "draft_model": operator_model(name="Entwurfsmodell", slug="entwurfsmodell", **draft),
        "benefit": scaling_driver(name="Nutzen", slug="nutzen"),
        "draft_driver": scaling_driver(name="Geheimtreiber", slug="geheimtreiber", **draft),
        "hidden_milestone": milestone(hidden_group, title="Verborgen", slug="verborgen"),
        "draft_milestone": milestone(first, title="Entwurfsziel", slug="entwurfsziel", **draft),
        "term": glossary_term(term="Proof of Concept", slug="proof-of-concept"),
        "draft_term": glossary_term(term="Geheimwort", slug="geheimwort", **draft),
    }
    items["participation"] = scaling_driver(
        parent=items["benefit"], name="Beteiligung", slug="beteiligung"
    )
    items["below_draft_driver"] = scaling_driver(
        parent=items["draft_driver"], name="Darunter", slug="darunter"
    )
    interfaces = criterion(
        first, [technical, items["draft_workstream"]], title="Offene Schnittstellen",
        slug="offene-schnittstellen", summary="= Formel; keine", body="- Punkt eins\n- Punkt zwei",
        scaling_driver=items["participation"], transfer_relevant=True, source="BBSR 2024",
    )  # fmt: skip
    interfaces.sub_phases.set([concept, items["hidden_sub_phase"]])
    interfaces.stakeholders.set([items["politics"], items["draft_stakeholder"]])
    interfaces.operator_models.set([items["in_house"], items["draft_model"]])
    interfaces.milestones.set([roadmap["milestone"], items["hidden_milestone"]])
    hosting = criterion(
        second, [economic, technical], title="Betriebsplattform", slug="betriebsplattform",
        scaling_driver=items["below_draft_driver"],
    )  # fmt: skip
    hosting.operator_models.set([items["in_house"]])
    items["draft_criterion"] = criterion(
        second, [technical], title="Unfertiger Entwurf", slug="entwurf", **draft
    )
    items["hidden_criterion"] = criterion(
        hidden_group, [technical], title="Verborgenes Kriterium", slug="verborgenes-kriterium"
    )
    example_ = example(second, title="Parksensoren", slug="parksensoren", state="NW")
    example_.criteria.set([interfaces, items["draft_criterion"]])
    items["draft_example"] = example(second, title="Geheimbeispiel", slug="geheimbeispiel", **draft)
    items["hidden_example"] = example(
        hidden_group, title="Verborgenes Beispiel", slug="verborgen-bsp"
    )
    guide = resource(title="Leitfaden Verstetigung", slug="leitfaden", url="https://example.org/")
    guide.criteria.set([interfaces, items["draft_criterion"]])
    items["draft_resource"] = resource(title="Entwurfsquelle", slug="entwurfsquelle", **draft)
    study = source(title="Studie Verstetigung", slug="studie-verstetigung")
    study.criteria.set([interfaces, items["draft_criterion"]])
    study.examples.set([example_, items["hidden_example"]])
    study.operator_models.set([items["in_house"], items["draft_model"]])
    study.phases.set([first, hidden_group])
    # Cited by hidden items only: not part of the open data.
    source(slug="verdeckte-quelle").criteria.set([items["hidden_criterion"]])
    cross_reference(
        interfaces, kind=CrossReference.Kind.REQUIRES, target_criterion=roadmap["criterion"]
    )
    cross_reference(interfaces, target_example=example_)
    cross_reference(interfaces, target_criterion=items["draft_criterion"])
    cross_reference(interfaces, target_milestone=items["hidden_milestone"])
    PhaseReference.objects.create(from_phase=second, to_phase=first, note="Baut darauf auf.")
    PhaseReference.objects.create(from_phase=second, to_phase=hidden_group, note="Verborgen.")
    return (
        roadmap
        | items
        | {
            "interfaces": interfaces,
            "hosting": hosting,
            "example": example_,
            "resource": guide,
            "source": study,
        }
    )


def more_open_data(content):
    """One more published item in every open-data collection, with all its relations."""
    group = phase()
    sub_phase = phase(parent=group, number="")
    new_milestone = milestone(group)
    driver = scaling_driver(parent=content["benefit"])
    new_criterion = criterion(group, [content["technical"]], scaling_driver=driver)
    new_criterion.sub_phases.set([sub_phase])
    new_criterion.stakeholders.set([stakeholder()])
    new_criterion.operator_models.set([operator_model()])
    new_criterion.milestones.set([new_milestone])
    cross_reference(new_criterion, target_criterion=content["interfaces"])
    new_example = example(group)
    new_example.criteria.set([new_criterion])
    resource().criteria.set([new_criterion])
    source().criteria.set([new_criterion])
    glossary_term()
    return new_criterion


# What open_data_content() creates: slugs that no export may show, and the public ones.
OPEN_DATA_HIDDEN_SLUGS = [
    "unfertige-phase",
    "versteckt",
    "entwurfsstrang",
    "geheimrat",
    "entwurfsmodell",
    "geheimtreiber",
    "darunter",
    "verborgen",
    "entwurfsziel",
    "geheimwort",
    "entwurf",
    "verborgenes-kriterium",
    "geheimbeispiel",
    "verborgen-bsp",
    "entwurfsquelle",
    "verdeckte-quelle",
]

OPEN_DATA_PUBLIC_SLUGS = {
    "phases": ["ideenfindung", "konzept", "pilotphase"],
    "workstreams": ["wirtschaftlich", "technisch"],
    "milestones": ["bedarf-belegt"],
    "criteria": ["offene-schnittstellen", "problemanalyse", "betriebsplattform"],
    "stakeholders": ["politik"],
    "scaling_drivers": ["nutzen", "beteiligung"],
    "operator_models": ["eigenbetrieb"],
    "examples": ["parksensoren"],
    "resources": ["leitfaden"],
    "glossary": ["proof-of-concept"],
    "sources": ["studie-verstetigung"],
}
