"""XSS: hostile editor input in every Markdown field never becomes active markup.

Each payload is stored in one Markdown field of a published object and the object's real
public page is fetched and parsed. The page must not gain a single element or attribute that
could run script, load foreign content or change where forms and links go, compared with the
same page rendered from harmless text.
"""

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.publishing import Status
from core.stored_markdown import StoredMarkdownField
from examples.models import PracticeExample, Resource
from information.models import GlossaryTerm, Page
from phases.models import Criterion, Milestone, OperatorModel, Phase, Workstream
from tests import factories
from tests.sampling import share

# fmt: off
PAYLOADS = [
    # script tags, plain and disguised
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    '<script type="module">import("//evil.example/x.js")</script>',
    "Text <script>alert(1)</script> mitten im Absatz",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<p onclick="alert(1)">Absatz</p>',
    '<a href="/glossar/" onmouseover="alert(1)">Link</a>',
    "<abbr title=x onmouseover=alert(1)>x</abbr>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    # javascript:, vbscript: and data: URLs in Markdown links and images
    "[Link](javascript:alert(1))",
    "[Link](JaVaScRiPt:alert(1))",
    "[Link](  javascript:alert(1))",
    "[Link](<javascript:alert(1)>)",
    "[Link](jav&#x09;ascript:alert(1))",
    "[Link](&#106;avascript:alert(1))",
    "[Link](javascript&#58;alert(1))",
    "[Link](vbscript:msgbox(1))",
    "[Link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![Bild](javascript:alert(1))",
    "![Bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![Bild](x" onerror="alert(1))',
    # the same in raw HTML, entity-encoded, with whitespace and mixed case
    '<a href="javascript:alert(1)">Link</a>',
    '<a href="&#x6A;avascript:alert(1)">Link</a>',
    "<a href=javas&#99;ript:alert(1)>Link</a>",
    '<a href="javascript&colon;alert(1)">Link</a>',
    '<a href="java\nscript:alert(1)">Link</a>',
    '<a href=" JAVASCRIPT:alert(1)">Link</a>',
    '<a href="vbscript:msgbox(1)">Link</a>',
    '<a href="data:text/html,<script>alert(1)</script>">Link</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<td background="javascript:alert(1)">Zelle</td>',
    # foreign and dangerous elements
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body { display: none }</style>",
    '<p style="background:url(javascript:alert(1))">Absatz</p>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<form action="//evil.example/"><button formaction="javascript:alert(1)">x</button></form>',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "</textarea><script>alert(1)</script>",
    "<xmp><script>alert(1)</script></xmp>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # attribute breakouts
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<abbr title="x" "onmouseover=alert(1)">x</abbr>',
    '[Link](https://ok.example/"onmouseover="alert(1))',
    # Markdown link titles and reference links
    '[Link](https://ok.example "Titel\\" onmouseover=\\"alert(1)")',
    "[Link](https://ok.example 'Titel\" onclick=\"alert(1)')",
    "[Link][ref]\n\n[ref]: javascript:alert(1)",
    '[Link][ref]\n\n[ref]: https://ok.example "a" onclick="alert(1)"',
    "![Bild][bild]\n\n[bild]: javascript:alert(1)",
    # autolinks
    "<javascript:alert(1)>",
    '<https://ok.example/" onclick="alert(1)>',
    "<vbscript:msgbox(1)>",
    # comments, CDATA, nesting and Markdown inside HTML
    "<!-- --><script>alert(1)</script><!-- -->",
    "<!--<script>alert(1)</script>-->",
    "<!-- unterminated <script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<div markdown="1">[Link](javascript:alert(1))</div>',
    "<ul><li><a href=javascript:alert(1)>x</a></li></ul>",
    "<blockquote><p><em><strong><img src=x onerror=alert(1)></strong></em></p></blockquote>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "- <iframe src=//evil.example></iframe>\n- [x](vbscript:msgbox(1))",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
]
# fmt: on

