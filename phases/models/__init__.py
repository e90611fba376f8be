"""The roadmap itself: phases, milestones, workstreams, criteria and their taxonomy.

One module per family: ``structure`` (phases, workstreams, milestones), ``taxonomy``
(stakeholders, scaling drivers, operator models), ``criteria`` and ``references``
(cross-references); former criterion addresses in ``redirects``.
"""

from .criteria import CriteriaByWorkstream, Criterion, CriterionQuerySet, CriterionWorkstream
from .redirects import CriterionRedirect
from .references import (
    CROSSREF_TARGET_FIELDS,
    CrossReference,
    CrossReferenceQuerySet,
    exactly_one_not_null,
)
from .structure import (
    MARKDOWN_HELP,
    Milestone,
    Phase,
    PhaseQuerySet,
    PhaseReference,
    Workstream,
    public_milestones_of,
    public_phase_groups,
    public_phase_references_from,
    public_workstreams,
)
from .taxonomy import OperatorModel, ScalingDriver, Stakeholder

__all__ = [
    "CROSSREF_TARGET_FIELDS",
    "MARKDOWN_HELP",
    "CriteriaByWorkstream",
    "Criterion",
    "CriterionQuerySet",
    "CriterionRedirect",
    "CriterionWorkstream",
    "CrossReference",
    "CrossReferenceQuerySet",
    "Milestone",
    "OperatorModel",
    "Phase",
    "PhaseQuerySet",
    "PhaseReference",
    "ScalingDriver",
    "Stakeholder",
    "Workstream",
    "exactly_one_not_null",
    "public_milestones_of",
    "public_phase_groups",
    "public_phase_references_from",
    "public_workstreams",
]
