"""Dated legal facts, depth of the deciding criteria and merged criteria in fixtures/."""

import re
from functools import cache

import pytest
import yaml

from workspace.content import FIXTURE_DIR

DECIDING = [
    "vergaberecht",
    "anschlussfinanzierung",
    "haushaltsplanung",
    "betreibermodell-wahl",
    "ratsbeschluss",
    "datenschutz-by-design",
    "kosten-teilen",
    "interkommunale-kooperation",
    "transferpaket",
    "evaluationskonzept",
    "open-source",
]
MERGED = {"nutzertests": "nutzerzentrierung", "beteiligung-pilot": "nutzerzentrierung",
          "finanzcontrolling": "betriebskosten"}  # fmt: skip
# Law a criterion text may cite; each such criterion needs a dated "Rechtsstand" note.
CITES_LAW = re.compile(r"§\s*\d|DSGVO|UStG|GWB|VgV|Data Act|Onlinezugangsgesetz|BITV")


@cache
def all_fixture_objects():
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    objects = []
    for path in sorted(FIXTURE_DIR.glob("*.yaml")):
        objects += yaml.load(path.read_text(), Loader=loader) or []
    return objects


def fixture_objects(model):
    return [o for o in all_fixture_objects() if o["model"] == model]


@cache
def criteria():
    return {o["fields"]["slug"]: o["fields"] for o in fixture_objects("phases.criterion")}


def words(text):
    return len(re.findall(r"\w+", text))


@pytest.mark.parametrize("slug", DECIDING)
def test_deciding_criterion_has_depth_and_says_what_to_prepare(slug):
    body = criteria()[slug]["body"]
    assert 400 <= words(body) <= 700, (slug, words(body))
    assert "## Was Sie vorbereiten" in body


def test_deciding_criteria_do_not_all_have_three_stumbling_blocks():
    counts = set()
    for slug in DECIDING:
        body = criteria()[slug]["body"]
        blocks = body.split("## Typische Stolpersteine", 1)[1]
        counts.add(len(re.findall(r"(?m)^- ", blocks)))
    assert len(counts) > 1


def test_every_criterion_that_cites_law_has_a_dated_legal_note():
    for slug, fields in criteria().items():
        if CITES_LAW.search(fields["body"]):
            assert fields.get("legal_status_on"), slug
            assert len(fields.get("legal_status_note", "")) > 80, slug


def test_doubtful_facts_are_gone_from_the_fixtures():
    text = "\n".join(p.read_text() for p in FIXTURE_DIR.glob("*.yaml"))
    assert not re.search(r"wem (die|ihre|sie)( erzeugten| benötigten)? Daten gehören", text)
    assert "wem sie gehören" not in text
    assert "Servicekonto" not in text
    assert "Haftung ist auf das Gesellschaftsvermögen begrenzt" not in text
    assert "umgesetzt in der BITV 2.0 des Bundes und in Landesrecht" not in text
    # One proof-of-concept duration everywhere (phase description and criterion).
    assert "oft auf einige Wochen" not in text and "zwei bis vier Monate" not in text
    assert "sechs bis zwölf Wochen" in criteria()["proof-of-concept"]["body"]
    phases = {o["fields"]["slug"]: o["fields"] for o in fixture_objects("phases.phase")}
    poc = [f for slug, f in phases.items() if "proof-of-concept" in slug]
    assert poc and all("sechs bis zwölf Wochen" in f["description"] for f in poc)


def test_legal_notes_name_the_dates_that_matter():
    notes = "\n".join(f.get("legal_status_note", "") for f in criteria().values())
    for fact in ["1. Januar 2027", "216.000 Euro", "§ 108 Abs. 6 GWB", "12. September 2025",
                 "12. Januar 2027", "Gewährträger", "24. Juli 2024"]:  # fmt: skip
        assert fact in notes, fact


def test_merged_criteria_are_gone_and_redirect_to_a_live_one():
    live = criteria()
    redirects = {o["fields"]["old_slug"]: o["fields"]["criterion"][0]
                 for o in fixture_objects("phases.criterionredirect")}  # fmt: skip
    assert redirects == MERGED
    assert not set(redirects) & set(live), "an old address must not be a live criterion"
    assert set(redirects.values()) <= set(live)


def test_every_legal_source_is_dated_and_has_a_url():
    legal = [o["fields"] for o in fixture_objects("examples.source")
             if o["fields"]["slug"].startswith("recht-")]  # fmt: skip
    assert len(legal) >= 15
    for fields in legal:
        assert fields["url"].startswith("https://"), fields["slug"]
        assert str(fields["checked_on"]) == "2026-12-05", fields["slug"]
        assert fields["supports"], fields["slug"]


@pytest.mark.django_db
def test_old_addresses_of_merged_criteria_answer_301_after_loading_content(shipped_content, client):
    for old, kept in MERGED.items():
        response = client.get(f"/kriterien/{old}/")
        assert response.status_code == 301, old
        assert response["Location"] == f"/kriterien/{kept}/"
    assert client.get("/kriterien/nutzerzentrierung/").status_code == 200