# Elements that must never come from editor text.
FORBIDDEN_TAGS = {
    "applet", "base", "button", "embed", "form", "frame", "frameset", "iframe", "input",
    "link", "math", "meta", "noscript", "object", "script", "select", "style", "svg",
    "template", "textarea",
}  # fmt: skip
URL_ATTRIBUTES = {
    "action", "background", "data", "formaction", "href", "poster", "src", "srcset",
    "xlink:href",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")


class ActiveMarkupFinder(HTMLParser):
    """Collects every element or attribute of a page that could run script or leak."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.findings.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and value:
                # The parser has already decoded entities; browsers also ignore
                # whitespace and control characters inside the scheme.
                url = CONTROL_AND_SPACE.sub("", value).lower()
                if url.startswith(DANGEROUS_SCHEMES):
                    self.findings.append(f"<{tag} {name}={url[:20]}>")

    handle_startendtag = handle_starttag


def active_markup(html):
    finder = ActiveMarkupFinder()
    finder.feed(html)
    finder.close()
    return Counter(finder.findings)


@dataclass(frozen=True)
class MarkdownField:
    """One Markdown field as it appears on a public page."""

    model: type
    name: str
    place: str  # where the field is shown, for the test id

    def build(self, roadmap):
        """Create a published object that shows the field; return (object, page URL)."""
        return BUILDERS[(self.model, self.place)](roadmap)

    def __str__(self):
        return f"{self.model.__name__}.{self.name}@{self.place}"


def _phase_group(roadmap):
    return roadmap["first"], roadmap["first"].get_absolute_url()


def _sub_phase(roadmap):
    child = factories.phase(parent=roadmap["first"], number="")
    return child, roadmap["first"].get_absolute_url()


def _milestone(roadmap):
    return roadmap["milestone"], roadmap["first"].get_absolute_url()


def _criterion(roadmap):
    return roadmap["criterion"], roadmap["criterion"].get_absolute_url()


def _operator_model(roadmap):
    obj = factories.operator_model()
    return obj, obj.get_absolute_url()


def _example(roadmap):
    obj = factories.example(roadmap["first"])
    return obj, obj.get_absolute_url()


def _resource(roadmap):
    obj = factories.resource(description="Beschreibung.")
    return obj, "/ressourcen/"


def _glossary_term(roadmap):
    obj = factories.glossary_term()
    return obj, "/glossar/"


def _workstream(roadmap):
    return roadmap["technical"], "/einfuehrung/"


def _page(roadmap):
    obj = Page.objects.create(
        title="Impressum", slug="impressum", body="Text.", status=Status.PUBLISHED
    )
    return obj, obj.get_absolute_url()


BUILDERS = {
    (Phase, "phase"): _phase_group,
    (Phase, "sub-phase"): _sub_phase,
    (Milestone, "phase"): _milestone,
    (Criterion, "criterion"): _criterion,
    (OperatorModel, "operator-model"): _operator_model,
    (PracticeExample, "example"): _example,
    (Resource, "resources"): _resource,
    (GlossaryTerm, "glossary"): _glossary_term,
    (Page, "page"): _page,
    (Workstream, "introduction"): _workstream,
}

# Every Markdown field of every model, with each place it is rendered.
MARKDOWN_FIELDS = [
    MarkdownField(Phase, "description", "phase"),
    MarkdownField(Phase, "description", "sub-phase"),
    MarkdownField(Milestone, "description", "phase"),
    MarkdownField(Criterion, "body", "criterion"),
    MarkdownField(Criterion, "legal_status_note", "criterion"),
    MarkdownField(OperatorModel, "description", "operator-model"),
    MarkdownField(OperatorModel, "advantages", "operator-model"),
    MarkdownField(OperatorModel, "disadvantages", "operator-model"),
    MarkdownField(PracticeExample, "body", "example"),
    MarkdownField(PracticeExample, "lessons_learned", "example"),
    MarkdownField(Resource, "description", "resources"),
    MarkdownField(GlossaryTerm, "definition", "glossary"),
    MarkdownField(Page, "body", "page"),
    MarkdownField(Workstream, "description", "introduction"),
]

# Text fields that templates show as plain, auto-escaped text (never through |markdown).
PLAIN_TEXT_FIELDS = {
    ("phases", "stakeholder", "description"),
    ("phases", "scalingdriver", "description"),
    ("examples", "source", "supports"),
    # Text blocks of document templates: only ever written into DOCX/ODT as plain text runs.
    ("selfcheck", "vorlage", "body"),
    ("editorial", "pendingchange", "note"),  # escaped; tests/test_review.py
}

# Template variable → model, for reading `{{ variable.field|markdown }}` in templates.
TEMPLATE_VARIABLES = {
    "phase": Phase,
    "child": Phase,
    "milestone": Milestone,
    "criterion": Criterion,
    "operator_model": OperatorModel,
    "example": PracticeExample,
    "resource": Resource,
    "term": GlossaryTerm,
    "page": Page,
    "workstream": Workstream,
}
# ``{{ x.body|markdown }}`` or the stored HTML ``{{ x.body_html }}``: both name ``x.body``.
MARKDOWN_FILTER_USE = re.compile(r"\{\{\s*(\w+(?:\.\w+)+?)(?:\s*\|\s*markdown\b|_html\s*\}\})")
PROJECT_APPS = {
    "core", "editorial", "phases", "examples", "roadmap", "search", "workspace", "selfcheck",
    "opendata",
}  # fmt: skip


def _template_files():
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(apps.get_app_config(label).path) / "templates" for label in PROJECT_APPS]
    return [path for folder in folders if folder.is_dir() for path in folder.rglob("*.html")]


def _markdown_uses_in_templates():
    uses = set()
    for path in _template_files():
        for expression in MARKDOWN_FILTER_USE.findall(path.read_text(encoding="utf-8")):
            uses.add((path.name, expression))
    return uses


def test_finder_reports_scripts_handlers_and_dangerous_urls():
    found = active_markup(
        '<p onclick="x"><script>1</script><a href=" Java&#x09;Script:x">a</a>'
        '<img src="DATA:image/png,x"><a href="/ok/">ok</a></p>'
    )
    assert found == Counter(
        ["<p onclick>", "<script>", "<a href=javascript:x>", "<img src=data:image/png,x>"]
    )


def test_payload_corpus_covers_at_least_forty_vectors_without_duplicates():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_every_payload_runs_on_some_field_even_when_the_fast_loop_samples_them():
    tried = {n for index in range(len(MARKDOWN_FIELDS)) for n, _ in share(PAYLOADS, index)}
    assert tried == set(range(len(PAYLOADS)))


def test_every_markdown_filter_in_templates_is_covered_by_the_field_list():
    listed = {(field.model, field.name) for field in MARKDOWN_FIELDS}
    uses = _markdown_uses_in_templates()
    assert uses, "no template uses |markdown – the pattern is out of date"
    for template, expression in uses:
        variable, _, attribute = expression.rpartition(".")
        model = TEMPLATE_VARIABLES.get(variable.split(".")[-1])
        assert model is not None, f"{template}: add '{variable}' to TEMPLATE_VARIABLES"
        assert (model, attribute) in listed, f"{template}: add {expression} to MARKDOWN_FIELDS"


def test_every_text_field_is_either_markdown_or_declared_plain_text():
    listed = {(f.model._meta.app_label, f.model._meta.model_name, f.name) for f in MARKDOWN_FIELDS}
    text_fields = {
        (model._meta.app_label, model._meta.model_name, field.name)
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not isinstance(field, StoredMarkdownField)
    }
    assert text_fields - listed - PLAIN_TEXT_FIELDS == set()
    assert listed | PLAIN_TEXT_FIELDS <= text_fields  # nothing stale in the lists


def _hostile_text(number, payload):
    # The leading paragraph proves the page was rendered from this very value.
    return f"Vorspann{number}\n\n{payload}\n\nNachspann{number}"


@pytest.mark.parametrize("field", MARKDOWN_FIELDS, ids=str)
def test_no_payload_turns_into_active_markup_on_the_public_page(client, roadmap, field):
    obj, url = field.build(roadmap)
    setattr(obj, field.name, "Harmloser **Text** mit [Link](/glossar/).")
    obj.save()
    baseline = client.get(url)
    assert baseline.status_code == 200
    expected = active_markup(baseline.content.decode())

    for number, payload in share(PAYLOADS, MARKDOWN_FIELDS.index(field)):
        setattr(obj, field.name, _hostile_text(number, payload))
        obj.save()
        html = client.get(url).content.decode()
        assert f"Vorspann{number}" in html, f"{field} is not shown on {url}"
        assert active_markup(html) == expected, payload


def test_search_snippets_of_hostile_markdown_stay_plain_text(client, roadmap):
    criterion = roadmap["criterion"]
    criterion.body = "Suchwortzwiebel harmlos Suchwortzwiebel"
    criterion.save()
    expected = active_markup(client.get("/suche/", {"q": "Suchwortzwiebel"}).content.decode())
    for _, payload in share(PAYLOADS, 0):
        criterion.body = f"Suchwortzwiebel {payload} Suchwortzwiebel"
        criterion.save()
        html = client.get("/suche/", {"q": "Suchwortzwiebel"}).content.decode()
        assert criterion.get_absolute_url() in html
        assert active_markup(html) == expected, payload


ADMIN_FORM_PAYLOADS = [*PAYLOADS[::10], "</textarea><script>alert(1)</script>"]


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser("xss", "xss@example.org", "unused")
    client.force_login(editor)
    return client


def test_admin_markdown_preview_never_returns_active_markup(editor_client):
    url = reverse("admin:markdown_preview")
    for payload in PAYLOADS:
        response = editor_client.post(url, {"text": f"Vorspann\n\n{payload}"})
        assert response.status_code == 200
        html = response.json()["html"]
        assert "Vorspann" in html
        assert active_markup(html) == Counter(), payload


def test_admin_change_form_shows_saved_markdown_sanitized(editor_client, roadmap):
    criterion = roadmap["criterion"]
    url = reverse("admin:phases_criterion_change", args=[criterion.pk])
    expected = active_markup(editor_client.get(url).content.decode())
    # The form repeats the same pipeline as the preview; a sample keeps this test quick.
    for number, payload in enumerate(ADMIN_FORM_PAYLOADS):
        Criterion.objects.filter(pk=criterion.pk).update(body=_hostile_text(number, payload))
        html = editor_client.get(url).content.decode()
        assert f"Vorspann{number}" in html
        assert active_markup(html) == expected, payload


@pytest.mark.parametrize("field", ["title", "summary"], ids=lambda name: f"Criterion.{name}")
def test_plain_text_fields_are_escaped_on_the_public_page(client, roadmap, field):
    criterion = roadmap["criterion"]
    url = criterion.get_absolute_url()
    expected = active_markup(client.get(url).content.decode())
    setattr(criterion, field, '"><script>alert(1)</script><img src=x onerror=alert(1)>')
    criterion.save()
    html = client.get(url).content.decode()
    assert "&lt;script&gt;" in html
    assert active_markup(html) == expected


LINK_FIELDS = [(Criterion, "source_url"), (PracticeExample, "source_url"), (Resource, "url")]


@pytest.mark.parametrize(
    "model, name", LINK_FIELDS, ids=lambda value: getattr(value, "__name__", value)
)
@pytest.mark.parametrize("url", ["javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,x"])
def test_link_fields_reject_script_and_data_urls(model, name, url):
    field = model._meta.get_field(name)
    with pytest.raises(ValidationError):
        field.clean(url, None)
    assert field.clean("https://www.bbsr.bund.de/", None)
