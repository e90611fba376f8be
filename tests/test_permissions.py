"""Who may do what in the admin: the groups „Redaktion“ and „Chefredaktion“."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from core.publishing import Status
from editorial.editorial_groups import (
    CHEFREDAKTION,
    CONTENT_MODELS,
    LINK_MODELS,
    REDAKTION,
    STRUCTURE_MODELS,
    permission_matrix,
)
from phases.models import Criterion, CrossReference
from tests import factories
from tests.admin_helpers import change_form_data, editor, editorial_group

pytestmark = pytest.mark.django_db


def add_account(client, username, password):
    return client.post(
        reverse("admin:auth_user_add"),
        {
            "username": username,
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )


def group_permissions(name):
    return {
        (p.content_type.app_label, p.codename)
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


def run_groups_migration():
    migration = importlib.import_module("information.migrations.0004_editorial_groups")
    (operation,) = migration.Migration.operations
    operation.code(apps, schema_editor=None)


def test_the_data_migration_creates_both_groups_with_rights_from_the_documented_matrix():
    Group.objects.filter(name__in=[REDAKTION, CHEFREDAKTION]).delete()
    run_groups_migration()
    for name, expected in permission_matrix().items():
        # The migration carries a frozen copy of the matrix of its time: a subset of today's.
        granted = group_permissions(name)
        assert granted
        assert granted <= expected


def test_every_migrate_brings_the_groups_to_the_documented_rights():
    run_groups_migration()
    Group.objects.get(name=REDAKTION).permissions.clear()
    call_command("migrate", verbosity=0)
    for name, expected in permission_matrix().items():
        assert group_permissions(name) == expected


def test_running_the_group_setup_again_restores_the_documented_rights():
    run_groups_migration()
    chefredaktion = Group.objects.get(name=CHEFREDAKTION)
    chefredaktion.permissions.clear()
    call_command("setup_editorial_groups", stdout=StringIO())
    assert group_permissions(CHEFREDAKTION) == permission_matrix()[CHEFREDAKTION]
    assert Group.objects.filter(name__in=[REDAKTION, CHEFREDAKTION]).count() == 2


@pytest.mark.parametrize(("app_label", "model"), CONTENT_MODELS)
def test_permission_matrix_per_content_model(django_user_model, app_label, model):
    redakteur = editor(django_user_model, "r", REDAKTION)
    chefin = editor(django_user_model, "c", CHEFREDAKTION)
    is_structure = (app_label, model) in STRUCTURE_MODELS
    publishable = (app_label, model) not in LINK_MODELS
    for action in ("view", "add", "change"):
        assert redakteur.has_perm(f"{app_label}.{action}_{model}")
        assert chefin.has_perm(f"{app_label}.{action}_{model}")
    assert redakteur.has_perm(f"{app_label}.delete_{model}") is not is_structure
    assert chefin.has_perm(f"{app_label}.delete_{model}")
    assert not redakteur.has_perm(f"{app_label}.publish_{model}")
    assert chefin.has_perm(f"{app_label}.publish_{model}") is publishable


def test_only_chefredaktion_manages_accounts(django_user_model):
    redakteur = editor(django_user_model, "r", REDAKTION)
    chefin = editor(django_user_model, "c", CHEFREDAKTION)
    for perm in ("auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"):
        assert chefin.has_perm(perm) and not redakteur.has_perm(perm), perm
    for perm in ("auth.delete_user", "auth.change_group", "auth.add_group"):
        assert not chefin.has_perm(perm), perm


def test_redaktion_may_not_delete_taxonomy_but_may_delete_draft_criteria(redaktion, roadmap):
    phase = factories.phase()
    # Published entries need the publish right to be deleted (tests/test_review.py).
    criterion = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    assert redaktion.get(reverse("admin:phases_phase_delete", args=[phase.pk])).status_code == 403
    workstream_url = reverse("admin:phases_workstream_delete", args=[roadmap["technical"].pk])
    assert redaktion.get(workstream_url).status_code == 403
    response = redaktion.post(
        reverse("admin:phases_criterion_delete", args=[criterion.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


def test_redaktion_has_no_access_to_accounts(redaktion):
    assert redaktion.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert redaktion.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_redaktion_is_offered_no_publish_action_and_cannot_post_it(redaktion, roadmap):
    draft = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    changelist = reverse("admin:phases_criterion_changelist")
    actions = dict(redaktion.get(changelist).context["action_form"].fields["action"].choices)
    assert "publish" not in actions and "unpublish" not in actions
    redaktion.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_redaktion_sees_the_status_read_only_and_cannot_publish_through_the_form(
    redaktion, roadmap
):
    draft = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    url = reverse("admin:phases_criterion_change", args=[draft.pk])
    response = redaktion.get(url)
    assert "status" not in response.context["adminform"].form.fields
    data = change_form_data(redaktion, url, status="published", summary="Geändert.")
    assert redaktion.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Geändert."
    assert draft.status == Status.DRAFT


def test_redaktion_cannot_publish_milestones_inline(redaktion, roadmap):
    phase = roadmap["first"]
    url = reverse("admin:phases_phase_change", args=[phase.pk])
    formset = redaktion.get(url).context["inline_admin_formsets"][0].formset
    assert "status" not in formset.forms[0].fields


def test_chefredaktion_publishes_with_the_action_and_the_form(chefredaktion, roadmap):
    first = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    second = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    chefredaktion.post(
        reverse("admin:phases_criterion_changelist"),
        {"action": "publish", "_selected_action": [first.pk]},
    )
    url = reverse("admin:phases_criterion_change", args=[second.pk])
    chefredaktion.post(url, change_form_data(chefredaktion, url, status="published"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Status.PUBLISHED


def test_chefredaktion_adds_an_editor_to_the_redaktion_group(chefredaktion, django_user_model):
    add = add_account(chefredaktion, "neu", "ein-sehr-langes-Kennwort-7")
    assert add.status_code == 302
    user = django_user_model.objects.get(username="neu")
    url = reverse("admin:auth_user_change", args=[user.pk])
    groups = chefredaktion.get(url).context["adminform"].form.fields["groups"].queryset
    assert set(groups.values_list("name", flat=True)) == {REDAKTION, CHEFREDAKTION}
    redaktion_group = editorial_group(REDAKTION)
    data = change_form_data(chefredaktion, url, is_staff="on", groups=[str(redaktion_group.pk)])
    assert chefredaktion.post(url, data).status_code == 302
    user.refresh_from_db()
    assert user.is_staff and list(user.groups.all()) == [redaktion_group]


def test_chefredaktion_cannot_grant_superuser_status(chefredaktion, django_user_model):
    user = editor(django_user_model, "kollege", REDAKTION)
    url = reverse("admin:auth_user_change", args=[user.pk])
    assert "is_superuser" not in chefredaktion.get(url).context["adminform"].form.fields
    data = change_form_data(chefredaktion, url, is_superuser="on")
    chefredaktion.post(url, data)
    user.refresh_from_db()
    assert not user.is_superuser


def test_chefredaktion_cannot_change_an_operators_account(chefredaktion, django_user_model):
    operator = django_user_model.objects.create_superuser("betrieb", "b@example.org", "x" * 16)
    change = reverse("admin:auth_user_change", args=[operator.pk])
    password = reverse("admin:auth_user_password_change", args=[operator.pk])
    response = chefredaktion.post(change, {"username": "betrieb", "is_superuser": ""})
    assert response.status_code == 403
    assert chefredaktion.get(password).status_code == 403
    operator.refresh_from_db()
    assert operator.is_superuser


def test_too_short_passwords_are_refused_when_creating_accounts(chefredaktion, django_user_model):
    response = add_account(chefredaktion, "kurz", "Kurz-123")
    assert response.status_code == 200
    assert "mindestens 12 Zeichen" in response.content.decode()
    assert not django_user_model.objects.filter(username="kurz").exists()


def test_users_without_staff_status_cannot_enter_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user("leser", password="x" * 16)
    user.groups.add(editorial_group(CHEFREDAKTION))
    client.force_login(user)
    response = client.get(reverse("admin:phases_criterion_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_redaktion_reads_but_cannot_change_cross_references_outside_the_criterion_form(
    redaktion, chefredaktion, roadmap
):
    other = factories.criterion(roadmap["first"], [roadmap["economic"]], title="Zweites")
    reference = CrossReference.objects.create(
        source=roadmap["criterion"], target_criterion=other, kind=CrossReference.Kind.RELATED
    )
    change = reverse("admin:phases_crossreference_change", args=[reference.pk])
    add = reverse("admin:phases_crossreference_add")

    assert redaktion.get(change).status_code == 200  # read-only view
    response = redaktion.post(change, {"note": "Sofort live?"})
    assert response.status_code == 403
    assert redaktion.get(add).status_code == 403
    reference.refresh_from_db()
    assert reference.note == ""
    assert chefredaktion.get(add).status_code == 200
