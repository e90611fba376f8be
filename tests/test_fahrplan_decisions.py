"""The decision log: continue, adapt or stop at the end of P1–P4."""

from datetime import date

import pytest
from django.db.models import ProtectedError

from phases.models import Criterion, Milestone, Phase
from selfcheck.decisions import Decision
from tests import factories

pytest_plugins = ["tests.fahrplan_tools_helpers"]


def decide(client, tools, phase, outcome="continue", day="2026-11-30", reason="Gut gelaufen."):
    slug = phase.slug
    return client.post(
        tools["base"] + "entscheidungen/",
        {
            "phase": slug,
            f"{slug}-entscheidung": outcome,
            f"{slug}-datum": day,
            f"{slug}-begruendung": reason,
        },
    )


def test_decision_points_are_offered_for_p1_to_p4_only(client, tools):
    html = client.get(tools["base"] + "entscheidungen/").content.decode()
    assert 'id="entscheidung-ideenfindung"' in html and 'id="entscheidung-verstetigung"' in html
    assert 'id="entscheidung-transfer"' not in html
    assert html.count("noch offen") == 2


def test_recording_a_decision_shows_it_in_the_log(client, tools):
    response = decide(client, tools, tools["p1"], "adapt", "15.11.2026", "Zielgruppe <b>enger</b>")
    assert response.status_code == 302
    assert response["Location"].endswith("entscheidungen/?gespeichert=ideenfindung")
    decision = Decision.objects.get(fahrplan=tools["fahrplan"], phase=tools["p1"])
    assert (decision.outcome, decision.decided_on) == ("adapt", date(2026, 11, 15))
    html = client.get(response["Location"]).content.decode()
    assert "<td>anpassen und weitermachen</td><td>15.11.2026</td>" in html
    assert "Zielgruppe &lt;b&gt;enger&lt;/b&gt;" in html
    assert "Ihre Entscheidung ist festgehalten." in html


def test_recording_again_replaces_the_decision_of_that_phase(client, tools):
    decide(client, tools, tools["p4"], "continue")
    decide(client, tools, tools["p4"], "stop", reason="Kein Bedarf mehr.")
    decisions = Decision.objects.filter(fahrplan=tools["fahrplan"])
    assert [(d.phase.slug, d.outcome) for d in decisions] == [("verstetigung", "stop")]


def test_stop_leads_to_the_criterion_on_ending_a_measure_well(client, tools):
    factories.criterion(
        tools["p4"],
        [tools["economic"]],
        title="Eine Maßnahme gut beenden",
        slug="massnahme-beenden",
    )
    decide(client, tools, tools["p4"], "stop")
    html = client.get(tools["base"] + "entscheidungen/").content.decode()
    assert "Sie haben entschieden, die Maßnahme zu beenden" in html
    assert '<a href="/kriterien/massnahme-beenden/">Eine Maßnahme gut beenden</a>' in html


def test_stop_without_that_criterion_gives_practical_advice_instead(client, tools):
    decide(client, tools, tools["p4"], "stop")
    html = client.get(tools["base"] + "entscheidungen/").content.decode()
    assert "Planen Sie das Ende bewusst" in html
    assert "/kriterien/massnahme-beenden/" not in html


def test_no_stop_advice_while_nobody_decided_to_stop(client, tools):
    decide(client, tools, tools["p1"], "continue")
    html = client.get(tools["base"] + "entscheidungen/").content.decode()
    assert "die Maßnahme zu beenden" not in html


@pytest.mark.parametrize(
    ("outcome", "day", "reason", "message"),
    [
        ("", "2026-11-30", "", "Bitte wählen Sie eine Entscheidung"),
        ("vielleicht", "2026-11-30", "", "Bitte wählen Sie eine der drei Entscheidungen."),
        ("stop", "30.02.2026", "", "„Datum der Entscheidung“ ist kein gültiges Datum"),
        ("stop", "1900-01-01", "", "liegt zu weit in der Vergangenheit"),
        ("stop", "2099-01-01", "", "liegt zu weit in der Zukunft"),
        ("stop", "2026-11-30", "x" * 501, "„Begründung“ ist zu lang: höchstens 500 Zeichen"),
        ("stop", "2026-11-30", "Grund\x1b[31m", "„Begründung“ enthält Steuerzeichen"),
    ],
)
def test_bad_decisions_get_a_german_message_and_store_nothing(
    client, tools, outcome, day, reason, message
):
    response = decide(client, tools, tools["p1"], outcome, day, reason)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Decision.objects.exists()


def test_a_multi_line_reason_is_kept(client, tools):
    decide(client, tools, tools["p1"], reason="Erstens.\r\nZweitens.")
    assert Decision.objects.get().reason == "Erstens.\r\nZweitens."


def test_a_phase_without_decision_point_is_refused(client, tools):
    response = decide(client, tools, tools["p5"])
    assert response.status_code == 400
    assert "keinen Entscheidungspunkt" in response.content.decode()
    assert not Decision.objects.exists()


def test_decisions_page_is_private_and_a_deleted_plan_is_gone(client, tools):
    response = client.get(tools["base"] + "entscheidungen/")
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    decide(client, tools, tools["p1"])
    tools["fahrplan"].delete()
    assert not Decision.objects.exists()
    assert client.get(tools["base"] + "entscheidungen/").status_code == 404
    assert decide(client, tools, tools["p1"]).status_code == 404


def test_decisions_page_stays_within_its_query_budget(client, tools, django_assert_max_num_queries):
    decide(client, tools, tools["p1"])
    with django_assert_max_num_queries(6):
        client.get(tools["base"] + "entscheidungen/")


def test_recording_a_decision_ticks_the_decision_point_and_keeps_its_note(client, tools):
    from phases.models import Milestone
    from selfcheck.models import FahrplanEntry

    point = factories.milestone(
        tools["p1"],
        title="Entscheidungspunkt P1",
        kind=Milestone.Kind.DECISION,
        question="Haben Sie bewusst entschieden?",
    )
    FahrplanEntry.objects.create(fahrplan=tools["fahrplan"], milestone=point, note="Termin?")
    html = client.get(tools["base"] + "entscheidungen/").content.decode()
    assert "Haben Sie bewusst entschieden?" in html
    assert f'href="{point.get_absolute_url()}"' in html
    decide(client, tools, tools["p1"], "adapt")
    entry = FahrplanEntry.objects.get(fahrplan=tools["fahrplan"], milestone=point)
    assert entry.done and entry.note == "Termin?"


def test_deleting_a_phase_never_takes_a_teams_decision_along(client, tools):
    decide(client, tools, tools["p4"], "continue")
    # Nothing else holds the phase: only the team's decision may stop the delete.
    phase = tools["p4"]
    Criterion.objects.filter(phase=phase).delete()
    Milestone.objects.filter(phase=phase).delete()
    with pytest.raises(ProtectedError) as refused:
        Phase.objects.filter(pk=phase.pk).delete()
    assert {type(obj) for obj in refused.value.protected_objects} == {Decision}
    assert Decision.objects.filter(fahrplan=tools["fahrplan"], phase=tools["p4"]).exists()
