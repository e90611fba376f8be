"""Fuzzing: thousands of generated addresses and query strings never cause a server error.

The routes come from the URL resolver, so every new page is fuzzed without touching this
file. Parameter names come from the forms and links the pages themselves render, plus a few
common ones. Values are generated with a fixed seed: random and real slugs, Unicode, very long
strings, broken percent-encoding, NUL bytes, path traversal, huge and negative numbers and
repeated parameters. GET and HEAD, anonymous and as an editor in the admin.
"""

import random
import re
import string
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib.admin import ModelAdmin, site
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from editorial.admin_compat import SafeInitialDataMixin
from phases.models import Criterion, Milestone
from tests import factories
from tests.sampling import scaled

SEED = 20240611
PUBLIC_URLS = 1500
ADMIN_URLS = 500
HEAD_EVERY = 5  # every fifth generated address is also requested with HEAD
GERMAN_404 = "Seite nicht gefunden"

# Parameter names the pages' own forms and links do not reveal but code commonly reads.
COMMON_PARAMS = ["page", "p", "q", "o", "e", "sort", "order", "format", "all", "next", "lang"]

PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # e.g. "/phasen/{slug:slug}/": placeholders as {name:converter}

    @property
    def is_admin(self):
        return self.name.startswith("admin:")


def _route_template(pattern):
    """A route's pattern as "text/{name:converter}/" (regex groups become {name:regex})."""
    if isinstance(pattern, RoutePattern):
        return PLACEHOLDER.sub(lambda m: f"{{{m['name']}:{m['converter'] or 'str'}}}", str(pattern))
    assert isinstance(pattern, RegexPattern), pattern
    text = REGEX_GROUP.sub(lambda m: f"{{{m['name']}:regex}}", str(pattern))
    return text.lstrip("^").rstrip("$").replace(r"\Z", "").replace("\\", "")


def discover_routes():
    routes = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            template = prefix + _route_template(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, template, [*namespace, entry.namespace or ""])
            elif isinstance(entry, URLPattern):
                name = ":".join([part for part in namespace if part] + [entry.name or "?"])
                routes.append(Route(name, "/" + template))

    walk(get_resolver().url_patterns, "", [])
    return routes


ROUTES = discover_routes()


