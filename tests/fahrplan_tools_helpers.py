"""Shared set-up for the Fahrplan tool tests: a small roadmap with lead times."""

import pytest

from selfcheck.documents.models import Vorlage
from selfcheck.models import Fahrplan
from tests import factories

RESOLUTION_BODY = """# Betreff
Verstetigung von {loesung} in {kommune}

# Ergebnisse
{erreichte_meilensteine}

# Betreibermodell
Vorgesehen: {betreibermodell}, Kosten {jahreskosten} je Jahr, Förderende {foerderende}.

# Entscheidungen
{entscheidungen}
"""
CONCEPT_BODY = """# Zweck
Betrieb von {loesung}.

{kapitel_je_arbeitsstrang}
"""


@pytest.fixture
def tools(db):
    p1 = factories.phase(name="Ideenfindung", slug="ideenfindung", number="P1", order=1)
    p4 = factories.phase(name="Verstetigung", slug="verstetigung", number="P4", order=4)
    p5 = factories.phase(name="Transfer", slug="transfer", number="P5", order=5)
    economic = factories.workstream(name="Wirtschaftlich", slug="wirtschaftlich")
    technical = factories.workstream(name="Technisch", slug="technisch")
    tender = factories.criterion(
        p4,
        [economic],
        title="Vergaberecht",
        slug="vergaberecht",
        lead_time_months=12,
        lead_time_reason="eine EU-weite Ausschreibung",
    )
    council = factories.milestone(
        p4,
        title="Ratsbeschluss liegt vor",
        slug="m-ratsbeschluss",
        lead_time_months=9,
        lead_time_reason="einen Ratsbeschluss",
        needs_council_decision=True,
    )
    budget = factories.criterion(
        p4,
        [technical],
        title="Haushaltsplanung",
        slug="haushaltsplanung",
        lead_time_months=15,
        lead_time_reason="die Haushaltsanmeldung",
    )
    untimed = factories.criterion(p1, [technical], title="Problemanalyse", slug="problemanalyse")
    reached = factories.milestone(p1, title="Bedarf belegt", slug="bedarf-belegt")
    alternative = factories.criterion(
        p4, [economic], title="Anschlussfinanzierung", slug="anschlussfinanzierung"
    )
    resolution = Vorlage.objects.create(
        title="Beschlussvorlage zur Verstetigung (Entwurf)",
        slug="beschlussvorlage",
        kind=Vorlage.Kind.RESOLUTION,
        purpose="Für den Rat.",
        body=RESOLUTION_BODY,
        status="published",
    )
    resolution.phases.set([p4])
    resolution.criteria.set([tender])
    concept = Vorlage.objects.create(
        title="Betriebskonzept (Gliederung)",
        slug="betriebskonzept",
        kind=Vorlage.Kind.OPERATING_CONCEPT,
        purpose="Für den Betrieb.",
        body=CONCEPT_BODY,
        order=2,
        status="published",
    )
    fahrplan, token = Fahrplan.create_with_token()
    return {
        "p1": p1,
        "p4": p4,
        "p5": p5,
        "economic": economic,
        "technical": technical,
        "tender": tender,
        "council": council,
        "budget": budget,
        "untimed": untimed,
        "reached": reached,
        "alternative": alternative,
        "resolution": resolution,
        "concept": concept,
        "fahrplan": fahrplan,
        "token": token,
        "base": f"/fahrplan/{token}/",
    }
