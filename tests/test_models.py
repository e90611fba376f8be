import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from core.publishing import Status
from examples.models import PracticeExample
from phases.models import CrossReference, Milestone, Phase, PhaseReference
from tests import factories

pytestmark = pytest.mark.django_db


def test_phase_str_shows_number_and_name():
    assert str(factories.phase(number="P3", name="Pilotphase")) == "P3 Pilotphase"


def test_phase_without_number_shows_only_its_name():
    assert str(factories.phase(number="", name="Durchgehend")) == "Durchgehend"


def test_phase_groups_follow_their_order_not_creation_time():
    late = factories.phase(slug="spaet", order=5)
    early = factories.phase(slug="frueh", order=1)
    assert list(Phase.objects.groups()) == [early, late]


def test_sub_phase_is_not_a_group_and_links_to_an_anchor_on_its_parent():
    parent = factories.phase(slug="pilotphase")
    child = factories.phase(slug="pilotbetrieb", parent=parent, number="")
    assert list(Phase.objects.groups()) == [parent]
    assert child.get_absolute_url() == "/phasen/pilotphase/#pilotbetrieb"


def test_published_queryset_hides_drafts():
    visible = factories.phase(slug="sichtbar")
    factories.phase(slug="entwurf", status=Status.DRAFT)
    assert list(Phase.objects.published()) == [visible]


def test_milestones_are_ordered_by_phase_then_their_own_order():
    second_phase = factories.phase(order=2)
    first_phase = factories.phase(order=1)
    late = factories.milestone(first_phase, order=2)
    early = factories.milestone(first_phase, order=1)
    other = factories.milestone(second_phase, order=1)
    assert list(Milestone.objects.all()) == [early, late, other]


def test_saving_updates_the_modification_time():
    phase = factories.phase()
    before = phase.updated_at
    phase.name = "Neu"
    phase.save()
    phase.refresh_from_db()
    assert phase.updated_at > before


def test_natural_key_is_the_slug():
    phase = factories.phase(slug="transfer")
    assert phase.natural_key() == ("transfer",)
    assert Phase.objects.get_by_natural_key("transfer") == phase


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: factories.criterion(p, slug="business-case"), "/kriterien/business-case/"),
        (lambda p: factories.example(p, slug="parksensorik"), "/beispiele/parksensorik/"),
        (
            lambda p: factories.operator_model(slug="zweckverband"),
            "/betreibermodelle/zweckverband/",
        ),
        (lambda p: factories.glossary_term(slug="mvp"), "/glossar/#mvp"),
        (lambda p: factories.resource(slug="charta"), "/ressourcen/#charta"),
        (lambda p: factories.milestone(p, slug="pov"), "/phasen/ideen/#meilenstein-pov"),
        (lambda p: p, "/phasen/ideen/"),
    ],
)
def test_every_content_type_has_a_public_url(make, expected):
    assert make(factories.phase(slug="ideen")).get_absolute_url() == expected


def test_workstream_and_taxonomy_urls_open_the_filtered_explorer():
    assert factories.workstream(slug="technisch").get_absolute_url() == (
        "/kriterien/?arbeitsstrang=technisch"
    )
    assert factories.stakeholder(slug="politik").get_absolute_url() == "/kriterien/?akteur=politik"


def test_scaling_driver_names_its_level():
    driver = factories.scaling_driver()
    sub = factories.scaling_driver(parent=driver)
    category = factories.scaling_driver(parent=sub)
    mechanism = factories.scaling_driver(parent=category)
    assert [n.level_name for n in (driver, sub, category, mechanism)] == [
        "Skalierungstreiber",
        "Subtreiber",
        "Mechanismuskategorie",
        "Mechanismus",
    ]


def test_deleting_a_phase_with_criteria_is_refused():
    phase = factories.phase()
    factories.criterion(phase)
    with pytest.raises(ProtectedError):
        phase.delete()
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_deleting_a_phase_with_milestones_is_refused():
    phase = factories.phase()
    factories.milestone(phase)
    with pytest.raises(ProtectedError):
        phase.delete()


def test_deleting_a_phase_with_sub_phases_is_refused():
    parent = factories.phase()
    factories.phase(parent=parent)
    with pytest.raises(ProtectedError):
        parent.delete()


def test_deleting_a_workstream_with_criteria_is_refused():
    ws = factories.workstream()
    factories.criterion(factories.phase(), [ws])
    with pytest.raises(ProtectedError):
        ws.delete()


def test_deleting_a_scaling_driver_with_criteria_is_refused():
    driver = factories.scaling_driver()
    factories.criterion(factories.phase(), scaling_driver=driver)
    with pytest.raises(ProtectedError):
        driver.delete()


def test_deleting_a_criterion_that_others_reference_is_refused():
    phase = factories.phase()
    target = factories.criterion(phase)
    factories.cross_reference(factories.criterion(phase), target_criterion=target)
    with pytest.raises(ProtectedError):
        target.delete()


def test_deleting_an_unreferenced_criterion_works_and_keeps_the_phase():
    phase = factories.phase()
    criterion = factories.criterion(phase, [factories.workstream()])
    criterion.delete()
    assert Phase.objects.filter(pk=phase.pk).exists()


def _assert_rejected(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        CrossReference.objects.create(note="x", **fields)


def test_cross_reference_without_target_is_rejected():
    _assert_rejected(source=factories.criterion(factories.phase()))


def test_cross_reference_with_two_targets_is_rejected():
    phase = factories.phase()
    _assert_rejected(
        source=factories.criterion(phase),
        target_criterion=factories.criterion(phase),
        target_phase=phase,
    )


def test_cross_reference_to_itself_is_rejected():
    criterion = factories.criterion(factories.phase())
    _assert_rejected(source=criterion, target_criterion=criterion)


def test_duplicate_cross_reference_is_rejected():
    phase = factories.phase()
    source, target = factories.criterion(phase), factories.criterion(phase)
    factories.cross_reference(source, target_criterion=target)
    _assert_rejected(source=source, target_criterion=target, kind="requires")


def test_cross_reference_names_its_single_target():
    phase = factories.phase()
    ref = factories.cross_reference(factories.criterion(phase, title="A"), target_phase=phase)
    assert ref.target == phase
    assert str(ref) == f"A hängt zusammen mit {phase}"


def test_visible_cross_references_skip_draft_targets():
    phase = factories.phase()
    source = factories.criterion(phase)
    shown = factories.cross_reference(source, target_criterion=factories.criterion(phase))
    factories.cross_reference(
        source, target_criterion=factories.criterion(phase, status=Status.DRAFT)
    )
    assert list(CrossReference.objects.visible()) == [shown]


def test_phase_reference_to_itself_is_rejected():
    phase = factories.phase()
    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseReference.objects.create(from_phase=phase, to_phase=phase, note="x")


def test_documented_example_without_source_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.example(factories.phase(), evidence=PracticeExample.Evidence.DOCUMENTED)


def test_documented_example_with_source_is_accepted():
    example = factories.example(
        factories.phase(),
        evidence=PracticeExample.Evidence.DOCUMENTED,
        source_url="https://example.org/projekt",
    )
    assert example.pk


def test_slugs_are_unique():
    factories.phase(slug="doppelt")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.phase(slug="doppelt")


def test_resource_year_must_be_plausible():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.resource(year=202)