class ParameterNames(HTMLParser):
    """Names of form fields and of query parameters in links on a page."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea", "button"} and attrs.get("name"):
            self.names.add(attrs["name"])
        if tag == "a" and "?" in (attrs.get("href") or ""):
            self.names.update(key for key, _ in parse_qsl(urlsplit(attrs["href"]).query))


def page_parameters(client, routes):
    """{route template: parameter names its page offers} for routes without placeholders."""
    found = {}
    for route in routes:
        if "{" in route.template:
            continue
        response = client.get(route.template)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            finder = ParameterNames()
            finder.feed(response.content.decode())
            found[route.template] = sorted(finder.names - {"csrfmiddlewaretoken"})
    return found


class Generator:
    """Deterministic generator of hostile and harmless URL pieces."""

    def __init__(self, seed, real_slugs, real_ids, page_names):
        self.random = random.Random(seed)
        self.real_slugs = sorted(real_slugs)
        self.real_ids = sorted(real_ids)
        self.page_names = page_names
        every_name = {name for names in page_names.values() for name in names}
        self.param_names = sorted(every_name | set(COMMON_PARAMS))

    def choice(self, options):
        return self.random.choice(options)

    def text(self, alphabet=string.ascii_lowercase + string.digits + "-_", low=1, high=20):
        return "".join(self.random.choices(alphabet, k=self.random.randint(low, high)))

    def value(self):
        """One raw (not yet encoded) value; some are already percent-encoded on purpose."""
        kind = self.random.randrange(20)
        return [
            lambda: self.text(),
            lambda: self.choice(self.real_slugs),
            lambda: self.choice(self.real_slugs).upper(),
            lambda: str(self.random.randint(-(10**6), 10**6)),
            lambda: str(10 ** self.random.randint(9, 40)),
            lambda: "-" + str(10 ** self.random.randint(1, 30)),
            lambda: self.choice(["0", "-0", "1e309", "NaN", "inf", "0x1f", "1.5", "", " "]),
            lambda: self.text("äöüßÄÖÜ€😀ʕ•ᴥ•ʔ\u202e\u200b\u0301中文", 1, 12),
            lambda: self.text(string.printable, 1, 30),
            lambda: "x" * self.random.choice([200, 1000, 4000]),
            lambda: "\x00" + self.text() + "\x00",
            lambda: self.choice(["%00", "%ff%fe", "%c0%af", "%e2%80%ae", "%zz", "%", "%2", "%%"]),
            lambda: self.choice(["../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "..\\..\\"]),
            lambda: self.choice(["%2e%2e/%2e%2e/", "/./", "//evil.example", "\\\\evil.example"]),
            lambda: "<script>alert(1)</script>",
            lambda: "' OR 1=1 --",
            lambda: self.choice(["{{7*7}}", "${7*7}", "{% debug %}", "__proto__", "[]", "{}"]),
            lambda: self.choice(self.real_ids),
            lambda: self.text(string.ascii_letters + "%&=+#?;/", 1, 25),
            lambda: quote(self.text(string.printable + "äöü€", 1, 20), safe=""),
        ][kind]()

    def fill(self, template):
        def replace(match):
            converter = match["converter"]
            if self.random.random() < 0.35:
                return quote(self.choice(self.real_slugs if converter != "path" else self.real_ids))
            value = self.value()
            return value if "%" in value else quote(value, safe="/" if converter == "path" else "")

        path = re.sub(r"\{(?P<name>\w+):(?P<converter>\w+)\}", replace, template)
        roll = self.random.random()
        if roll < 0.08:
            path = path.rstrip("/")  # APPEND_SLASH redirect
        elif roll < 0.14:
            path += quote(self.value(), safe="%") + "/"
        elif roll < 0.18:
            path = path.replace("/", "//", 2).replace("//", "/", 1)
        return path or "/"

    def query(self, own_names=()):
        """A query string; names mostly from the page's own forms and links, if it has any."""
        roll = self.random.random()
        if roll < 0.15:
            return ""
        if roll < 0.22:
            return self.choice(["&&&", "=", "a=%zz&&=&b", ";;", "%00=%00", "?", "#frag", "a[]=1"])
        pairs = []
        for _ in range(self.random.randint(1, 6)):
            use_own = own_names and self.random.random() < 0.6
            name = self.choice(own_names if use_own else self.param_names)
            repeat = self.random.choice([1, 1, 1, 2, 3, 40])
            for _ in range(repeat):
                value = self.value()
                pairs.append(f"{quote(name)}={value if '%' in value else quote(value, safe='')}")
        return "&".join(pairs)

    def url(self, route):
        query = self.query(self.page_names.get(route.template, ()))
        return self.fill(route.template) + (f"?{query}" if query else "")


