"""Personal Fahrpläne: secret links, ticks and notes, progress, CSV, deletion and purging."""

import csv
import hashlib
import io
import re
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.publishing import Status
from phases.models import Criterion, Milestone
from selfcheck.models import Fahrplan, FahrplanEntry
from selfcheck.plan import load_plan, save_phase
from tests import factories
from workspace.content import FIXTURE_DIR

# The rate-limit counters live in the cache; every test starts with none.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

CREATE = "/fahrplan/neu/"
TOKEN_RE = re.compile(r"^/fahrplan/([A-Za-z0-9_-]{43})/\?neu=1(#phase-[a-z0-9-]+)?$")


@pytest.fixture
def content():
    """Two sequence phases, a cross-phase group, two workstreams, milestones and criteria."""
    idee = factories.phase(name="Ideenfindung", slug="idee", number="P1", order=1)
    pilot = factories.phase(name="Pilotphase", slug="pilot", number="P2", order=2)
    cross = factories.phase(
        name="Durchgehend", slug="durchgehend", number="", order=9, is_cross_phase=True
    )
    economic = factories.workstream(name="Wirtschaftlich", slug="wirtschaftlich")
    technical = factories.workstream(name="Technisch", slug="technisch")
    return {
        "idee": idee,
        "pilot": pilot,
        "cross": cross,
        "economic": economic,
        "technical": technical,
        "m_idee": [factories.milestone(idee, title=f"Idee {n}") for n in (1, 2)],
        "m_pilot": [factories.milestone(pilot, title="Pilot läuft")],
        "c_idee": factories.criterion(idee, [economic, technical], title="Bedarfsanalyse"),
        "c_pilot": factories.criterion(pilot, [technical], title="Offene Schnittstellen"),
        "c_cross": factories.criterion(cross, [economic], title="Kommunikation"),
    }


def create(client, data=None):
    client.get(CREATE)  # sets the CSRF cookie, as a browser would
    response = client.post(CREATE, data or {}, headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 302, response.status_code
    match = TOKEN_RE.match(response["Location"])
    assert match, response["Location"]
    return match.group(1)


def csrf(client):
    return client.cookies["csrftoken"].value


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def url(token, suffix=""):
    return f"/fahrplan/{token}/{suffix}"


def save(client, token, phase, values):
    """POST one phase form; values: {item: (done, note)}."""
    data = {"phase": phase.slug, "csrfmiddlewaretoken": csrf(client)}
    for item, (done, note) in values.items():
        key = f"{'m' if isinstance(item, Milestone) else 'k'}{item.pk}"
        if done:
            data[f"{key}-erledigt"] = "on"
        data[f"{key}-notiz"] = note
    return client.post(url(token), data)


def plan_of(token):
    return Fahrplan.objects.for_token(token).get()


# --- Creating and finding a Fahrplan -------------------------------------------------------


def test_creating_stores_only_a_hash_of_a_256_bit_token(csrf_client, content):
    token = create(csrf_client)
    fahrplan = Fahrplan.objects.get()
    assert fahrplan.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) == 43  # 32 random bytes
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM selfcheck_fahrplan")
        assert token not in repr(cursor.fetchall())


def test_every_new_fahrplan_gets_a_different_token(csrf_client, content):
    tokens = {create(csrf_client) for _ in range(5)}
    assert len(tokens) == 5
    assert Fahrplan.objects.count() == 5


def test_creating_needs_a_csrf_token(csrf_client, content):
    response = csrf_client.post(CREATE, {})
    assert response.status_code == 403
    assert not Fahrplan.objects.exists()


def test_create_page_explains_what_is_stored_and_posts_the_answered_milestones(client, content):
    reached = content["m_idee"][0]
    response = client.get(f"{CREATE}?erreicht={reached.slug}&erreicht=unbekannt&phase=pilot")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert f'<input type="hidden" name="erreicht" value="{reached.slug}">' in html
    assert "unbekannt" not in html
    assert '<input type="hidden" name="phase" value="pilot">' in html
    assert 'href="/datenschutz/"' in html
    assert "keine Namen" in html


