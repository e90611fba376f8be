import pytest
from django.contrib import admin
from django.urls import reverse

from core.publishing import Status
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = [model for model in admin.site._registry if model._meta.app_label in
              {"phases", "examples", "roadmap"}]  # fmt: skip


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_every_admin_list_and_add_form_opens(editor_client, roadmap, model):
    opts = model._meta
    for view in ("changelist", "add"):
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
        assert editor_client.get(url).status_code == 200, url


def test_criterion_change_form_opens_with_inlines(editor_client, roadmap):
    url = reverse("admin:phases_criterion_change", args=[roadmap["criterion"].pk])
    html = editor_client.get(url).content.decode()
    assert "Arbeitsstränge (mindestens einer)" in html
    assert "Querverweise" in html


def test_publish_action_publishes_selected_drafts(editor_client, roadmap):
    draft = factories.phase(status=Status.DRAFT)
    editor_client.post(
        reverse("admin:phases_phase_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_admin_is_german_and_requires_login(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert "Anmelden" in response.content.decode()


def test_admin_login_carries_the_site_favicon(client, db):
    assert 'rel="icon" href="/static/img/favicon' in client.get(reverse("admin:login")).text


def test_admin_pages_carry_the_site_favicon(editor_client, db):
    assert 'rel="icon" href="/static/img/favicon' in editor_client.get(reverse("admin:index")).text


LONG_LISTS = {"Criterion", "Milestone", "PracticeExample", "Resource", "ScalingDriver",
              "Stakeholder", "OperatorModel"}  # fmt: skip


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_every_content_list_has_search_and_filters(model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields, model
    assert model_admin.list_filter, model


def test_every_relation_to_a_long_list_uses_autocomplete():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"phases", "examples", "roadmap"}:
            continue
        for owner, admin_class in [
            (model, model_admin),
            *((i.model, i) for i in model_admin.inlines),
        ]:
            for field in owner._meta.get_fields():
                target = getattr(field, "related_model", None)
                editable = field.concrete and getattr(field, "editable", False)
                if not editable or target is None or target.__name__ not in LONG_LISTS:
                    continue
                if admin_class is not model_admin and target is model:
                    continue  # an inline's link to its parent is not a form field
                assert field.name in admin_class.autocomplete_fields, (admin_class, field.name)


def test_change_form_offers_history_and_the_public_page(editor_client, roadmap):
    draft = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    html = editor_client.get(reverse("admin:phases_criterion_change", args=[draft.pk])).content
    html = html.decode()
    assert "Verlauf und frühere Fassungen" in html
    assert "Entwurf auf der Website ansehen" in html


def test_trees_are_indented_with_classes_not_inline_styles(editor_client, roadmap):
    factories.phase(parent=roadmap["first"], name="Konzept", number="")
    html = editor_client.get(reverse("admin:phases_phase_changelist")).content.decode()
    assert "tree-title--level-1" in html
    assert "text-indent" not in html


def test_milestones_and_cross_references_are_edited_inline(editor_client, roadmap):
    phase_form = editor_client.get(reverse("admin:phases_phase_change", args=[roadmap["first"].pk]))
    assert "Bedarf belegt" in phase_form.content.decode()
    inline_models = {f.formset.model.__name__ for f in phase_form.context["inline_admin_formsets"]}
    assert "Milestone" in inline_models
    url = reverse("admin:phases_criterion_change", args=[roadmap["criterion"].pk])
    criterion_form = editor_client.get(url)
    inline_models = {
        f.formset.model.__name__ for f in criterion_form.context["inline_admin_formsets"]
    }
    assert "CrossReference" in inline_models
