from django.contrib import admin
from mptt.admin import DraggableMPTTAdmin

from editorial.admin import (
    EditorialStackedInline,
    EditorialTabularInline,
    PublishableAdmin,
    TreeAdminMixin,
    VersionedAdmin,
    can_publish,
)

from .admin_filters import CriterionSourcesFilter
from .models import (
    CROSSREF_TARGET_FIELDS,
    Criterion,
    CriterionWorkstream,
    CrossReference,
    Milestone,
    OperatorModel,
    Phase,
    PhaseReference,
    ScalingDriver,
    Stakeholder,
    Workstream,
)
from .models.redirects import CriterionRedirect


class MilestoneInline(EditorialStackedInline):
    model = Milestone
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "order",
        "title",
        "slug",
        "kind",
        "question",
        "description",
        "lead_time_months",
        "lead_time_reason",
        "needs_council_decision",
        "status",
    ]
    markdown_fields = ["description"]


class PhaseReferenceInline(EditorialTabularInline):
    model = PhaseReference
    fk_name = "from_phase"
    extra = 0
    autocomplete_fields = ["to_phase"]


@admin.register(Phase)
class PhaseAdmin(TreeAdminMixin, PublishableAdmin, DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "number", "slug", "status", "updated_at"]
    list_display_links = ["indented_title"]
    list_filter = ["status", "is_cross_phase"]
    search_fields = ["name", "number", "teaser", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MilestoneInline, PhaseReferenceInline]
    markdown_fields = ["description"]


@admin.register(ScalingDriver)
class ScalingDriverAdmin(TreeAdminMixin, PublishableAdmin, DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "slug", "status"]
    list_display_links = ["indented_title"]
    list_filter = ["status", "level"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Workstream)
class WorkstreamAdmin(PublishableAdmin):
    list_display = ["name", "label", "colour", "order", "status"]
    list_editable = ["order"]
    list_filter = ["status", "colour"]
    search_fields = ["name", "label"]
    prepopulated_fields = {"slug": ["name"]}
    markdown_fields = ["description"]


@admin.register(Stakeholder)
class StakeholderAdmin(PublishableAdmin):
    list_display = ["name", "order", "status"]
    list_editable = ["order"]
    list_filter = ["status"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Milestone)
class MilestoneAdmin(PublishableAdmin):
    list_display = ["title", "phase", "order", "kind", "status"]
    list_filter = ["status", "kind", "phase"]
    search_fields = ["title", "description", "question"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["phase"]
    list_select_related = ["phase"]
    markdown_fields = ["description"]


@admin.register(OperatorModel)
class OperatorModelAdmin(PublishableAdmin):
    list_display = ["name", "abbreviation", "family", "order", "status"]
    list_filter = ["status", "family", "suitable_phases"]
    search_fields = ["name", "abbreviation", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["suitable_phases"]
    markdown_fields = ["description", "advantages", "disadvantages"]


class CrossReferenceInline(EditorialTabularInline):
    model = CrossReference
    fk_name = "source"
    extra = 0
    autocomplete_fields = list(CROSSREF_TARGET_FIELDS)


class CriterionRedirectInline(EditorialTabularInline):
    model = CriterionRedirect
    extra = 0
    fields = ["old_slug", "note"]
    verbose_name_plural = "Frühere Adressen, die hierher weiterleiten (301)"


class CriterionWorkstreamInline(EditorialTabularInline):
    model = CriterionWorkstream
    extra = 0
    min_num = 1
    verbose_name_plural = "Arbeitsstränge (mindestens einer)"


@admin.register(Criterion)
class CriterionAdmin(PublishableAdmin):
    list_display = ["title", "phase", "workstream_labels", "transfer_relevant", "status"]
    list_filter = [
        "status",
        "phase",
        "workstreams",
        "transfer_relevant",
        "stakeholders",
        "operator_models",
        CriterionSourcesFilter,
        "legal_status_on",
    ]
    search_fields = ["title", "summary", "body", "source"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "phase",
        "sub_phases",
        "scaling_driver",
        "stakeholders",
        "operator_models",
        "milestones",
    ]
    list_select_related = ["phase"]
    inlines = [CriterionWorkstreamInline, CrossReferenceInline, CriterionRedirectInline]
    markdown_fields = ["body"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("workstreams")

    @admin.display(description="Arbeitsstränge")
    def workstream_labels(self, obj):
        return ", ".join(ws.label for ws in obj.workstreams.all())


@admin.register(CrossReference)
class CrossReferenceAdmin(VersionedAdmin):
    list_display = ["source", "kind", "target", "note"]
    list_filter = ["kind", "source__phase"]
    search_fields = ["source__title", "note", "target_criterion__title"]
    autocomplete_fields = ["source", *CrossReferenceInline.autocomplete_fields]
    list_select_related = ["source", *CROSSREF_TARGET_FIELDS]

    # Cross-references have no publication state of their own: changed here, they would go
    # live at once. Whoever may not publish criteria edits them in the criterion's form,
    # where a change to a published criterion waits for review; this page stays read-only.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_publish(request, Criterion)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and can_publish(request, Criterion)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and can_publish(request, Criterion)