def generate_urls(generator, routes, count):
    """``count`` addresses, nine in ten spread evenly over the views (routes sharing a view
    name, such as the API's list and detail endpoints, share its part), the rest free-form."""
    by_name = {}
    for route in routes:
        by_name.setdefault(route.name, []).append(route)
    groups = list(by_name.values())
    urls = []
    for number in range(count * 9 // 10):
        group = groups[number % len(groups)]
        urls.append(generator.url(group[number // len(groups) % len(group)]))
    while len(urls) < count:
        urls.append("/" + quote(generator.value(), safe="/%") + "/?" + generator.query())
    return urls


def _real_content(roadmap):
    """Published and draft content, so real slugs hit both found and hidden objects."""
    draft = factories.criterion(roadmap["second"], [roadmap["technical"]], status="draft")
    objects = [
        *roadmap.values(),
        draft,
        factories.phase(parent=roadmap["first"], number=""),
        factories.operator_model(),
        factories.example(roadmap["first"]),
        factories.resource(),
        factories.glossary_term(),
        factories.stakeholder(),
        factories.scaling_driver(),
    ]
    slugs = {obj.slug for obj in objects} | {"impressum", "datenschutz"}
    return slugs, {str(obj.pk) for obj in objects}


def _failures(client, urls, *, german_404=True):
    failures = []
    for number, url in enumerate(urls):
        methods = [client.get] + ([client.head] if number % HEAD_EVERY == 0 else [])
        for method in methods:
            response = method(url)
            problem = None
            if response.status_code >= 500:
                problem = f"{response.status_code} {getattr(response, 'exc_info', '')}"
            elif (
                german_404
                and response.status_code == 404
                and method == client.get
                and "html" in response.get("Content-Type", "")
                and GERMAN_404 not in response.content.decode(errors="replace")
            ):
                problem = "404 without the German error page"
            if problem:
                failures.append(f"{method.__name__.upper()} {url[:200]!r}: {problem}")
    return failures


PUBLIC_ROUTES = [route for route in ROUTES if not route.is_admin]
ADMIN_ROUTES = [route for route in ROUTES if route.is_admin]


@pytest.fixture
def content(roadmap):
    return _real_content(roadmap)


@pytest.fixture
def public_generator(content):
    slugs, ids = content
    return Generator(SEED, slugs, ids, page_parameters(Client(), PUBLIC_ROUTES))


def test_routes_are_discovered_from_the_resolver():
    names = {route.name for route in ROUTES}
    assert {"home", "search", "phases:criterion-list", "examples:example-detail"} <= names
    assert "admin:phases_phase_changelist" in names
    detail = next(route for route in ROUTES if route.name == "phases:criterion-detail")
    assert detail.template == "/kriterien/{slug:slug}/"


def test_generator_is_deterministic_and_reaches_every_route(content, public_generator):
    slugs, ids = content
    # Parameter names are read from the pages' own forms and links.
    assert {"phase", "arbeitsstrang"} <= set(public_generator.page_names["/kriterien/"])
    assert "q" in public_generator.page_names["/suche/"]
    first = generate_urls(public_generator, PUBLIC_ROUTES, PUBLIC_URLS)
    again = Generator(SEED, slugs, ids, public_generator.page_names)
    assert generate_urls(again, PUBLIC_ROUTES, PUBLIC_URLS) == first
    assert len(set(first)) > 0.9 * len(first)
    for route in PUBLIC_ROUTES:
        prefix = route.template.split("{")[0].rstrip("/")
        assert any(url.startswith(prefix) for url in first), route.name
    joined = "\n".join(first)
    for sample in ("%00", "..", "%ff", "x" * 1000, "0" * 30, "-1", "%C3%A4"):
        assert sample in joined, sample


def test_fuzzed_public_urls_never_cause_a_server_error(public_generator):
    urls = generate_urls(public_generator, PUBLIC_ROUTES, scaled(PUBLIC_URLS))
    client = Client(raise_request_exception=False)
    failures = _failures(client, urls)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])


def test_fuzzed_admin_urls_never_cause_a_server_error_for_editors(content):
    slugs, ids = content
    editor = get_user_model().objects.create_superuser("fuzz", "fuzz@example.org", "unused")
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    # The add forms' field names (e.g. ?phase=…) prefill fields: a classic source of errors.
    generator = Generator(SEED + 1, slugs, ids, page_parameters(client, ADMIN_ROUTES))
    assert "phase" in generator.page_names["/admin/phases/milestone/add/"]
    urls = generate_urls(generator, ADMIN_ROUTES, scaled(ADMIN_URLS))
    failures = _failures(client, urls)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])


def test_history_of_an_id_with_a_nul_byte_redirects_instead_of_failing(admin_client):
    # Found by the fuzzer on PostgreSQL: reversion looked the raw id up in a text column.
    response = admin_client.get("/admin/phases/stakeholder/%00abc%00/history/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/phases/milestone/add/?phase=abc",
        "/admin/phases/scalingdriver/add/?parent=__proto__",
        "/admin/phases/criterion/add/?milestones=1,x&phase=%00",
        "/admin/phases/crossreference/add/?target_criterion=zz",
        "/admin/examples/practiceexample/add/?phase_reached=-99999999999999999999",
    ],
)
def test_add_forms_ignore_prefill_values_that_cannot_be_related_entries(admin_client, url):
    # Found by the fuzzer: the autocomplete widget looked such values up and crashed.
    response = admin_client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not set(form.initial) & {
        "phase",
        "parent",
        "milestones",
        "target_criterion",
        "phase_reached",
    }


def test_safe_initial_data_mixin_keeps_only_values_that_can_be_keys(rf, roadmap):
    class MilestoneAdmin(SafeInitialDataMixin, ModelAdmin):
        pass

    class CriterionAdmin(SafeInitialDataMixin, ModelAdmin):
        pass

    milestone_admin = MilestoneAdmin(Milestone, site)
    request = rf.get("/", {"phase": "abc", "title": "Frei wählbar", "order": "x"})
    assert milestone_admin.get_changeform_initial_data(request) == {
        "title": "Frei wählbar",
        "order": "x",  # plain fields are only shown, never looked up
    }
    pk = str(roadmap["first"].pk)
    assert milestone_admin.get_changeform_initial_data(rf.get("/", {"phase": pk})) == {"phase": pk}
    criterion_admin = CriterionAdmin(Criterion, site)
    request = rf.get("/", {"milestones": "1,2", "stakeholders": "1,x", "phase": str(10**30)})
    assert criterion_admin.get_changeform_initial_data(request) == {"milestones": ["1", "2"]}