def test_answers_from_the_self_check_start_ticked(csrf_client, content):
    first, second = content["m_idee"]
    draft = factories.milestone(content["idee"], status=Status.DRAFT)
    token = create(csrf_client, {"erreicht": [first.slug, draft.slug, "gibt-es-nicht"]})
    entries = plan_of(token).entries.all()
    assert [(e.milestone, e.done) for e in entries] == [(first, True)]
    html = csrf_client.get(url(token)).content.decode()
    assert re.search(rf'name="m{first.pk}-erledigt" checked', html)
    assert not re.search(rf'name="m{second.pk}-erledigt" checked', html)


@pytest.mark.parametrize("value", ["pilot\x00phase", "../pilotphase", "x" * 500])
def test_a_malformed_start_phase_is_ignored_instead_of_failing(client, content, value):
    # Found by the URL fuzzer: a NUL byte reached PostgreSQL and caused a 500.
    response = client.get(CREATE, {"phase": value})
    assert response.status_code == 200
    assert response.context["start_phase"] is None


def test_a_fahrplan_started_on_a_phase_page_opens_at_that_phase(csrf_client, content):
    token = create(csrf_client, {"phase": "pilot"})
    assert Fahrplan.objects.for_token(token).exists()
    response = csrf_client.post(
        CREATE, {"phase": "pilot"}, headers={"X-CSRFToken": csrf(csrf_client)}
    )
    assert response["Location"].endswith("?neu=1#phase-pilot")


def test_unknown_tokens_answer_404_and_nothing_lists_fahrplaene(client, content):
    token = create(client)
    fahrplan = plan_of(token)
    unknown = "A" * 43
    for path in [
        url(unknown),
        url(unknown, "fahrplan.csv"),
        url(unknown, "loeschen/"),
        url(token[:-1]),  # one character short
        url(token + "A"),
        f"/fahrplan/{fahrplan.token_hash}/",  # the stored hash is no key
        f"/fahrplan/{fahrplan.pk}/",
        "/fahrplan/",
    ]:
        assert client.get(path).status_code == 404, path
    posted = client.post(url(unknown), {"phase": "idee", "csrfmiddlewaretoken": csrf(client)})
    assert posted.status_code == 404
    assert "/fahrplan/" not in client.get("/sitemap.xml").content.decode()


def test_fahrplan_pages_are_private_unindexed_and_send_no_referrer(client, content):
    token = create(client)
    for path in [url(token), url(token, "fahrplan.csv"), url(token, "loeschen/"), CREATE]:
        response = client.get(path)
        assert response.status_code == 200, path
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, path
        assert response["X-Robots-Tag"] == "noindex", path
        # Never the path (with the secret) in a Referer; see the next test for "no-referrer".
        assert response["Referrer-Policy"] == "strict-origin", path


def test_forms_work_with_the_origin_header_browsers_send_under_that_policy(csrf_client, content):
    """Under "no-referrer" browsers post forms with "Origin: null", which CSRF rejects."""
    token = create(csrf_client)
    data = {"phase": "idee", "csrfmiddlewaretoken": csrf(csrf_client)}
    refused = csrf_client.post(url(token), data, headers={"Origin": "null"})
    assert refused.status_code == 403
    saved = csrf_client.post(url(token), data, headers={"Origin": "http://testserver"})
    assert saved.status_code == 302


