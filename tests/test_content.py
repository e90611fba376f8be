"""The German content in fixtures/: completeness, integrity and repeatable loading."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from examples.models import PracticeExample, Resource, Source
from information.models import GlossaryTerm, Page
from phases.models import (
    Criterion,
    CrossReference,
    Milestone,
    OperatorModel,
    Phase,
    ScalingDriver,
    Workstream,
)
from tests import factories
from workspace.content import fixture_files, load_content
from workspace.integrity import PLACEHOLDER, content_problems

pytestmark = pytest.mark.django_db

BODY_SECTIONS = [
    "## Worum geht es?",
    "## Warum entscheidet es über Verstetigung und Transfer?",
    "## Wie gehen Sie vor?",
    "## Typische Stolpersteine",
]


def words(text):
    return len(re.findall(r"\w+", text))


@pytest.fixture
def content(shipped_content):
    """The shipped content, loaded once per session (tests/conftest.py)."""


def counts():
    models = [Phase, Milestone, Workstream, Criterion, ScalingDriver, OperatorModel,
              PracticeExample, Resource, GlossaryTerm, CrossReference]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def pairs(queryset, *fields):
    return set(queryset.values_list(*fields))


def relations():
    return {
        "workstreams": pairs(
            Criterion.workstreams.through.objects, "criterion__slug", "workstream__slug"
        ),
        "milestones": pairs(
            Criterion.milestones.through.objects, "criterion__slug", "milestone__slug"
        ),
        "examples": pairs(
            PracticeExample.criteria.through.objects, "practiceexample__slug", "criterion__slug"
        ),
        "references": pairs(
            CrossReference.objects, "source__slug", "kind", "target_criterion__slug", "note"
        ),
        "tree": pairs(Phase.objects, "slug", "parent__slug", "lft", "rght", "level"),
        "drivers": pairs(ScalingDriver.objects, "slug", "parent__slug", "lft", "rght"),
    }


def test_all_fixture_files_load_into_an_empty_database(content):
    assert len(fixture_files()) >= 5
    assert Phase.objects.published().groups().count() == 6


def test_content_has_the_promised_size(content):
    groups = Phase.objects.groups()
    assert groups.count() == 6
    assert Phase.objects.filter(parent__isnull=False).count() >= 10  # as in the original roadmap
    assert Milestone.objects.count() >= 25
    for phase in groups.filter(is_cross_phase=False):
        assert phase.milestones.count() >= 4, phase
    assert Criterion.objects.count() >= 60
    for phase in groups.annotate(n=Count("criteria")):
        assert phase.n >= 8, phase
    for workstream in Workstream.objects.annotate(n=Count("criteria")):
        assert workstream.n >= 12, workstream
    assert ScalingDriver.objects.filter(level=0).count() >= 4
    assert ScalingDriver.objects.filter(level=2).count() >= 8
    assert OperatorModel.objects.count() >= 8
    assert PracticeExample.objects.count() >= 15
    assert CrossReference.objects.count() >= 40
    assert GlossaryTerm.objects.count() >= 20
    assert Resource.objects.count() >= 15


def test_every_criterion_body_has_the_four_sections_and_enough_words(content):
    for criterion in Criterion.objects.all():
        positions = [criterion.body.find(section) for section in BODY_SECTIONS]
        assert -1 not in positions and positions == sorted(positions), criterion.slug
        assert words(criterion.body) >= 120, criterion.slug


def test_every_criterion_is_placed_and_related(content):
    unplaced = Criterion.objects.filter(scaling_driver__isnull=True)
    assert not unplaced.exists(), list(unplaced)
    for criterion in Criterion.objects.annotate(
        n_stakeholders=Count("stakeholders"), n_milestones=Count("milestones")
    ):
        assert criterion.n_stakeholders and criterion.n_milestones, criterion.slug


def test_phase_descriptions_have_substance(content):
    for phase in Phase.objects.groups():
        assert 150 <= words(phase.description) <= 400, phase.slug
        assert 0 < len(phase.teaser) <= 300, phase.slug


def test_every_milestone_asks_a_yes_no_question(content):
    for milestone in Milestone.objects.all():
        assert milestone.question.endswith("?"), milestone.slug


def test_examples_are_honestly_marked(content):
    for example in PracticeExample.objects.all():
        if example.evidence == PracticeExample.Evidence.DOCUMENTED:
            assert example.source_url.startswith("https://"), example.slug
    assert PracticeExample.objects.values("state").distinct().count() >= 8
    assert PracticeExample.objects.values("solution_type").distinct().count() >= 6


def test_every_criterion_rests_on_a_checked_source_or_is_marked_editorial(content):
    for source in Source.objects.all():
        assert source.url.startswith("https://") and source.checked_on, source.slug
        assert source.supports.strip(), source.slug
    sourced = set(Criterion.objects.filter(sources__url__startswith="https://").values_list("pk"))
    for criterion in Criterion.objects.all():
        assert criterion.editorial_assessment or (criterion.pk,) in sourced, criterion.slug
    assert Criterion.objects.filter(editorial_assessment=True).count() <= 15


def test_rules_of_thumb_in_criteria_are_labelled_as_the_editors(content):
    for criterion in Criterion.objects.filter(body__contains="Prozent"):
        for sentence in re.split(r"(?<=[.!?])\s+", criterion.body):
            if re.search(r"\b\w+ bis \w+ Prozent\b", sentence):
                labelled = re.search("Faust(regel|wert) der Redaktion", sentence)
                assert labelled, (criterion.slug, sentence)


def test_check_content_reports_no_errors_on_the_fixtures(content, capsys):
    call_command("check_content")
    assert "0 Fehler" in capsys.readouterr().out
    assert [p for p in content_problems() if p.level == "error"] == []


def test_loading_twice_changes_nothing(content):
    before = counts(), relations()
    load_content()
    assert (counts(), relations()) == before


def test_fixture_trees_are_stored_consistently(db):
    call_command("loaddata", *fixture_files(), verbosity=0)
    stored = relations()
    Phase.objects.rebuild()
    ScalingDriver.objects.rebuild()
    assert relations() == stored


@pytest.mark.slow  # loads, dumps, flushes and loads the whole content again
@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_loaddata_reproduce_counts_and_relations(tmp_path):
    load_content()
    before = counts(), relations()
    dump = tmp_path / "dump.json"
    call_command("dumpdata", "roadmap", "phases", "examples", natural_foreign=True,
                 natural_primary=True, output=str(dump), verbosity=0)  # fmt: skip
    call_command("flush", interactive=False, verbosity=0)
    assert Criterion.objects.count() == 0
    call_command("loaddata", str(dump), verbosity=0)
    assert (counts(), relations()) == before


def test_check_content_fails_on_a_broken_internal_link(content):
    criterion = Criterion.objects.first()
    criterion.body += "\n\nSiehe [hier](/kriterien/gibt-es-nicht/)."
    criterion.save()
    with pytest.raises(Exception, match="Fehler"):
        call_command("check_content")


def test_check_content_finds_paths_written_as_plain_text(content):
    criterion = Criterion.objects.first()
    criterion.body += "\n\nMehr dazu unter (/kriterien/business-case/)."
    criterion.save()
    assert any("als Text statt als Link" in p.message for p in content_problems())


def test_check_content_finds_orphans(content):
    Milestone.objects.filter(pk=Milestone.objects.first().pk).update(question="")
    example = PracticeExample.objects.first()
    example.criteria.clear()
    messages = [p.message for p in content_problems()]
    assert any("keine Frage" in m for m in messages)
    assert any(example.title in m and "keinem Kriterium" in m for m in messages)


def test_rows_added_after_seeding_get_fresh_keys(content):
    # Fixture rows carry explicit keys; on PostgreSQL the sequences must have moved past them.
    source = Criterion.objects.first()
    milestone = factories.milestone(source.phase, title="Neu", slug="neu-nach-seeding")
    reference = factories.cross_reference(source, target_milestone=milestone)
    assert milestone.pk > Milestone.objects.exclude(pk=milestone.pk).order_by("pk").last().pk
    assert reference.pk > CrossReference.objects.exclude(pk=reference.pk).order_by("pk").last().pk


def test_check_content_warns_while_legal_pages_still_hold_placeholders(content):
    warnings = [p.message for p in content_problems() if "Platzhalter" in p.message]
    assert any("„Impressum“" in m and "[Name der herausgebenden Stelle]" in m for m in warnings)
    for page in Page.objects.published():
        page.body = PLACEHOLDER.sub(r"\1", page.body)  # the operator filled everything in
        page.save()
    assert [p for p in content_problems() if "Platzhalter" in p.message] == []


def test_links_in_legal_pages_are_not_taken_for_placeholders():
    assert PLACEHOLDER.findall("Siehe [Glossar](/glossar/) und [Name der Stelle].") == [
        "Name der Stelle"
    ]
