import pytest

from tests import factories


@pytest.fixture
def roadmap(db):
    """A small published roadmap: two phase groups, two workstreams, criteria, milestones."""
    first = factories.phase(name="Ideenfindung", slug="ideenfindung", number="P1", order=1)
    second = factories.phase(name="Pilotphase", slug="pilotphase", number="P3", order=3)
    economic = factories.workstream(name="Wirtschaftlich", slug="wirtschaftlich", label="WIR")
    technical = factories.workstream(name="Technisch", slug="technisch", label="TEC")
    return {
        "first": first,
        "second": second,
        "economic": economic,
        "technical": technical,
        "criterion": factories.criterion(
            first, [economic], title="Problemanalyse", slug="problemanalyse"
        ),
        "milestone": factories.milestone(first, title="Bedarf belegt", slug="bedarf-belegt"),
    }
