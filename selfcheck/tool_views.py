"""Fahrplan tools behind the secret link: funding-end planner, calendar, decisions, documents.

All of them follow the Fahrplan's rules (PrivateMixin: no-store, noindex, no referrer; an
unknown or deleted plan is a 404) and store nothing but the Fahrplan's own fields. Files are
generated per request.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView, View

from .calendar import build_calendar
from .decisions import (
    decision_log,
    decision_milestones,
    decision_phases,
    ending_well_criterion,
    record_decision,
)
from .documents.content import build_blocks
from .documents.models import Vorlage
from .documents.writers import DOCX_TYPE, ODT_TYPE, write_docx, write_odt
from .models import Fahrplan
from .plan import load_plan
from .schedule import build_schedule
from .tool_forms import DecisionForm, DocumentFieldsForm, ScheduleForm
from .views import TOUCH_INTERVAL, FahrplanMixin

WRITERS = {"docx": (write_docx, DOCX_TYPE), "odt": (write_odt, ODT_TYPE)}


def file_response(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ToolMixin(FahrplanMixin):
    def get_fahrplan(self):
        """Using a tool counts as using the plan, as opening it does (see FahrplanView)."""
        fahrplan = super().get_fahrplan()
        if fahrplan.last_touched < timezone.now() - TOUCH_INTERVAL:
            fahrplan.touch()
        return fahrplan

    def tool_urls(self):
        return {
            "fahrplan_path": self.url("fahrplan"),
            "schedule_path": self.url("fahrplan-zeitplan"),
            "ics_path": self.url("fahrplan-ics"),
            "decisions_path": self.url("fahrplan-entscheidungen"),
            "documents_path": self.url("fahrplan-dokumente"),
        }


class FormToolView(ToolMixin, TemplateView):
    """A tool page with one form of the Fahrplan's own fields: shown, checked, saved.

    Subclasses name the form, the address to return to after saving and what the page shows
    beside the form.
    """

    form_class = None
    saved_url_name = None
    saved_anchor = ""

    def get(self, request, *args, **kwargs):
        fahrplan = self.get_fahrplan()
        return self.show(fahrplan, self.form_class.for_fahrplan(fahrplan))

    def post(self, request, *args, **kwargs):
        fahrplan = self.get_fahrplan()
        form = self.form_class.for_fahrplan(fahrplan, request.POST)
        if not form.is_valid():
            return self.show(fahrplan, form, status=400)
        form.save(fahrplan)
        return redirect(f"{self.url(self.saved_url_name)}?gespeichert=1{self.saved_anchor}")

    def page_context(self, fahrplan):
        return {}

    def show(self, fahrplan, form, status=200):
        context = self.get_context_data(
            fahrplan=fahrplan,
            form=form,
            **self.page_context(fahrplan),
            saved="gespeichert" in self.request.GET,
            **self.tool_urls(),
        )
        return self.render_to_response(context, status=status)


class ScheduleView(FormToolView):
    """The funding-end planner: dates form and the backward schedule, grouped by phase."""

    template_name = "selfcheck/fahrplan_schedule.html"
    form_class = ScheduleForm
    saved_url_name = "fahrplan-zeitplan"
    saved_anchor = "#zeitplan"

    def page_context(self, fahrplan):
        return {"schedule": build_schedule(load_plan(fahrplan))}


class CalendarView(ToolMixin, View):
    def get(self, request, *args, **kwargs):
        fahrplan = self.get_fahrplan()
        schedule = build_schedule(load_plan(fahrplan))
        if not schedule.is_set:
            raise Http404("Für diesen Fahrplan ist noch kein Förderende eingetragen.")
        plan_url = request.build_absolute_uri(self.url("fahrplan-zeitplan"))
        content = build_calendar(schedule, fahrplan, plan_url)
        return file_response(content, "text/calendar; charset=utf-8", "fahrplan-zeitplan.ics")


class DecisionsView(ToolMixin, TemplateView):
    template_name = "selfcheck/fahrplan_decisions.html"

    def get(self, request, *args, **kwargs):
        return self.show(self.get_fahrplan())

    def post(self, request, *args, **kwargs):
        fahrplan = self.get_fahrplan()
        phases = {phase.slug: phase for phase in decision_phases()}
        phase = phases.get(request.POST.get("phase", ""))
        if phase is None:
            return self.show(fahrplan, unknown_phase=True, status=400)
        form = DecisionForm(request.POST, prefix=phase.slug)
        if not form.is_valid():
            return self.show(fahrplan, invalid=(phase, form), status=400)
        data = form.cleaned_data
        record_decision(fahrplan, phase, data["entscheidung"], data["datum"], data["begruendung"])
        return redirect(f"{self.url('fahrplan-entscheidungen')}?gespeichert={phase.slug}")

    def show(self, fahrplan, invalid=None, status=200, **extra):
        rows = []
        saved = self.request.GET.get("gespeichert", "")
        log = decision_log(fahrplan)
        milestones = decision_milestones([phase for phase, _ in log])
        for phase, decision in log:
            if invalid and invalid[0] == phase:
                form = invalid[1]
            else:
                form = DecisionForm(
                    initial={
                        "entscheidung": decision.outcome if decision else None,
                        "datum": decision.decided_on if decision else None,
                        "begruendung": decision.reason if decision else "",
                    },
                    prefix=phase.slug,
                )
            rows.append(
                {
                    "phase": phase,
                    "decision": decision,
                    "milestone": milestones.get(phase.pk),
                    "form": form,
                    "saved": saved == phase.slug,
                }
            )
        context = self.get_context_data(
            fahrplan=fahrplan,
            rows=rows,
            invalid=invalid,
            ending_well=ending_well_criterion(),
            **self.tool_urls(),
            **extra,
        )
        return self.render_to_response(context, status=status)


class DocumentsView(FormToolView):
    template_name = "selfcheck/fahrplan_documents.html"
    form_class = DocumentFieldsForm
    saved_url_name = "fahrplan-dokumente"

    def page_context(self, fahrplan):
        return {"vorlagen": list(Vorlage.objects.published())}


class DocumentDownloadView(ToolMixin, View):
    """A Vorlage filled in with this Fahrplan, as DOCX or ODT; generated, never stored."""

    def get(self, request, *args, **kwargs):
        fahrplan = get_object_or_404(
            Fahrplan.objects.for_token(self.kwargs["token"]).select_related("operator_model")
        )
        vorlage = get_object_or_404(Vorlage.objects.published(), slug=kwargs["slug"])
        write, content_type = WRITERS[kwargs["format"]]
        blocks = build_blocks(vorlage, fahrplan, load_plan(fahrplan))
        content = write(blocks, vorlage.title)
        return file_response(content, content_type, f"{vorlage.slug}-entwurf.{kwargs['format']}")
