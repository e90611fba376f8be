"""Helpers for tests of the editors' admin: editor accounts and submitting admin forms.

``form_data`` reads a rendered admin form the way a browser would submit it (hidden fields,
inline management forms, selected options), so tests post exactly what an editor's browser
posts, including the optimistic-lock field.
"""

from html.parser import HTMLParser

from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from editorial.editorial_groups import ensure_editorial_groups

PASSWORD = "ein-langes-Passwort-2024"
SKIPPED_INPUT_TYPES = {"submit", "button", "image", "file", "reset"}


def editorial_group(name):
    """The group the data migration created.

    Browser test modules flush the database after running on committed data, which removes
    rows that migrations created; the groups are then set up again exactly as the migration
    does it (tests/test_permissions.py checks the migration itself).
    """
    if not Group.objects.filter(name=name).exists():
        ensure_editorial_groups(apps)
    return Group.objects.get(name=name)


def editor(django_user_model, username, group_name=None, password=None, **fields):
    """A staff user in one of the editor groups (or none); without password unless given.

    Tests that do not test logging in use ``force_login`` and skip the slow password hashing.
    """
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", password, is_staff=True, **fields
    )
    if group_name:
        user.groups.add(editorial_group(group_name))
    return user


def logged_in(user):
    """A fresh test client with ``user`` logged in (without the login form)."""
    client = Client()
    client.force_login(user)
    return client


class _FormFields(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self._textarea = None
        self._select = None  # (name, multiple, options, selected)

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.in_form = True
        if not self.in_form or "disabled" in attrs:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in SKIPPED_INPUT_TYPES or (
                kind in {"checkbox", "radio"} and "checked" not in attrs
            ):
                return
            self._add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self._select = (attrs.get("name"), "multiple" in attrs, [], [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._select[2].append(value)
            if "selected" in attrs:
                self._select[3].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple, options, selected = self._select
            if not selected and not multiple and options:
                selected = options[:1]
            for value in selected:
                self._add(name, value)
            self._select = None


def form_data(response, form_id=None):
    """{name: [values]} of the admin form in ``response`` (the first form if no id is given)."""
    assert response.status_code == 200, response.status_code
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    return parser.data


def change_form_data(client, url, **changes):
    """The change form at ``url`` as the browser would submit it, with ``changes`` applied."""
    response = client.get(url)
    model_form = f"{response.context['opts'].model_name}_form"
    data = form_data(response, model_form)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def submit_change_form(client, url, **changes):
    """Posts the change form at ``url`` as the browser would, with ``changes`` applied."""
    return client.post(url, change_form_data(client, url, **changes))


def change_url(obj):
    """The admin change page of ``obj``."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def save_via_admin(client, obj, **changes):
    """Saves ``obj`` through its admin change form with ``changes``; the save must succeed."""
    response = submit_change_form(client, change_url(obj), **changes)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response
