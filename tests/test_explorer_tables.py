"""The explorer's filter keys and cards kept per content state (phases/explorer.py,
core/filtering.py): a change shows with the next request, a draft never."""

from core.publishing import Status
from tests import factories
from tests.filter_helpers import facet_counts

URL = "/kriterien/"


def titles(response):
    return [criterion.title for criterion in response.context["criteria"]]


def test_explorer_lists_and_counts_a_new_criterion_on_the_next_request(client, roadmap):
    assert titles(client.get(URL, {"arbeitsstrang": "technisch"})) == []
    factories.criterion(roadmap["second"], [roadmap["technical"]], title="Neu im Betrieb")
    response = client.get(URL, {"arbeitsstrang": "technisch"})
    assert titles(response) == ["Neu im Betrieb"]
    assert facet_counts(response, "phase")["pilotphase"] == 1
    assert ">Technisch</span>" in response.content.decode()


def test_explorer_follows_a_changed_workstream_and_an_unpublished_criterion(client, roadmap):
    criterion = roadmap["criterion"]
    assert titles(client.get(URL, {"arbeitsstrang": "wirtschaftlich"})) == ["Problemanalyse"]
    criterion.workstreams.set([roadmap["technical"]])
    assert titles(client.get(URL, {"arbeitsstrang": "wirtschaftlich"})) == []
    response = client.get(URL, {"arbeitsstrang": "technisch"})
    assert titles(response) == ["Problemanalyse"]
    assert ">Wirtschaftlich</span>" not in response.content.decode()
    criterion.status = Status.DRAFT
    criterion.save()
    assert titles(client.get(URL)) == []


def test_explorer_never_lists_or_counts_a_draft_criterion(client, roadmap):
    factories.criterion(roadmap["first"], [roadmap["economic"]], title="Geheim", status="draft")
    for _ in range(2):  # while the tables are built and from the tables
        response = client.get(URL)
        assert titles(response) == ["Problemanalyse"]
        assert facet_counts(response, "phase")["ideenfindung"] == 1
