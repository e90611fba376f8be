"""Documents from a Fahrplan (DOCX, ODT), their fields, and the blank templates on /vorlagen/."""

import io
import zipfile
from datetime import date

import pytest
from docx import Document as DocxDocument
from odfdo import Document as OdfDocument

from core.publishing import Status
from selfcheck.decisions import Decision
from selfcheck.models import Fahrplan, FahrplanEntry
from tests import factories

pytest_plugins = ["tests.fahrplan_tools_helpers"]

NASTY = '<w:fldSimple w:instr="DDEAUTO c:\\\\x"/>{kommune} &amp; ]]>'


@pytest.fixture
def filled(tools):
    fahrplan = tools["fahrplan"]
    fahrplan.solution_name = NASTY
    fahrplan.municipality = "Musterstadt"
    fahrplan.operator_model = factories.operator_model(name="Eigenbetrieb")
    fahrplan.annual_costs = 45000
    fahrplan.funding_end = date(2027, 12, 31)
    fahrplan.save()
    FahrplanEntry.objects.create(fahrplan=fahrplan, milestone=tools["reached"], done=True)
    Decision.objects.create(
        fahrplan=fahrplan,
        phase=tools["p1"],
        outcome="adapt",
        decided_on=date(2026, 3, 1),
        reason="Zielgruppe =HYPERLINK(x) erweitert",
    )
    return tools


def docx_text(content):
    doc = DocxDocument(io.BytesIO(content))
    return [(p.style.name, p.text) for p in doc.paragraphs]


def odt_text(content):
    doc = OdfDocument(io.BytesIO(content))
    return doc.body.text_recursive


def document_xml(content, name):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name).decode()


