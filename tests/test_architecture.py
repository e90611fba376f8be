"""The house rules of the code base, checked on the source: imports point down the layers,
no two apps import each other, migrations import no application code, modules stay small."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lower layers never import higher ones; apps of one layer never import each other.
LAYERS = {
    "core": 0,  # library: publication state, Markdown, pagination, facets, cache, outage, IP
    "editorial": 1,  # editors' tools the content admins build on
    "phases": 2,  # content
    "examples": 3,  # content that builds on the roadmap's phases and criteria
    "information": 4,  # start page, glossary, information pages, sitemap
    "search": 5,
    "workspace": 6,  # content check and content commands (they refresh search vectors)
    "selfcheck": 5,
    "opendata": 6,
    "roadmap": 9,  # the project package: settings, URLs, WSGI
}
MAX_MODULE_LINES = 400


def project_modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def imported_apps(path):
    """The project apps a module imports (absolute imports; relative ones stay in the app)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield top, node.lineno


def test_every_app_is_assigned_to_a_layer():
    local_apps = {name.split(".")[0] for name in settings.INSTALLED_APPS} & {
        path.name for path in ROOT.iterdir() if (path / "apps.py").exists()
    }
    assert local_apps <= set(LAYERS)


def test_imports_only_point_down_the_layers():
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for app, path in project_modules()
        if "migrations" not in path.parts
        for target, line in imported_apps(path)
        if target != app and LAYERS[target] >= LAYERS[app]
    ]
    assert violations == []


def test_no_two_apps_import_each_other():
    edges = {
        (app, target)
        for app, path in project_modules()
        if "migrations" not in path.parts
        for target, _ in imported_apps(path)
        if target != app
    }
    assert {(a, b) for a, b in edges if (b, a) in edges} == set()


def test_migrations_import_no_application_code():
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for _, path in project_modules()
        if "migrations" in path.parts
        for target, line in imported_apps(path)
    ]
    assert violations == []


def test_the_core_library_imports_no_app():
    assert [
        (str(path.relative_to(ROOT)), target)
        for app, path in project_modules()
        if app == "core"
        for target, _ in imported_apps(path)
        if target != "core"
    ] == []


def test_the_import_check_catches_an_upward_import(tmp_path):
    module = tmp_path / "upward.py"
    module.write_text("from selfcheck.models import Fahrplan\nfrom . import sibling\n")
    assert list(imported_apps(module)) == [("selfcheck", 1)]


def test_no_module_outside_migrations_and_tests_has_more_than_400_lines():
    modules = [path for _, path in project_modules() if "migrations" not in path.parts]
    modules += sorted((ROOT / "scripts").glob("*.py")) + sorted((ROOT / "deploy").glob("*.py"))
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


# Template folders belong to the app whose views render them ("roadmap" is information's label).
TEMPLATE_DIRS = {"phases": "phases", "examples": "examples", "roadmap": "information",
                 "selfcheck": "selfcheck", "opendata": "opendata"}  # fmt: skip
LOAD_TAG = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")


def tag_library_apps():
    """Tag library name → the project app that defines it (third-party libraries left out)."""
    from django.template.backends.django import get_installed_libraries

    return {
        name: module.split(".")[0]
        for name, module in get_installed_libraries().items()
        if module.split(".")[0] in LAYERS
    }


def upward_template_loads(templates_root):
    libraries = tag_library_apps()
    for folder, app in TEMPLATE_DIRS.items():
        for path in sorted((templates_root / folder).rglob("*.html")):
            for match in LOAD_TAG.finditer(path.read_text()):
                for library in match.group(1).split():
                    owner = libraries.get(library)
                    if owner and owner != app and LAYERS[owner] >= LAYERS[app]:
                        yield f"{path.relative_to(templates_root)} loads {library} of {owner}"


def test_templates_load_tag_libraries_only_from_their_app_or_below():
    assert list(upward_template_loads(ROOT / "templates")) == []


def test_the_template_check_catches_a_tag_library_from_above(tmp_path):
    (tmp_path / "phases").mkdir()
    (tmp_path / "phases" / "page.html").write_text("{% load static fahrplan_tools %}")
    assert list(upward_template_loads(tmp_path)) == [
        "phases/page.html loads fahrplan_tools of selfcheck"
    ]
