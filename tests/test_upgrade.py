"""A database made by the code before the restructuring (commit OLD_LAYOUT, where everything
lived in roadmap/) migrates to today's layout with nothing lost: content, an editor's change
with its history, and a visitor's Fahrplan with its note."""

import json
import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

ROOT = Path(settings.BASE_DIR)
OLD_LAYOUT = "81662b1"

PREPARE = """
import reversion
from phases.models import Criterion
from selfcheck.models import Fahrplan, FahrplanEntry
from roadmap.models import GlossaryTerm
criterion = Criterion.objects.get(slug="vergaberecht")
with reversion.create_revision():
    criterion.summary = "Geändert von der Redaktion vor dem Umbau."
    criterion.save()
plan, token = Fahrplan.create_with_token()
FahrplanEntry.objects.create(fahrplan=plan, criterion=criterion, note="Notiz eines Besuchers")
merged = Criterion.objects.get(slug="nutzertests")
FahrplanEntry.objects.create(fahrplan=plan, criterion=merged, done=True, note="Zwei Testrunden")
print(GlossaryTerm.objects.count())
"""

REPORT = """
import json
from reversion.models import Version
from phases.models import Criterion, CriterionRedirect
from selfcheck.models import FahrplanEntry
from information.models import GlossaryTerm
from examples.models import PracticeExample
criterion = Criterion.objects.get(slug="vergaberecht")
print(json.dumps({
    "scenarios": PracticeExample.objects.filter(
        evidence="illustrative", status="published"
    ).count(),
    "examples": PracticeExample.objects.count(),
    "summary": criterion.summary,
    "versions": Version.objects.get_for_object(criterion).count(),
    "note": FahrplanEntry.objects.get(criterion=criterion).note,
    "glossary": GlossaryTerm.objects.count(),
    "merged_entry": list(
        FahrplanEntry.objects.filter(note="Zwei Testrunden").values_list("criterion__slug", "done")
    ),
    "redirects": sorted(CriterionRedirect.objects.values_list("old_slug", "criterion__slug")),
}))
"""


def manage(folder, database, *args, stdin=None):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env["DATABASE_URL"] = f"sqlite:///{database}"
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=folder,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture
def old_tree(tmp_path):
    archive = subprocess.run(
        ["git", "archive", "--format=tar", OLD_LAYOUT],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    folder = tmp_path / "old"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "node_modules").symlink_to(ROOT / "node_modules")
    return folder


def test_a_database_of_the_old_layout_migrates_with_nothing_lost(old_tree, tmp_path):
    database = tmp_path / "db.sqlite3"
    manage(old_tree, database, "migrate", "--noinput", "-v0")
    manage(old_tree, database, "load_content")
    glossary_before = int(manage(old_tree, database, "shell", stdin=PREPARE).split()[-1])
    examples_before = 19

    manage(ROOT, database, "migrate", "--noinput", "-v0")
    after = json.loads(manage(ROOT, database, "shell", stdin=REPORT).splitlines()[-1])

    assert after["summary"] == "Geändert von der Redaktion vor dem Umbau."
    assert after["versions"] >= 1
    assert after["note"] == "Notiz eines Besuchers"
    assert after["glossary"] == glossary_before > 0
    # Scenarios the shipped content dropped become drafts; no example row is deleted.
    assert after["examples"] == examples_before
    assert after["scenarios"] <= 8
    # Merged criteria: the visitor's entry moves to the kept criterion, old addresses redirect.
    assert after["merged_entry"] == [["nutzerzentrierung", True]]
    assert after["redirects"] == [
        ["beteiligung-pilot", "nutzerzentrierung"],
        ["finanzcontrolling", "betriebskosten"],
        ["nutzertests", "nutzerzentrierung"],
    ]
