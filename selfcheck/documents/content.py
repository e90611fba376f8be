"""From a Vorlage and a Fahrplan to a neutral list of blocks that the DOCX and ODT writers
turn into files.

Placeholders are replaced by plain text only: a value is never parsed as template syntax,
markup or a field code, so ``{kommune}`` typed into the solution's name stays literal text.
Without a Fahrplan (the blank templates on /vorlagen/) placeholders become bracketed hints.
"""

import re
from dataclasses import dataclass

from django.utils import formats, timezone

from phases.models import Criterion, Workstream

from ..assessment import group_by_first_workstream
from ..decisions import decision_log
from ..tool_forms import CONTROL_CHARS

CHAPTER_PROMPT = "[Wie ist das im Betrieb geregelt? Wer ist zuständig, bis wann?]"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
BLANKS = {
    "loesung": "[Name der Lösung]",
    "kommune": "[Kommune]",
    "betreibermodell": "[gewähltes Betreibermodell]",
    "jahreskosten": "[erwartete Kosten je Jahr]",
    "foerderende": "[Ende der Förderung]",
    "datum": "[Datum]",
}


@dataclass(frozen=True)
class Block:
    kind: str  # "h1", "h2", "p" or "li"
    text: str


def plain(value):
    """User text as it may appear in a document: no control characters, single line breaks."""
    return CONTROL_CHARS.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")


def euros(amount):
    return f"{formats.number_format(amount, 0, use_l10n=True, force_grouping=True)} Euro"


def inline_values(fahrplan):
    if fahrplan is None:
        return dict(BLANKS, datum=timezone.localdate().strftime("%d.%m.%Y"))
    return {
        "loesung": fahrplan.solution_name or BLANKS["loesung"],
        "kommune": fahrplan.municipality or BLANKS["kommune"],
        "betreibermodell": str(fahrplan.operator_model or BLANKS["betreibermodell"]),
        "jahreskosten": euros(fahrplan.annual_costs)
        if fahrplan.annual_costs is not None
        else BLANKS["jahreskosten"],
        "foerderende": fahrplan.funding_end.strftime("%d.%m.%Y")
        if fahrplan.funding_end
        else BLANKS["foerderende"],
        "datum": timezone.localdate().strftime("%d.%m.%Y"),
    }


def substitute(text, values):
    """One pass: replaced values are never scanned again."""
    return PLACEHOLDER.sub(lambda m: plain(values.get(m.group(1), m.group(0))), text)


class ListSource:
    """The list placeholders: {erreichte_meilensteine}, {offene_meilensteine}, {entscheidungen},
    {kapitel_je_arbeitsstrang}. ``plan`` is a selfcheck.plan.Plan or None (blank template)."""

    def __init__(self, plan):
        self.plan = plan

    def blocks(self, name):
        method = getattr(self, f"list_{name}", None)
        return method() if method else None

    def milestones(self, done):
        return [
            item.title
            for plan_phase in self.plan.phases
            for item in plan_phase.milestones
            if item.done is done
        ]

    def list_erreichte_meilensteine(self):
        if self.plan is None:
            return [Block("li", "[erreichte Meilensteine aus dem Fahrplan]")]
        titles = self.milestones(True)
        return [Block("li", t) for t in titles] or [
            Block("p", "Im Fahrplan ist noch kein Meilenstein als erreicht markiert.")
        ]

    def list_offene_meilensteine(self):
        if self.plan is None:
            return [Block("li", "[offene Meilensteine aus dem Fahrplan]")]
        titles = self.milestones(False)
        return [Block("li", t) for t in titles] or [Block("p", "Alle Meilensteine sind erreicht.")]

    def list_entscheidungen(self):
        if self.plan is None:
            return [Block("li", "[Entscheidungen am Ende der Phasen P1 bis P4]")]
        blocks = []
        for phase, decision in decision_log(self.plan.fahrplan):
            if decision:
                reason = f" – {plain(decision.reason)}" if decision.reason else ""
                blocks.append(
                    Block(
                        "li",
                        f"{phase}: {decision.get_outcome_display()} am "
                        f"{decision.decided_on:%d.%m.%Y}{reason}",
                    )
                )
        return blocks or [Block("p", "Im Fahrplan ist noch keine Entscheidung festgehalten.")]

    def list_kapitel_je_arbeitsstrang(self):
        """One chapter per workstream with the open criteria as sections to fill."""
        if self.plan is None:
            workstreams = list(Workstream.objects.published())
            criteria = list(Criterion.objects.published().prefetch_related("workstreams"))
            items = [(c.title, list(c.workstreams.all())) for c in criteria]
        else:
            workstreams = self.plan.workstreams
            items = [
                (item.title, item.workstreams)
                for plan_phase in self.plan.phases
                for item in plan_phase.criteria
                if not item.done
            ]
        blocks = []
        groups = group_by_first_workstream(items, workstreams, lambda pair: pair[1])
        for workstream, pairs in groups:
            heading = f"Arbeitsstrang {workstream.name}" if workstream else "Weitere Kriterien"
            blocks.append(Block("h1", heading))
            for title, _ in pairs:
                blocks.append(Block("h2", title))
                blocks.append(Block("p", CHAPTER_PROMPT))
        return blocks or [Block("p", "Alle Kriterien sind im Fahrplan als erledigt markiert.")]


def build_blocks(vorlage, fahrplan=None, plan=None):
    """The document's blocks from the Vorlage's text and the Fahrplan's entries."""
    values = inline_values(fahrplan)
    lists = ListSource(plan)
    blocks = [Block("title", substitute(vorlage.title, values))]
    paragraph = []

    def flush():
        if paragraph:
            blocks.append(Block("p", " ".join(paragraph)))
            paragraph.clear()

    for raw in vorlage.body.splitlines():
        line = raw.strip()
        whole = PLACEHOLDER.fullmatch(line)
        listed = lists.blocks(whole.group(1)) if whole else None
        if not line or listed is not None or line.startswith(("#", "- ")):
            flush()
        if listed is not None:
            blocks.extend(listed)
        elif line.startswith("## "):
            blocks.append(Block("h2", substitute(line[3:], values)))
        elif line.startswith("# "):
            blocks.append(Block("h1", substitute(line[2:], values)))
        elif line.startswith("- "):
            blocks.append(Block("li", substitute(line[2:], values)))
        elif line:
            paragraph.append(substitute(line, values))
    flush()
    return blocks
