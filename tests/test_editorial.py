"""Editors' workspace: drafts and preview, Markdown, content check, deletes and edit conflicts."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.publishing import Status
from editorial.editorial_groups import REDAKTION
from examples.models import PracticeExample
from information.models import Page
from phases.models import Criterion, Milestone, Phase, Workstream
from tests import factories
from tests.admin_helpers import change_form_data, editor, form_data, logged_in

pytestmark = pytest.mark.django_db


def admin_url(obj, view="change"):
    opts = obj._meta
    args = [] if view == "changelist" else [obj.pk]
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def drafts(roadmap):
    """One draft of every model with a public detail page."""
    phase = factories.phase(status=Status.DRAFT, slug="entwurfsphase", name="Entwurfsphase")
    return [
        phase,
        factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT),
        factories.operator_model(status=Status.DRAFT),
        factories.example(roadmap["first"], status=Status.DRAFT),
        Page.objects.create(title="Impressum", slug="impressum", body="Text.", status="draft"),
    ]


# --- Drafts and preview ------------------------------------------------------------------------


def test_anonymous_visitors_get_the_german_404_for_every_kind_of_draft(client, roadmap):
    for draft in drafts(roadmap):
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 404, draft
        assert "nicht gefunden" in response.content.decode().lower()


def test_editors_see_drafts_at_their_public_address_with_a_banner(redaktion, roadmap):
    for draft in drafts(roadmap):
        response = redaktion.get(draft.get_absolute_url())
        assert response.status_code == 200, draft
        html = response.content.decode()
        assert "Entwurf – nur für die Redaktion sichtbar" in html
        assert "kern-alert" in html
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control


def test_editors_learn_why_a_published_criterion_of_a_draft_phase_stays_hidden(
    redaktion, client, roadmap
):
    phase = factories.phase(name="Entwurfsphase", slug="entwurfsphase", status=Status.DRAFT)
    criterion = factories.criterion(phase, [roadmap["economic"]], slug="im-entwurf")
    assert criterion.is_published
    assert client.get(criterion.get_absolute_url()).status_code == 404
    html = redaktion.get(criterion.get_absolute_url()).content.decode()
    assert "Nicht öffentlich – nur für die Redaktion sichtbar" in html
    assert "Phase, die noch ein Entwurf ist" in html


def test_editors_see_published_pages_without_banner_but_never_cacheable(redaktion, roadmap):
    response = redaktion.get(roadmap["criterion"].get_absolute_url())
    assert response.status_code == 200
    assert "nur für die Redaktion sichtbar" not in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_staff_without_view_permission_get_404_for_drafts(client, django_user_model, roadmap):
    client.force_login(editor(django_user_model, "ohne-rechte"))
    draft = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_anonymous_pages_stay_public_cacheable_and_never_look_up_a_user(client, roadmap):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(roadmap["criterion"].get_absolute_url())
    assert response.status_code == 200
    assert "Entwurf" not in response.content.decode()
    assert "private" not in response.get("Cache-Control", "")
    assert "Cookie" not in response.get("Vary", "")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "django_session" not in sql and "auth_user" not in sql


def test_drafts_stay_out_of_lists_search_and_sitemap_even_for_editors(redaktion, roadmap):
    draft = factories.criterion(
        roadmap["first"], [roadmap["economic"]], title="Geheimer Entwurf", status=Status.DRAFT
    )
    for url in (
        reverse("phases:criterion-list"),
        reverse("search") + "?q=Geheimer",
        reverse("sitemap"),
        roadmap["first"].get_absolute_url(),
    ):
        html = redaktion.get(url).content.decode()
        assert "Geheimer Entwurf" not in html and draft.slug not in html, url


def test_draft_phase_preview_has_no_previous_or_next_phase(redaktion, roadmap):
    draft = factories.phase(status=Status.DRAFT, order=2)
    response = redaktion.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response.context["previous_phase"] is None
    assert response.context["next_phase"] is None


# --- Markdown: help, preview, XSS ----------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[Klick](javascript:alert(1))",
    '<a href="#" onclick="alert(1)">Link</a>',
    "<iframe src=https://example.org></iframe>",
    '<svg onload="alert(1)"></svg>',
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html):
    """No script, no embedded content, no event handler, no javascript: URL in real markup."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"iframe", "svg", "img", "object", "embed"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:"), attrs
        if tag == "script":
            assert attrs.get("src"), "inline script"


