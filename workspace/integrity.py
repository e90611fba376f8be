"""Content integrity checks shared by `manage.py check_content` and the tests.

Each check yields human-readable German messages; an empty result means the
content is consistent. Warnings point at gaps an editor should close but that
do not break a page.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import Resolver404, resolve

from examples.content_checks import source_problems
from examples.models import PracticeExample, Resource
from information.models import GlossaryTerm, Page
from phases.models import Criterion, Milestone, OperatorModel, Phase, Workstream

# Markdown links and raw HTML links to a path on this site.
INTERNAL_LINK = re.compile(r"\]\((/[^)\s]*)\)|href=\"(/[^\"]*)\"")
# A site path written as plain text, e.g. "(/kriterien/x/)": readers see it but cannot click it.
BARE_PATH = re.compile(
    r"(?<!\]\()(?<!href=\")(?<![\w/])/(?:kriterien|phasen|beispiele|betreibermodelle|glossar)/"
)


# "[Name der herausgebenden Stelle]": a placeholder the operator fills in (not a Markdown link).
PLACEHOLDER = re.compile(r"\[([^\]\n]{3,200})\](?![(\[])")


@dataclass(frozen=True)
class Problem:
    level: str  # "error" or "warning"
    message: str


def _published_slugs():
    """url_name → set of slugs that resolve to a published page."""
    querysets = {
        "phases:phase-detail": Phase.objects.published().groups(),
        "phases:criterion-detail": Criterion.objects.published(),
        "phases:operator-model-detail": OperatorModel.objects.published(),
        "examples:example-detail": PracticeExample.objects.published(),
        "glossary#": GlossaryTerm.objects.published(),
        "page": Page.objects.published(),
    }
    return {name: set(qs.values_list("slug", flat=True)) for name, qs in querysets.items()}


def _markdown_sources():
    """(label, markdown text) for every Markdown field of every content item."""
    fields = [
        (Phase, ["description"]),
        (Milestone, ["description"]),
        (Workstream, ["description"]),
        (Criterion, ["body", "legal_status_note"]),
        (OperatorModel, ["description", "advantages", "disadvantages"]),
        (PracticeExample, ["body", "lessons_learned"]),
        (Resource, ["description"]),
        (GlossaryTerm, ["definition"]),
        (Page, ["body"]),
    ]
    for model, names in fields:
        for obj in model.objects.all():
            for name in names:
                yield f"{model._meta.verbose_name} „{obj}“", getattr(obj, name)


def broken_link_problem(label, path, targets):
    url, _, anchor = path.partition("#")
    try:
        match = resolve(url)
    except Resolver404:
        return Problem("error", f"{label}: Link auf unbekannte Adresse {path}")
    slug = match.kwargs.get("slug")
    if slug is not None and slug not in targets.get(match.view_name, set()):
        return Problem("error", f"{label}: Link auf nicht veröffentlichten Inhalt {path}")
    if match.view_name == "glossary" and anchor and anchor not in targets["glossary#"]:
        return Problem("error", f"{label}: Link auf unbekannten Glossarbegriff {path}")
    return None


def broken_links():
    targets = _published_slugs()
    for label, text in _markdown_sources():
        for groups in INTERNAL_LINK.findall(text or ""):
            problem = broken_link_problem(label, groups[0] or groups[1], targets)
            if problem:
                yield problem
        if BARE_PATH.search(text or ""):
            yield Problem("error", f"{label}: Seitenpfad als Text statt als Link [Text](/pfad/)")


def orphans():
    for criterion in Criterion.objects.annotate(n=Count("workstreams")).filter(n=0):
        yield Problem("error", f"Kriterium „{criterion}“ hat keinen Arbeitsstrang.")
    for criterion in Criterion.objects.filter(phase__parent__isnull=False):
        yield Problem(
            "error", f"Kriterium „{criterion}“ hängt an einer Teilphase statt einer Phase."
        )
    for milestone in Milestone.objects.filter(phase__parent__isnull=False):
        yield Problem("error", f"Meilenstein „{milestone}“ hängt an einer Teilphase.")
    for example in PracticeExample.objects.annotate(n=Count("criteria")).filter(n=0):
        yield Problem("error", f"Praxisbeispiel „{example}“ ist keinem Kriterium zugeordnet.")
    for milestone in Milestone.objects.filter(question=""):
        yield Problem("error", f"Meilenstein „{milestone}“ hat keine Frage für den Selbstcheck.")
    linked = Q(references_out__target_criterion__isnull=False) | Q(references_in__isnull=False)
    for criterion in Criterion.objects.exclude(linked).distinct():
        yield Problem(
            "warning", f"Kriterium „{criterion}“ hat keinen Querverweis zu einem Kriterium."
        )


def duplicate_titles():
    # Sub-phases may repeat their group's name („Ideenfindung“), so only groups are compared.
    for queryset, field in [
        (Phase.objects.groups(), "name"),
        (Milestone.objects.all(), "title"),
        (Criterion.objects.all(), "title"),
        (PracticeExample.objects.all(), "title"),
        (Resource.objects.all(), "title"),
        (GlossaryTerm.objects.all(), "term"),
        (OperatorModel.objects.all(), "name"),
    ]:
        label = queryset.model._meta.verbose_name_plural
        for title, n in Counter(queryset.values_list(field, flat=True)).items():
            if n > 1:
                yield Problem("error", f"{label}: „{title}“ gibt es {n}-mal.")


def unfilled_placeholders():
    """Legal pages ship with placeholders only the operating body can fill (name, address,
    data protection officer); a site must not go public with them."""
    for page in Page.objects.published():
        found = PLACEHOLDER.findall(page.body)
        if found:
            examples = ", ".join(f"[{text}]" for text in found[:2])
            yield Problem(
                "warning",
                f"Informationsseite „{page}“: noch {len(found)} Platzhalter auszufüllen, "
                f"z. B. {examples}.",
            )


def content_problems():
    return [
        *orphans(),
        *duplicate_titles(),
        *broken_links(),
        *unfilled_placeholders(),
        *(Problem(level, message) for level, message in source_problems()),
    ]
