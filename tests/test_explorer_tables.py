"""The explorer's filter keys and cards kept per content state (phases/explorer.py,
core/filtering.py): a change shows with the next request, a draft never."""

from django.http import QueryDict

from core.filtering import FilterSet
from core.publishing import Status
from phases.explorer import CRITERION_FACETS, CriterionExplorerView
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


def _counts_item_by_item(filterset, items):
    """The filter counts the slow way, item by item (how core/filtering.py counted before)."""
    getters = filterset.getters(items)
    columns = sorted({column for bound in filterset.facets for column in bound.facet.columns})
    active = filterset.active
    counts = {bound.param: {} for bound in filterset.facets}
    results = []
    for row in items.values("pk", *columns):
        keys = {param: set(getter(row)) for param, getter in getters.items()}
        failing = [b.param for b in active if not keys[b.param] & b.selected_keys]
        counted = keys if not failing else {failing[0]: keys[failing[0]]}
        if not failing:
            results.append(row["pk"])
        if len(failing) <= 1:
            for param, item_keys in counted.items():
                for key in item_keys:
                    counts[param][key] = counts[param].get(key, 0) + 1
    return results, {
        bound.param: [counts[bound.param].get(option.key, 0) for option in bound.options]
        for bound in filterset.facets
    }


def test_filter_counts_from_the_index_equal_an_item_by_item_recount(roadmap):
    first, second = roadmap["first"], roadmap["second"]
    economic, technical = roadmap["economic"], roadmap["technical"]
    people = [factories.stakeholder(slug=f"akteur-{n}") for n in range(3)]
    model = factories.operator_model(slug="eigenbetrieb")
    top = factories.scaling_driver(slug="nutzen")
    below = factories.scaling_driver(parent=top, slug="beteiligung")
    for n in range(12):
        criterion = factories.criterion(
            (first, second)[n % 2],
            [(economic,), (technical,), (economic, technical)][n % 3],
            scaling_driver=(None, top, below)[n % 3 if n % 4 else 0],
            transfer_relevant=n % 5 == 0,
            status=Status.DRAFT if n == 7 else Status.PUBLISHED,
        )
        criterion.stakeholders.set(people[: n % 4])
        if n % 3 == 1:
            criterion.operator_models.add(model)
    items = CriterionExplorerView().get_base_queryset()
    for query in [
        "",
        "arbeitsstrang=technisch",
        "phase=pilotphase&arbeitsstrang=technisch&arbeitsstrang=wirtschaftlich",
        "akteur=akteur-1&transfer=ja",
        "treiber=nutzen&akteur=akteur-0&akteur=akteur-2&betreibermodell=eigenbetrieb",
        "phase=ideenfindung&treiber=beteiligung&transfer=ja&arbeitsstrang=technisch",
    ]:
        filterset = FilterSet(QueryDict(query), CRITERION_FACETS)
        results = filterset.matching_pks(items)
        expected_results, expected_counts = _counts_item_by_item(filterset, items)
        counts = {b.param: [option.count for option in b.options] for b in filterset.facets}
        assert (results, counts) == (expected_results, expected_counts), query