def test_xss_posted_through_the_admin_form_renders_inert_on_the_public_page(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    payload = "\n\n".join(XSS_PAYLOADS)
    data = change_form_data(
        chefredaktion,
        admin_url(criterion),
        title="Titel <script>alert('titel')</script>",
        summary='Kurz <img src=x onerror="alert(2)">',
        body=payload,
        source="Quelle <b onmouseover=alert(3)>",
    )
    response = chefredaktion.post(admin_url(criterion), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    criterion.refresh_from_db()
    assert criterion.body.startswith("<script>")  # stored as written

    html = Client().get(criterion.get_absolute_url()).content.decode()
    assert_inert(html)
    assert "Titel &lt;script&gt;alert(&#x27;titel&#x27;)&lt;/script&gt;" in html
    assert "Klick" in html  # the link text stays, only the dangerous target is gone


def test_markdown_fields_show_help_and_the_sanitized_rendering_on_the_change_page(
    redaktion, roadmap
):
    criterion = roadmap["criterion"]
    criterion.body = "## Worum geht es?\n\n**Wichtig** <script>alert(1)</script>"
    criterion.save()
    html = redaktion.get(admin_url(criterion)).content.decode()
    assert "Markdown-Hilfe" in html
    preview = html.split('class="markdown-preview__output"', 1)[1].split("</div>", 1)[0]
    assert "<h2>Worum geht es?</h2>" in preview
    assert "<strong>Wichtig</strong>" in preview
    assert "<script>" not in preview
    assert "js/admin-markdown-preview.js" in html
    assert "<script>alert" not in html.split("<textarea", 1)[0]


def test_markdown_preview_endpoint_returns_sanitized_html_for_editors(redaktion):
    response = redaktion.post(
        reverse("admin:markdown_preview"), {"text": "*ja* <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert response.json()["html"] == "<p><em>ja</em> </p>"


def test_markdown_preview_refuses_anonymous_get_too_long_and_csrf_less_requests(
    client, django_user_model
):
    url = reverse("admin:markdown_preview")
    assert client.post(url, {"text": "x"}).status_code == 302  # to the login page
    user = editor(django_user_model, "vorschau", REDAKTION)
    client.force_login(user)
    assert client.get(url).status_code == 405
    too_long = client.post(url, {"text": "x" * 100_001})
    assert too_long.status_code == 400
    assert "zu lang" in too_long.json()["error"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(url, {"text": "x"}).status_code == 403


# --- Admin index and content check ---------------------------------------------------------------


def test_admin_index_groups_content_in_german_sections(chefredaktion, roadmap):
    response = chefredaktion.get(reverse("admin:index"))
    names = [section["name"] for section in response.context["app_list"]]
    assert names[:4] == ["Roadmap", "Praxis", "Seiten", "Benutzer"]
    roadmap_models = [m["object_name"] for m in response.context["app_list"][0]["models"]]
    assert roadmap_models[:3] == ["Phase", "Milestone", "Criterion"]
    assert reverse("admin:content_check") in response.content.decode()


def test_redaktion_sees_no_user_section(redaktion, roadmap):
    response = redaktion.get(reverse("admin:index"))
    assert "Benutzer" not in [section["name"] for section in response.context["app_list"]]


def test_content_check_page_shows_problems_and_the_phase_workstream_grid(redaktion, roadmap):
    factories.criterion(roadmap["first"], [], title="Ohne Strang")
    response = redaktion.get(reverse("admin:content_check"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kriterium „Ohne Strang“ hat keinen Arbeitsstrang." in html
    assert "Wirtschaftlich" in html and "P1 Ideenfindung" in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_content_check_is_for_staff_only(client, django_user_model):
    assert client.get(reverse("admin:content_check")).status_code == 302
    client.force_login(django_user_model.objects.create_user("leser", password="x" * 16))
    assert client.get(reverse("admin:content_check")).status_code == 302


# --- Refused deletes ---------------------------------------------------------------------------


def test_deleting_a_workstream_with_criteria_is_refused_naming_the_criteria(chefredaktion, roadmap):
    workstream = roadmap["economic"]
    url = admin_url(workstream, "delete")
    html = chefredaktion.get(url).content.decode()
    assert "kann nicht gelöscht werden" in html
    assert "Problemanalyse" in html
    chefredaktion.post(url, {"post": "yes"})
    assert Workstream.objects.filter(pk=workstream.pk).exists()


def test_deleting_a_phase_with_milestones_is_refused(chefredaktion, roadmap):
    phase = roadmap["first"]
    html = chefredaktion.get(admin_url(phase, "delete")).content.decode()
    assert "kann nicht gelöscht werden" in html and "Bedarf belegt" in html
    chefredaktion.post(admin_url(phase, "delete"), {"post": "yes"})
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_deleting_a_criterion_linked_from_an_example_is_refused_naming_the_example(
    chefredaktion, roadmap
):
    criterion = roadmap["criterion"]
    example = factories.example(roadmap["first"], title="Parksensoren Musterstadt")
    example.criteria.add(criterion)
    html = chefredaktion.get(admin_url(criterion, "delete")).content.decode()
    assert "Parksensoren Musterstadt" in html
    assert "veranschaulicht Kriterien" in html
    chefredaktion.post(admin_url(criterion, "delete"), {"post": "yes"})
    assert Criterion.objects.filter(pk=criterion.pk).exists()
    assert list(example.criteria.all()) == [criterion]


def test_bulk_delete_is_refused_when_one_entry_is_still_referenced(chefredaktion, roadmap):
    free = factories.criterion(roadmap["first"], [], title="Frei")
    linked = roadmap["criterion"]
    factories.example(roadmap["first"], title="Beispiel mit Verweis").criteria.add(linked)
    data = {"action": "delete_selected", "_selected_action": [free.pk, linked.pk]}
    html = chefredaktion.post(admin_url(linked, "changelist"), data).content.decode()
    assert "können nicht gelöscht werden" in html and "Beispiel mit Verweis" in html
    chefredaktion.post(admin_url(linked, "changelist"), {**data, "post": "yes"})
    assert Criterion.objects.filter(pk__in=[free.pk, linked.pk]).count() == 2


def test_deleting_a_referenced_milestone_inline_is_refused(chefredaktion, roadmap):
    phase, milestone = roadmap["first"], roadmap["milestone"]
    roadmap["criterion"].milestones.add(milestone)
    data = change_form_data(chefredaktion, admin_url(phase), **{"milestones-0-DELETE": "on"})
    response = chefredaktion.post(admin_url(phase), data)
    assert response.status_code == 200
    assert "Problemanalyse" in response.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_an_unreferenced_criterion_can_be_deleted(chefredaktion, roadmap):
    criterion = factories.criterion(roadmap["first"], [roadmap["technical"]], title="Frei")
    response = chefredaktion.post(admin_url(criterion, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


# --- Optimistic locking ------------------------------------------------------------------------


def test_second_save_of_the_same_entry_is_refused_naming_who_changed_it(
    chefredaktion, redaktion, roadmap
):
    criterion = roadmap["criterion"]
    url = admin_url(criterion)
    first = change_form_data(chefredaktion, url, summary="Fassung der Chefredaktion.")
    second = change_form_data(redaktion, url, summary="Fassung der Redaktion.")

    assert chefredaktion.post(url, first).status_code == 302
    response = redaktion.post(url, second)

    assert response.status_code == 200
    html = response.content.decode()
    assert "wurde inzwischen von Clara geändert" in html
    assert "nicht gespeichert" in html
    criterion.refresh_from_db()
    assert criterion.summary == "Fassung der Chefredaktion."


def test_saving_again_after_reloading_works(chefredaktion, roadmap):
    url = admin_url(roadmap["criterion"])
    assert chefredaktion.post(url, change_form_data(chefredaktion, url)).status_code == 302
    data = change_form_data(chefredaktion, url, summary="Zweite Fassung.")
    assert chefredaktion.post(url, data).status_code == 302


def test_edit_conflicts_in_inlines_are_caught_through_the_parent(chefredaktion, redaktion, roadmap):
    phase = roadmap["first"]
    url = admin_url(phase)
    first = change_form_data(chefredaktion, url, **{"milestones-0-title": "Erste Fassung"})
    second = change_form_data(redaktion, url, **{"milestones-0-title": "Zweite Fassung"})
    assert chefredaktion.post(url, first).status_code == 302
    assert redaktion.post(url, second).status_code == 200
    assert Milestone.objects.get(pk=roadmap["milestone"].pk).title == "Erste Fassung"


def test_a_changed_milestone_refuses_the_outdated_inline_row(chefredaktion, roadmap):
    phase, milestone = roadmap["first"], roadmap["milestone"]
    data = change_form_data(chefredaktion, admin_url(phase), **{"milestones-0-title": "Alt"})
    milestone.title = "Inzwischen anders"
    milestone.save()
    response = chefredaktion.post(admin_url(phase), data)
    assert response.status_code == 200
    assert "wurde inzwischen" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.title == "Inzwischen anders"


def test_new_examples_start_as_drafts_for_redaktion(redaktion, roadmap):
    response = redaktion.get(reverse("admin:examples_practiceexample_add"))
    data = form_data(response, "practiceexample_form")
    data.update(
        title=["Neues Beispiel"],
        slug=["neues-beispiel"],
        municipality=["eine Kleinstadt"],
        state=["BY"],
        size_class=["kleinstadt"],
        solution_type=["app"],
        phase_reached=[roadmap["first"].pk],
        summary=["Kurz."],
        body=["Text."],
        evidence=["illustrative"],
        status=["published"],
    )
    response = redaktion.post(reverse("admin:examples_practiceexample_add"), data)
    assert response.status_code == 302
    assert PracticeExample.objects.get(slug="neues-beispiel").status == Status.DRAFT


# --- Drafts without a page of their own: previewed in their place on another page -------------

DRAFT_LABEL = "Entwurf – nur für die Redaktion sichtbar"
LISTED_KINDS = ["glossary", "resources", "milestones"]


def entries_around_a_draft(kind, roadmap):
    """Three entries of ``kind`` in the order their page shows them, the middle one a draft."""
    make = {
        "glossary": lambda title, **fields: factories.glossary_term(term=title, **fields),
        "resources": lambda title, **fields: factories.resource(title=title, **fields),
        "milestones": lambda title, **fields: factories.milestone(
            roadmap["second"], title=title, **fields
        ),
    }[kind]
    return [make("Anfang"), make("Mittelentwurf", status=Status.DRAFT), make("Zielbild")]


def anchor(entry):
    return entry.get_absolute_url().split("#", 1)[1]


def staff_without_view_permissions(django_user_model):
    return logged_in(editor(django_user_model, "ohne-rechte"))


@pytest.mark.parametrize("kind", LISTED_KINDS)
def test_editors_see_drafts_in_their_place_marked_and_never_cacheable(redaktion, roadmap, kind):
    draft = entries_around_a_draft(kind, roadmap)[1]
    response = redaktion.get(draft.get_absolute_url())  # the admin's "Auf der Website ansehen"
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Anfang") < html.index("Mittelentwurf") < html.index("Zielbild")
    assert f'id="{anchor(draft)}"' in html
    # The label belongs to the draft alone: between its title and the next entry.
    assert html.count(DRAFT_LABEL) == 1
    assert html.index("Mittelentwurf") < html.index(DRAFT_LABEL) < html.index("Zielbild")
    assert 'class="kern-badge kern-badge--warning kern-badge--small draft-badge"' in html
    assert "kern-alert" not in html  # no page banner: the page itself is published
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


@pytest.mark.parametrize("kind", LISTED_KINDS)
def test_visitors_and_staff_without_view_permission_see_no_listed_draft(
    client, django_user_model, roadmap, kind
):
    draft = entries_around_a_draft(kind, roadmap)[1]
    anonymous = client.get(draft.get_absolute_url())
    staff = staff_without_view_permissions(django_user_model).get(draft.get_absolute_url())
    for response in (anonymous, staff):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Anfang" in html and "Zielbild" in html
        assert "Mittelentwurf" not in html and anchor(draft) not in html
        assert DRAFT_LABEL not in html and "draft-badge" not in html
    assert "private" not in anonymous.get("Cache-Control", "")
    assert "Cookie" not in anonymous.get("Vary", "")


def test_editors_see_draft_milestones_of_the_shown_phase_only(redaktion, roadmap):
    factories.milestone(roadmap["first"], title="Fremder Entwurf", status=Status.DRAFT)
    own = factories.milestone(roadmap["second"], title="Eigener Entwurf", status=Status.DRAFT)
    html = redaktion.get(roadmap["second"].get_absolute_url()).content.decode()
    assert "Eigener Entwurf" in html and f'id="{anchor(own)}"' in html
    assert "Fremder Entwurf" not in html


# Pages that show listed drafts to editors, with their query budget for anonymous visitors.
# (address, anonymous budget, editor's extra check whether the page's own entry is public)
# The phase page's budget is that of a first request: it builds its lookup tables
# (core/lookups.py); afterwards it needs one query (tests/test_pages.py).
LISTING_PAGES = [("/glossar/", 1, 0), ("/ressourcen/", 1, 0), ("/phasen/pilotphase/", 11, 1)]
# An editor's request adds the session, the user and the user's and groups' permissions.
LOGIN_AND_PERMISSION_QUERIES = 4


@pytest.mark.parametrize(("url", "budget", "visibility_check"), LISTING_PAGES)
def test_anonymous_pages_with_listed_drafts_keep_their_query_budget_and_never_look_up_a_user(
    client, roadmap, django_assert_max_num_queries, url, budget, visibility_check
):
    for kind in LISTED_KINDS:
        entries_around_a_draft(kind, roadmap)
    with django_assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "django_session" not in sql and "auth_user" not in sql


@pytest.mark.parametrize(("url", "budget", "visibility_check"), LISTING_PAGES)
def test_editors_preview_of_listed_drafts_costs_only_login_permission_and_visibility_lookups(
    redaktion, roadmap, django_assert_max_num_queries, url, budget, visibility_check
):
    for kind in LISTED_KINDS:
        entries_around_a_draft(kind, roadmap)
    redaktion.get(url)  # builds the lookup tables (core/lookups.py), as any first request
    with django_assert_max_num_queries(budget + LOGIN_AND_PERMISSION_QUERIES + visibility_check):
        assert "Mittelentwurf" in redaktion.get(url).content.decode()


def test_listed_drafts_stay_out_of_search_sitemap_and_criterion_pages_even_for_editors(
    redaktion, roadmap
):
    criterion = roadmap["criterion"]
    entries = [entries_around_a_draft(kind, roadmap) for kind in LISTED_KINDS]
    drafts, published = [middle for _, middle, _ in entries], [last for *_, last in entries]
    criterion.milestones.add(drafts[-1], published[-1])
    criterion.resources.add(drafts[1], published[1])
    for url, twins in (
        (reverse("search") + "?q=Mittelentwurf", []),
        (reverse("search") + "?q=Zielbild", published),
        (reverse("sitemap"), []),
        (criterion.get_absolute_url(), published[1:]),
    ):
        html = redaktion.get(url).content.decode()
        assert not [draft for draft in drafts if anchor(draft) in html], url
        assert [twin for twin in twins if anchor(twin) in html] == twins, url
