import pytest
from django.contrib import admin
from django.urls import reverse

from roadmap.publishing import Status
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = [model for model in admin.site._registry if model._meta.app_label in
              {"phases", "examples", "roadmap"}]  # fmt: skip


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaktion", "r@example.org", "x" * 16)
    client.force_login(user)
    return client


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