def test_creation_is_rate_limited_per_ip_with_a_german_429_page(client, content, settings):
    settings.FAHRPLAN_CREATE_RATE = "2/h"
    create(client)
    create(client)
    response = client.post(CREATE, {}, headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 429
    assert "Zu viele neue Fahrpläne" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 3600 + 5
    assert Fahrplan.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.7")
    create(other)  # another address still gets its plan
    assert Fahrplan.objects.count() == 3


def test_creation_still_works_when_the_cache_server_is_down(client, content, settings):
    # Nothing listens on port 9 of loopback: the rate limit's cache refuses at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    create(client)
    assert Fahrplan.objects.count() == 1


# --- Ticks, notes and progress -------------------------------------------------------------


def test_ticks_and_notes_are_saved_with_post_redirect_get(client, content):
    token = create(client)
    first, second = content["m_idee"]
    response = save(
        client,
        token,
        content["idee"],
        {
            first: (True, "Beschluss im März"),
            second: (False, ""),
            content["c_idee"]: (False, "Kämmerei fragen"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fahrplan/{token}/?gespeichert=idee#phase-idee"
    entries = {
        (e.milestone_id, e.criterion_id): (e.done, e.note) for e in FahrplanEntry.objects.all()
    }
    assert entries == {
        (first.pk, None): (True, "Beschluss im März"),
        (None, content["c_idee"].pk): (False, "Kämmerei fragen"),
    }
    html = client.get(response["Location"]).content.decode()
    saved_notice = html.index("Ihre Änderungen in dieser Phase sind gespeichert")
    assert html.index('id="phase-idee"') < saved_notice < html.index('id="phase-pilot"')
    assert re.search(rf'name="m{first.pk}-erledigt" checked', html)
    assert 'value="Beschluss im März"' in html


def test_unticking_and_clearing_the_note_removes_the_row(client, content):
    token = create(client, {"erreicht": [content["m_idee"][0].slug]})
    assert FahrplanEntry.objects.count() == 1
    save(client, token, content["idee"], {content["m_idee"][0]: (False, "   ")})
    assert FahrplanEntry.objects.count() == 0


def test_saving_one_phase_leaves_other_phases_alone(client, content):
    token = create(client, {"erreicht": [content["m_pilot"][0].slug]})
    save(client, token, content["idee"], {content["m_idee"][0]: (True, "")})
    done = set(FahrplanEntry.objects.filter(done=True).values_list("milestone__title", flat=True))
    assert done == {"Idee 1", "Pilot läuft"}


def test_notes_are_shown_as_escaped_plain_text(client, content):
    token = create(client)
    save(
        client, token, content["idee"], {content["m_idee"][0]: (False, "<script>alert(1)</script>")}
    )
    html = client.get(url(token)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("note", ["x" * 301, "null\x00zeichen"])
def test_invalid_notes_get_a_german_message_and_nothing_is_saved(client, content, note):
    token = create(client)
    milestone = content["m_idee"][0]
    response = save(client, token, content["idee"], {milestone: (True, note)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nicht gespeichert" in html
    assert 'aria-invalid="true"' in html
    assert re.search(rf'name="m{milestone.pk}-erledigt" checked', html)  # input kept
    assert not FahrplanEntry.objects.exists()


def test_a_form_for_an_unknown_phase_is_answered_with_a_german_message(client, content):
    token = create(client)
    response = client.post(
        url(token), {"phase": "gibt-es-nicht", "csrfmiddlewaretoken": csrf(client)}
    )
    assert response.status_code == 400
    assert "nicht mehr Teil der Roadmap" in response.content.decode()


def test_every_change_updates_last_touched(client, content):
    token = create(client)
    old = timezone.now() - timedelta(days=30)
    Fahrplan.objects.update(last_touched=old)
    save(client, token, content["idee"], {content["m_idee"][0]: (True, "")})
    assert plan_of(token).last_touched > old + timedelta(days=29)


def test_opening_a_fahrplan_keeps_it_alive_with_at_most_one_write_a_day(client, content):
    token = create(client)
    recent = timezone.now() - timedelta(hours=2)
    Fahrplan.objects.update(last_touched=recent)
    client.get(url(token))
    assert plan_of(token).last_touched == recent
    Fahrplan.objects.update(last_touched=timezone.now() - timedelta(days=200))
    client.get(url(token))
    assert plan_of(token).last_touched > timezone.now() - timedelta(minutes=1)


def test_progress_per_phase_and_per_workstream(client, content):
    token = create(client, {"erreicht": [content["m_idee"][0].slug]})
    save(
        client,
        token,
        content["pilot"],
        {content["m_pilot"][0]: (False, ""), content["c_pilot"]: (True, "")},
    )
    plan = load_plan(plan_of(token))
    phases = {p.phase.slug: p for p in plan.phases}
    assert (phases["idee"].progress.done, phases["idee"].progress.total) == (1, 3)
    assert (phases["pilot"].progress.done, phases["pilot"].progress.total) == (1, 2)
    assert (phases["durchgehend"].progress.done, phases["durchgehend"].progress.total) == (0, 1)
    by_ws = {ws.slug: (p.done, p.total) for ws, p in plan.workstream_progress}
    # „Bedarfsanalyse“ has both workstreams and counts in both.
    assert by_ws == {"wirtschaftlich": (0, 2), "technisch": (1, 2)}
    assert (plan.progress.done, plan.progress.total) == (2, 6)
    html = client.get(url(token)).content.decode()
    assert '<progress id="fortschritt-phase-idee" max="3" value="1"' in html
    assert "1 von 3 erledigt (33 %)" in html
    assert '<progress id="fortschritt-technisch" max="2" value="1"' in html
    assert '<label class="kern-label fahrplan-progress__label" for="fortschritt-gesamt">' in html
    assert "Ihre aktuelle Phase" in html


def test_the_recommended_phase_follows_the_ticked_municipal_milestones(client, content):
    token = create(client, {"erreicht": [m.slug for m in content["m_idee"]]})
    plan = load_plan(plan_of(token))
    assert [p.phase.slug for p in plan.phases if p.is_recommended] == ["pilot"]
    assert "/selbstcheck/ergebnis/?erreicht=" in client.get(url(token)).content.decode()


def test_each_criterion_has_one_checkbox_even_with_two_workstreams(client, content):
    token = create(client)
    html = client.get(url(token)).content.decode()
    assert html.count(f'name="k{content["c_idee"].pk}-erledigt"') == 1


def test_concurrent_saves_of_the_same_item_end_without_an_error(client, content):
    token = create(client)
    fahrplan = plan_of(token)
    stale = load_plan(fahrplan)  # loaded before the other save
    milestone = content["m_idee"][0]
    save(client, token, content["idee"], {milestone: (True, "zuerst")})
    idee = stale.phase("idee")
    values = {item.key: (item.done, item.note) for item in idee.items}
    values[f"m{milestone.pk}"] = (True, "danach")
    save_phase(fahrplan, idee, values)
    assert list(FahrplanEntry.objects.values_list("note", flat=True)) == ["danach"]


# --- Drafts --------------------------------------------------------------------------------


def test_content_that_becomes_a_draft_disappears_from_page_counts_and_csv(client, content):
    milestone, criterion = content["m_idee"][0], content["c_idee"]
    token = create(client, {"erreicht": [milestone.slug]})
    save(client, token, content["idee"], {milestone: (True, "Notiz A"), criterion: (True, "B")})
    Milestone.objects.filter(pk=milestone.pk).update(status=Status.DRAFT)
    Criterion.objects.filter(pk=criterion.pk).update(status=Status.DRAFT)
    response = client.get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (milestone.title, criterion.title, "Notiz A"):
        assert text not in html
    assert '<progress id="fortschritt-phase-idee" max="1" value="0"' in html
    exported = client.get(url(token, "fahrplan.csv")).content.decode("utf-8-sig")
    assert milestone.title not in exported and criterion.title not in exported
    assert FahrplanEntry.objects.count() == 2  # kept, in case the content is published again


def test_draft_phases_are_left_out_of_the_plan(client, content):
    hidden = factories.phase(name="Verborgen", slug="verborgen", order=5, status=Status.DRAFT)
    factories.milestone(hidden, title="Verborgener Meilenstein")
    token = create(client)
    html = client.get(url(token)).content.decode()
    assert "Verborgen" not in html


# --- CSV -----------------------------------------------------------------------------------


def test_csv_matches_the_database_and_opens_in_german_spreadsheets(client, content):
    token = create(client)
    values = {content["m_idee"][0]: (True, "=HYPERLINK(1)"), content["c_idee"]: (False, "K; f")}
    save(client, token, content["idee"], values)
    response = client.get(url(token, "fahrplan.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="fahrplan-')
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    header = "Phase;Art;Arbeitsstränge;Titel;Status;Notiz;Zuletzt geändert;Adresse\r\n"
    assert text.startswith(header)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    body = rows[1:]
    published = Milestone.objects.count() + Criterion.objects.count()
    assert len(body) == published
    by_title = {row[3]: row for row in body}
    entries = {e.milestone or e.criterion: e for e in FahrplanEntry.objects.all()}
    for item in [*Milestone.objects.all(), *Criterion.objects.all()]:
        row = by_title[item.title]
        entry = entries.get(item)
        assert row[4] == ("erledigt" if entry and entry.done else "offen"), item
        note = entry.note if entry else ""
        assert row[5] in (note, f"'{note}"), item
        assert row[7] == f"http://testserver{item.get_absolute_url()}"
        assert bool(row[6]) == bool(entry)
    assert by_title["Idee 1"][5] == "'=HYPERLINK(1)"  # never run as a formula
    assert by_title["Bedarfsanalyse"][2] == "Wirtschaftlich, Technisch"
    assert by_title["Bedarfsanalyse"][5] == "K; f"  # the separator inside a quoted cell
    assert by_title["Kommunikation"][0] == "Durchgehend"


def test_the_page_explains_the_csv_format(client, content):
    html = client.get(url(create(client))).content.decode()
    assert "Spalten durch Semikolon getrennt" in html
    assert "UTF-8" in html


# --- Deleting and purging ------------------------------------------------------------------


def test_the_link_holder_deletes_after_a_confirmation_step(client, content):
    token = create(client, {"erreicht": [content["m_idee"][0].slug]})
    confirm = client.get(url(token, "loeschen/"))
    assert "endgültig löschen" in confirm.content.decode()
    assert Fahrplan.objects.exists()
    response = client.post(url(token, "loeschen/"), {"csrfmiddlewaretoken": csrf(client)})
    assert response.status_code == 302 and response["Location"] == "/fahrplan/geloescht/"
    assert "Fahrplan gelöscht" in client.get(response["Location"]).content.decode()
    assert not Fahrplan.objects.exists() and not FahrplanEntry.objects.exists()
    assert client.get(url(token)).status_code == 404


def test_purge_removes_plans_untouched_for_twelve_months_only(content):
    now = timezone.now()
    stale, _ = Fahrplan.create_with_token()
    fresh, _ = Fahrplan.create_with_token()
    Fahrplan.objects.filter(pk=stale.pk).update(last_touched=now - timedelta(days=366))
    Fahrplan.objects.filter(pk=fresh.pk).update(last_touched=now - timedelta(days=364))
    FahrplanEntry.objects.create(fahrplan=stale, milestone=content["m_idee"][0], done=True)

    out = io.StringIO()
    call_command("purge_fahrplaene", "--dry-run", stdout=out)
    assert "1 Fahrpläne wären zu löschen" in out.getvalue()
    assert Fahrplan.objects.count() == 2

    out = io.StringIO()
    call_command("purge_fahrplaene", stdout=out)
    assert "1 Fahrpläne gelöscht" in out.getvalue()
    assert list(Fahrplan.objects.all()) == [fresh]
    assert not FahrplanEntry.objects.exists()


def test_the_page_names_the_deletion_date(client, content):
    token = create(client)
    expires = timezone.localdate() + timedelta(days=365)
    with translation.override("de"):
        assert date_format(expires, "j. F Y") in client.get(url(token)).content.decode()
    assert plan_of(token).expires_on == expires


def test_privacy_page_explains_what_a_fahrplan_stores():
    pages = yaml.safe_load((FIXTURE_DIR / "11_pages.yaml").read_text())
    body = next(p["fields"]["body"] for p in pages if p["fields"]["slug"] == "datenschutz")
    section = body[body.index("## Selbstcheck und persönlicher Fahrplan") :]
    phrases = ["Prüfwert (Hash)", "Notizen", "zuletzt geöffnet oder geändert", "kein Cookie"]
    phrases += ["zwölf Monate", "Fahrplan löschen", "IP-Adresse", "Zwischenspeicher"]
    for phrase in phrases:
        assert phrase in section, phrase


# --- Query budget --------------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_fahrplan_queries_do_not_grow_with_content(client, content, django_assert_max_num_queries):
    token = create(client)
    paths = [url(token), url(token, "fahrplan.csv")]
    small = [count_queries(client, path) for path in paths]
    workstreams = [content["economic"], content["technical"]]
    for phase in (content["idee"], content["pilot"], content["cross"]):
        for _ in range(4):
            milestone = factories.milestone(phase)
            factories.criterion(phase, workstreams).milestones.add(milestone)
    save(
        client,
        token,
        content["pilot"],
        {m: (True, "x") for m in Milestone.objects.filter(phase=content["pilot"])},
    )
    assert [count_queries(client, path) for path in paths] == small
    with django_assert_max_num_queries(8):
        client.get(url(token))
