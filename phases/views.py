from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView, ListView, TemplateView

from core import lookups
from core.lookups import LookupTablesMixin
from core.preview import DraftPreviewMixin, may_preview_drafts
from core.publishing import public_tree_nodes

from . import cards, criterion_page
from .models import (
    Criterion,
    Milestone,
    OperatorModel,
    Phase,
    public_milestones_of,
    public_phase_groups,
    public_phase_references_from,
    public_workstreams,
)
from .models.redirects import CriterionRedirect, redirect_permanently
from .phase_page import phase_page_rows, rendered_example_cards, with_rendered_cards


class PhaseDetailView(LookupTablesMixin, DraftPreviewMixin, DetailView):
    """A phase group with its sub-phases, milestones, criteria, examples and references.

    Everything but the phase's milestones for editors comes from tables this process keeps
    per content state (core/lookups.py, phases/phase_page.py).
    """

    model = Phase
    template_name = "phases/phase_detail.html"
    context_object_name = "phase"
    not_found_message = "Keine öffentliche Phase mit diesem Kurznamen."

    def get_queryset(self):
        return self.visible(Phase.objects.all()).groups()

    @staticmethod
    def public_object(slug):
        # Visitors see public phases only: those this process keeps (core/lookups.py).
        return next((phase for phase in public_phase_groups() if phase.slug == slug), None)

    def get_context_data(self, **kwargs):
        phase = self.object
        groups = public_phase_groups()
        # A draft (editors' preview) has no place in the published sequence.
        index = groups.index(phase) if phase in groups else None
        rows = phase_page_rows(phase)
        children = [node for node in public_tree_nodes(Phase) if node.parent_id == phase.pk]
        return super().get_context_data(
            children=cards.list_items(cards.SUB_PHASE, "child", children),
            milestones=cards.list_items(cards.MILESTONE, "milestone", self.milestones(phase)),
            criteria=with_rendered_cards(rows.criteria),
            examples=rendered_example_cards(rows.examples),
            more_examples=rows.more_examples,
            references_out=cards.list_items(
                cards.PHASE_REFERENCE_OUT, "ref", public_phase_references_from(phase)
            ),
            references_in=cards.list_items(cards.PHASE_REFERENCE_IN, "ref", rows.references_in),
            sources=rows.sources,
            previous_phase=groups[index - 1] if index else None,
            next_phase=groups[index + 1] if index is not None and index + 1 < len(groups) else None,
            **kwargs,
        )

    def milestones(self, phase):
        # Milestones have no page of their own: editors preview drafts here.
        if may_preview_drafts(self.request, Milestone):
            return Milestone.objects.filter(phase=phase).order_by("order", "title")
        return public_milestones_of(phase)


class CriterionDetailView(DraftPreviewMixin, DetailView):
    model = Criterion
    template_name = "phases/criterion_detail.html"
    context_object_name = "criterion"
    # The criterion itself with the rule in SQL, the same query for every visitor (composed
    # once per process): an old address (redirect) or a 404 costs no lookup tables.
    public_object = staticmethod(criterion_page.public_criterion)
    not_found_message = "Kein öffentliches Kriterium mit diesem Kurznamen."

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Merged criteria keep their old address: answer 301 instead of 404.
            target = CriterionRedirect.objects.target_for(kwargs["slug"])
            if target is None:
                raise
            return redirect_permanently(request, target.get_absolute_url())

    def get_queryset(self):
        # Only what the page shows: phase and scaling driver come from the public trees.
        return self.visible(Criterion.objects.all()).only(*criterion_page.PAGE_COLUMNS)

    def get_object(self, queryset=None):
        criterion = super().get_object(queryset)
        # Everything around the criterion uses the lookup tables (core/lookups.py): its phase
        # and scaling driver, its lists (one query of keys) and its cross-references.
        lookups.activate()
        criterion_page.attach_phase(criterion)
        return criterion

    def get_context_data(self, **kwargs):
        criterion = self.object
        references_out, references_in = criterion_page.references(criterion)
        return super().get_context_data(
            **criterion_page.related_rows(criterion),
            scaling_driver=criterion_page.public_scaling_driver(criterion),
            references_out=references_out,
            references_in=references_in,
            **kwargs,
        )


class OperatorModelListView(LookupTablesMixin, ListView):
    template_name = "phases/operator_model_list.html"
    context_object_name = "operator_models"

    def get_queryset(self):
        return OperatorModel.objects.published()


class OperatorModelDetailView(LookupTablesMixin, DraftPreviewMixin, DetailView):
    template_name = "phases/operator_model_detail.html"
    context_object_name = "operator_model"

    def get_queryset(self):
        return self.visible(OperatorModel.objects.all()).prefetch_related(
            Prefetch("suitable_phases", queryset=Phase.objects.published()),
            Prefetch("criteria", queryset=Criterion.objects.published().order_by("title")),
            "sources",
        )


class OverviewView(LookupTablesMixin, TemplateView):
    """Grid of phases × workstreams; each cell links into the filtered explorer."""

    template_name = "phases/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            workstreams=public_workstreams(),
            rows=Criterion.objects.published().phase_workstream_grid(),
            **kwargs,
        )
