"""Self-check (GET only, nothing stored) and personal Fahrpläne (behind a secret link)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.validators import slug_re
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import TemplateView, View
from django_ratelimit.core import get_usage

from core.spreadsheet import write_csv
from phases.models import Phase

from .assessment import ANSWER_PARAM, assess_answers
from .forms import PhaseEntriesForm
from .models import NOTE_MAX_LENGTH, Fahrplan
from .plan import load_plan, save_phase, start_entries

logger = logging.getLogger(__name__)

# Opening a plan counts as using it, but one write a day is enough for the deletion deadline.
TOUCH_INTERVAL = timedelta(days=1)


def with_answers(url_name, assessment):
    query = assessment.query_string()
    return reverse(url_name) + (f"?{query}" if query else "")


def creation_usage(request):
    """Count a new Fahrplan per client address; without a cache server, let it through."""
    try:
        return get_usage(
            request,
            group="selfcheck.fahrplan-create",
            key="ip",
            rate=getattr(settings, "FAHRPLAN_CREATE_RATE", "20/h"),
            method="POST",
            increment=True,
        )
    except Exception:  # the cache backend's own errors (e.g. redis.ConnectionError)
        logger.warning("Rate limit for new Fahrpläne skipped: cache unavailable", exc_info=True)
        return None


class SelfCheckView(TemplateView):
    """The questions, one fieldset per phase; answers from a shared link are pre-ticked."""

    template_name = "selfcheck/selfcheck.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assessment=assess_answers(self.request.GET.getlist(ANSWER_PARAM)), **kwargs
        )


class SelfCheckResultView(TemplateView):
    template_name = "selfcheck/result.html"

    def get_context_data(self, **kwargs):
        assessment = assess_answers(self.request.GET.getlist(ANSWER_PARAM))
        result_url = with_answers("selfcheck:result", assessment)
        return super().get_context_data(
            assessment=assessment,
            criteria_by_workstream=assessment.next_step_criteria(),
            share_url=self.request.build_absolute_uri(result_url),
            edit_url=with_answers("selfcheck:selfcheck", assessment),
            fahrplan_url=with_answers("selfcheck:fahrplan-create", assessment),
            **kwargs,
        )


# "strict-origin", not "no-referrer": both keep the secret path out of every Referer header,
# but under "no-referrer" browsers submit forms with "Origin: null" and no Referer, which
# Django's CSRF protection rightly rejects – no tick could ever be saved.
FAHRPLAN_REFERRER_POLICY = "strict-origin"


class PrivateMixin:
    """Fahrplan pages: never cached or indexed, and the secret link never leaks as referrer."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = FAHRPLAN_REFERRER_POLICY
        return response


class FahrplanCreateView(PrivateMixin, TemplateView):
    """GET explains what will be stored; POST (CSRF, rate-limited per IP) creates the plan.

    The self-check and phase pages only link here, so they set no CSRF cookie themselves.
    """

    template_name = "selfcheck/fahrplan_create.html"

    def get_context_data(self, **kwargs):
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        phase = None
        # Only a well-formed slug is looked up: anything else (NUL bytes break PostgreSQL)
        # simply starts the plan without a phase.
        if slug_re.match(slug := data.get("phase", "")[:120]):
            phase = Phase.objects.published().groups().filter(slug=slug).first()
        return super().get_context_data(
            assessment=assess_answers(data.getlist(ANSWER_PARAM)), start_phase=phase, **kwargs
        )

    def post(self, request, *args, **kwargs):
        usage = creation_usage(request)
        if usage and usage["should_limit"]:
            response = TemplateResponse(request, "selfcheck/rate_limited.html", status=429)
            response["Retry-After"] = str(max(usage["time_left"], 1))
            return response
        context = self.get_context_data()
        fahrplan, token = Fahrplan.create_with_token()
        start_entries(fahrplan, context["assessment"].reached)
        anchor = f"#phase-{context['start_phase'].slug}" if context["start_phase"] else ""
        return redirect(reverse("selfcheck:fahrplan", args=[token]) + "?neu=1" + anchor)


class FahrplanMixin(PrivateMixin):
    def get_fahrplan(self):
        return get_object_or_404(Fahrplan.objects.for_token(self.kwargs["token"]))

    def url(self, name):
        return reverse(f"selfcheck:{name}", args=[self.kwargs["token"]])


class FahrplanView(FahrplanMixin, TemplateView):
    """The plan: progress overview and one POST form per phase (POST-redirect-GET)."""

    template_name = "selfcheck/fahrplan.html"

    def get(self, request, *args, **kwargs):
        fahrplan = self.get_fahrplan()
        if fahrplan.last_touched < timezone.now() - TOUCH_INTERVAL:
            fahrplan.touch()
        plan = load_plan(fahrplan)
        if saved := plan.phase(request.GET.get("gespeichert", "")):
            saved.saved = True
        return self.render_to_response(self.get_context_data(plan=plan))

    def post(self, request, *args, **kwargs):
        fahrplan = self.get_fahrplan()
        plan = load_plan(fahrplan)
        plan_phase = plan.phase(request.POST.get("phase", ""))
        if plan_phase is None:
            context = self.get_context_data(plan=plan, unknown_phase=True)
            return self.render_to_response(context, status=400)
        form = PhaseEntriesForm(plan_phase.items, request.POST)
        if not form.is_valid():
            plan_phase.errors = form.show_on_items()
            return self.render_to_response(self.get_context_data(plan=plan, invalid=plan_phase))
        save_phase(fahrplan, plan_phase, form.values())
        slug = plan_phase.phase.slug
        return redirect(f"{self.url('fahrplan')}?gespeichert={slug}#{plan_phase.anchor}")

    def get_context_data(self, **kwargs):
        plan = kwargs["plan"]
        return super().get_context_data(
            fahrplan=plan.fahrplan,
            fahrplan_path=self.url("fahrplan"),
            fahrplan_url=self.request.build_absolute_uri(self.url("fahrplan")),
            csv_url=self.url("fahrplan-csv"),
            delete_url=self.url("fahrplan-delete"),
            result_url=with_answers("selfcheck:result", plan.assessment),
            just_created="neu" in self.request.GET,
            note_max_length=NOTE_MAX_LENGTH,
            **kwargs,
        )


class FahrplanCsvView(FahrplanMixin, View):
    """UTF-8 with byte order mark and semicolons, so German spreadsheet programs open it."""

    def get(self, request, *args, **kwargs):
        plan = load_plan(self.get_fahrplan())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"fahrplan-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        write_csv(response, plan.csv_rows(request.build_absolute_uri))
        return response


class FahrplanDeleteView(FahrplanMixin, TemplateView):
    template_name = "selfcheck/fahrplan_delete.html"

    def get(self, request, *args, **kwargs):
        fahrplan = self.get_fahrplan()
        return self.render_to_response(
            self.get_context_data(
                fahrplan=fahrplan,
                fahrplan_path=self.url("fahrplan"),
                csv_path=self.url("fahrplan-csv"),
            )
        )

    def post(self, request, *args, **kwargs):
        self.get_fahrplan().delete()
        return redirect("selfcheck:fahrplan-deleted")


class FahrplanDeletedView(PrivateMixin, TemplateView):
    template_name = "selfcheck/fahrplan_deleted.html"