def test_resolution_draft_as_docx_contains_the_entries_as_plain_text(client, filled):
    response = client.get(filled["base"] + "dokumente/beschlussvorlage.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="beschlussvorlage-entwurf.docx"' in response["Content-Disposition"]
    paragraphs = docx_text(response.content)
    assert paragraphs[0] == ("Title", "Beschlussvorlage zur Verstetigung (Entwurf)")
    assert ("Heading 1", "Betreff") in paragraphs
    assert ("Normal", f"Verstetigung von {NASTY} in Musterstadt") in paragraphs
    assert ("List Bullet", "Bedarf belegt") in paragraphs
    assert (
        "Normal",
        "Vorgesehen: Eigenbetrieb, Kosten 45.000 Euro je Jahr, Förderende 31.12.2027.",
    ) in paragraphs
    assert (
        "List Bullet",
        "P1 Ideenfindung: anpassen und weitermachen am 01.03.2026 – Zielgruppe =HYPERLINK(x) "
        "erweitert",
    ) in paragraphs


def test_typed_markup_and_field_codes_stay_text_in_the_docx(client, filled):
    content = client.get(filled["base"] + "dokumente/beschlussvorlage.docx").content
    xml = document_xml(content, "word/document.xml")
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml
    assert "&lt;w:fldSimple" in xml
    # The placeholder typed into the name is not expanded a second time.
    assert "{kommune} &amp;amp; ]]&gt; in Musterstadt" in xml


def test_resolution_draft_as_odt_opens_and_contains_the_entries_escaped(client, filled):
    response = client.get(filled["base"] + "dokumente/beschlussvorlage.odt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    text = odt_text(response.content)
    assert f"Verstetigung von {NASTY} in Musterstadt" in text
    assert "Bedarf belegt" in text and "45.000 Euro" in text
    xml = document_xml(response.content, "content.xml")
    assert "<w:fldSimple" not in xml and "&lt;w:fldSimple" in xml
    assert "<text:a" not in xml  # no hyperlink or field from typed text


def test_operating_concept_has_a_chapter_per_workstream_with_the_open_criteria(client, filled):
    FahrplanEntry.objects.create(fahrplan=filled["fahrplan"], criterion=filled["budget"], done=True)
    content = client.get(filled["base"] + "dokumente/betriebskonzept.docx").content
    paragraphs = docx_text(content)
    headings = [text for style, text in paragraphs if style in ("Heading 1", "Heading 2")]
    assert headings == [
        "Zweck",
        "Arbeitsstrang Wirtschaftlich",
        "Anschlussfinanzierung",
        "Vergaberecht",
        "Arbeitsstrang Technisch",
        "Problemanalyse",
    ]


def test_documents_are_generated_per_request_and_never_cached(client, filled):
    for fmt in ("docx", "odt"):
        response = client.get(filled["base"] + f"dokumente/beschlussvorlage.{fmt}")
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_document_of_a_deleted_plan_or_a_draft_template_is_not_found(client, filled):
    filled["resolution"].status = Status.DRAFT
    filled["resolution"].save()
    assert client.get(filled["base"] + "dokumente/beschlussvorlage.docx").status_code == 404
    assert client.get(filled["base"] + "dokumente/betriebskonzept.pdf").status_code == 404
    filled["fahrplan"].delete()
    assert client.get(filled["base"] + "dokumente/betriebskonzept.docx").status_code == 404


def test_document_fields_are_saved_and_offered_again(client, tools):
    model = factories.operator_model(name="Zweckverband")
    response = client.post(
        tools["base"] + "dokumente/",
        {
            "loesung": "  Parksensorik  ",
            "kommune": "Musterstadt",
            "betreibermodell": model.pk,
            "jahreskosten": "12000",
        },
    )
    assert response.status_code == 302
    fahrplan = Fahrplan.objects.get(pk=tools["fahrplan"].pk)
    assert (fahrplan.solution_name, fahrplan.municipality) == ("Parksensorik", "Musterstadt")
    assert fahrplan.operator_model == model and fahrplan.annual_costs == 12000
    html = client.get(response["Location"]).content.decode()
    assert 'value="Parksensorik"' in html and "Ihre Angaben sind gespeichert" in html
    assert "beschlussvorlage.odt" in html and "betriebskonzept.docx" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"loesung": "x" * 121}, "„Name der Lösung“ ist zu lang: höchstens 120 Zeichen"),
        ({"kommune": "Muster\x07stadt"}, "„Kommune“ enthält Steuerzeichen"),
        ({"loesung": "Zeile\nzwei"}, "„Name der Lösung“ enthält Steuerzeichen oder Zeilenumbrüche"),
        ({"kommune": "Muster\u2028stadt"}, "„Kommune“ enthält Steuerzeichen"),
        ({"jahreskosten": "-5"}, "können nicht negativ sein"),
        ({"jahreskosten": "45.000,00"}, "als ganze Zahl in Euro"),
        ({"jahreskosten": "999999999999"}, "unrealistisch hoch"),
        ({"betreibermodell": "999999"}, "Dieses Betreibermodell gibt es nicht"),
    ],
)
def test_bad_document_fields_get_a_german_message_and_store_nothing(client, tools, data, message):
    response = client.post(tools["base"] + "dokumente/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    fahrplan = Fahrplan.objects.get(pk=tools["fahrplan"].pk)
    assert fahrplan.solution_name == "" and fahrplan.annual_costs is None


def test_vorlagen_page_lists_the_blank_templates_with_their_purpose(client, tools):
    response = client.get("/vorlagen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Beschlussvorlage zur Verstetigung (Entwurf)" in html and "Für den Rat." in html
    assert 'href="/vorlagen/beschlussvorlage.docx"' in html
    assert 'href="/vorlagen/betriebskonzept.odt"' in html


def test_blank_template_fills_placeholders_with_bracketed_hints(client, tools):
    response = client.get("/vorlagen/beschlussvorlage.docx")
    assert response.status_code == 200
    texts = [text for _, text in docx_text(response.content)]
    assert "Verstetigung von [Name der Lösung] in [Kommune]" in texts
    assert "[erreichte Meilensteine aus dem Fahrplan]" in texts
    odt = client.get("/vorlagen/betriebskonzept.odt")
    assert odt.status_code == 200 and "Arbeitsstrang Wirtschaftlich" in odt_text(odt.content)


def test_draft_templates_are_neither_listed_nor_downloadable(client, tools):
    tools["concept"].status = Status.DRAFT
    tools["concept"].save()
    assert "Betriebskonzept (Gliederung)" not in client.get("/vorlagen/").content.decode()
    assert client.get("/vorlagen/betriebskonzept.docx").status_code == 404


def test_phase_and_criterion_pages_link_their_templates(client, tools):
    phase_html = client.get("/phasen/verstetigung/").content.decode()
    assert 'href="/vorlagen/#vorlage-beschlussvorlage"' in phase_html
    criterion_html = client.get("/kriterien/vergaberecht/").content.decode()
    assert 'href="/vorlagen/#vorlage-beschlussvorlage"' in criterion_html
    other = client.get("/kriterien/problemanalyse/").content.decode()
    assert "Passende Vorlagen" not in other


def test_the_german_default_templates_load_from_the_fixtures(shipped_content):
    from selfcheck.documents.models import Vorlage

    vorlagen = {v.slug: v for v in Vorlage.objects.published()}
    assert set(vorlagen) == {"beschlussvorlage-verstetigung", "betriebskonzept-gliederung"}
    assert "{kapitel_je_arbeitsstrang}" in vorlagen["betriebskonzept-gliederung"].body
    assert vorlagen["beschlussvorlage-verstetigung"].phases.filter(slug="verstetigung").exists()


def test_changing_a_template_renews_cached_pages_but_using_a_fahrplan_does_not(tools, monkeypatch):
    from core import cache

    bumps = []
    monkeypatch.setattr(cache, "bump_generation", lambda: bumps.append(1))
    tools["resolution"].save()
    tools["resolution"].phases.add(tools["p1"])
    assert len(bumps) == 2  # right away; the test transaction never commits
    bumps.clear()
    fahrplan = tools["fahrplan"]
    fahrplan.solution_name = "Neu"
    fahrplan.save()
    Decision.objects.create(
        fahrplan=fahrplan, phase=tools["p1"], outcome="stop", decided_on=date(2026, 1, 1)
    )
    assert bumps == []
