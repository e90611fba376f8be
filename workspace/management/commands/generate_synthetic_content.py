"""ONLY FOR THE BENCHMARK (make bench): multiplies the published content with placeholder text.

``--factor 10`` leaves ten times as many sub-phases, milestones, criteria (with their
workstreams, stakeholders, operator models, milestones and sub-phases), practice examples,
resources, glossary terms and cross-references as the real content has: every real item gets
``factor - 1`` copies that sit in the same place of the roadmap (same phase, same
workstreams), so each page grows the way it would with a larger editorial team. Text is
plausible German placeholder prose, generated deterministically.

Every synthetic row has a slug starting with ``synth-``; ``--remove`` deletes them again. The
command refuses to run unless ROADMAP_BENCHMARK=1 is set, so it never lands in a real database
by accident. Rows are written with bulk_create (no signals), so their Markdown is rendered
before, and the page cache is invalidated and the missing search vectors are filled once at
the end.
"""

import os
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import lookups
from core.cache import bump_generation
from core.publishing import Status
from core.stored_markdown import render_stored_markdown
from examples.models import PracticeExample, Resource
from information.models import GlossaryTerm
from phases.models import Criterion, CriterionWorkstream, CrossReference, Milestone, Phase
from search.index import fill_missing_search_vectors

PREFIX = "synth-"

TOPICS = (
    "Parkraumsensorik",
    "Stadt-App",
    "Open-Data-Portal",
    "digitaler Zwilling",
    "LoRaWAN-Netz",
    "Umweltmessnetz",
    "Beteiligungsplattform",
    "Mobilitätsplattform",
    "Bewässerungssteuerung",
    "Energiemonitoring",
    "Hochwasserfrühwarnung",
    "Terminbuchung im Bürgerbüro",
)
ACTIONS = (
    "Zuständigkeiten festlegen",
    "Betriebskosten beziffern",
    "Datenflüsse dokumentieren",
    "Schnittstellen offenlegen",
    "Rückhalt im Rat sichern",
    "Nutzendenbefragung auswerten",
    "Vergabe vorbereiten",
    "Wartung vertraglich regeln",
    "Übergabe an den Regelbetrieb planen",
    "Wirkung messen",
)
PLACES = (
    "eine Kleinstadt in Nordhessen",
    "ein Landkreis an der Ostsee",
    "eine Mittelstadt im Münsterland",
    "eine Großstadt am Rhein",
    "ein Zweckverband in der Lausitz",
    "eine Verbandsgemeinde in der Eifel",
)
SENTENCES = (
    "Für die {topic} lohnt es sich, früh {action_lower}, bevor Entscheidungen getroffen werden.",
    "Erfahrungen aus vergleichbaren Vorhaben zeigen, dass ein klarer Zeitplan Konflikte "
    "zwischen Fachamt und IT deutlich verringert.",
    "Halten Sie fest, wer nach dem Ende der Förderung für die {topic} verantwortlich ist.",
    "Ein kurzer Bericht an die Verwaltungsspitze schafft Verbindlichkeit und macht "
    "Fortschritte sichtbar.",
    "Prüfen Sie, ob Nachbarkommunen ähnliche Anforderungen haben und Kosten teilen möchten.",
    "Planen Sie für diesen Schritt etwa drei bis sechs Wochen und eine feste Ansprechperson ein.",
    "Offene Standards erleichtern es, die {topic} später zu erweitern oder weiterzugeben.",
    "Beziehen Sie die Menschen, die die Lösung täglich nutzen, schon in dieser Phase ein.",
    "Dokumentieren Sie Annahmen und Messwerte, damit sich die Wirkung später belegen lässt.",
    "Ohne eine gesicherte Finanzierung des Betriebs bleibt jede Pilotlösung ein Provisorium.",
)
HEADINGS = (
    "Worum geht es?",
    "Warum entscheidet es?",
    "Wie gehen Sie vor?",
    "Typische Stolpersteine",
)


class Text:
    """Deterministic German placeholder prose."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def topic(self):
        return self.rng.choice(TOPICS)

    def sentences(self, count, topic=None):
        topic = topic or self.topic()
        action = self.rng.choice(ACTIONS)
        picked = self.rng.sample(SENTENCES, count)
        return " ".join(s.format(topic=topic, action_lower=action.lower()) for s in picked)

    def title(self, n):
        return f"{self.rng.choice(ACTIONS)}: {self.topic()} (Szenario {n})"

    def body(self):
        topic = self.topic()
        return "\n\n".join(f"## {h}\n\n{self.sentences(3, topic)}" for h in HEADINGS)


class Generator:
    def __init__(self, factor):
        self.factor = factor
        self.text = Text(seed=factor)
        self.n = 0
        # (model, base pk, copy number) -> copy
        self.copies = {}

    def _next(self):
        self.n += 1
        return self.n

    def _slug(self, k, base):
        return f"{PREFIX}{k}-{base.slug}"[:120]

    def _copy(self, k, base):
        return self.copies.get((type(base), base.pk, k), base)

    def _bulk(self, model, pairs):
        """pairs: [(k, base, unsaved copy)]; saves the copies and remembers them."""
        for _k, _base, copy in pairs:
            render_stored_markdown(copy)  # bulk_create skips save()
        created = model.objects.bulk_create([copy for _k, _base, copy in pairs])
        for (k, base, _copy), saved in zip(pairs, created, strict=True):
            self.copies[(model, base.pk, k)] = saved
        return created

    def _copy_each(self, queryset, make):
        """Saves ``make(k, base)`` for every copy number k and every base in the queryset, in
        one bulk insert; returns the (k, base, saved copy) triples."""
        pairs = [(k, base, make(k, base)) for k, base in self._each(queryset)]
        self._bulk(queryset.model, pairs)
        return pairs

    def _each(self, queryset):
        bases = list(queryset)
        return [(k, base) for k in range(1, self.factor) for base in bases]

    def run(self):
        counts = {}
        counts["Teilphasen"] = self.sub_phases()
        counts["Meilensteine"] = self.milestones()
        counts["Kriterien"] = self.criteria()
        counts["Praxisbeispiele"] = self.examples()
        counts["Ressourcen"] = self.resources()
        counts["Glossarbegriffe"] = self.glossary()
        counts["Querverweise"] = self.cross_references()
        return counts

    def sub_phases(self):
        pairs = self._copy_each(
            Phase.objects.published().filter(parent__isnull=False),
            lambda k, base: Phase(
                parent_id=base.parent_id,
                name=f"{base.name} – Vertiefung {k}",
                slug=self._slug(k, base),
                order=base.order + 100 * k,
                teaser=self.text.sentences(1),
                description=self.text.sentences(4),
                status=Status.PUBLISHED,
                # Tree fields are rebuilt below.
                lft=0,
                rght=0,
                tree_id=0,
                level=0,
            ),
        )
        Phase.objects.rebuild()
        return len(pairs)

    def milestones(self):
        pairs = self._copy_each(
            Milestone.objects.published(),
            lambda k, base: Milestone(
                phase_id=base.phase_id,
                order=base.order + 100 * k,
                title=self.text.title(self._next()),
                slug=self._slug(k, base),
                kind=base.kind,
                description=self.text.sentences(5),
                question=f"Ist „{self.text.topic()}“ im Szenario {k} abgeschlossen?",
                status=Status.PUBLISHED,
            ),
        )
        return len(pairs)

    def criteria(self):
        bases = Criterion.objects.published().prefetch_related(
            "workstreams", "stakeholders", "operator_models", "milestones", "sub_phases"
        )
        pairs = self._copy_each(
            bases,
            lambda k, base: Criterion(
                phase_id=base.phase_id,
                scaling_driver_id=base.scaling_driver_id,
                title=self.text.title(self._next()),
                slug=self._slug(k, base),
                summary=self.text.sentences(2)[:400],
                body=self.text.body(),
                transfer_relevant=base.transfer_relevant,
                status=Status.PUBLISHED,
            ),
        )
        links = {"workstreams": [], "stakeholders": [], "operator_models": [], "milestones": []}
        links["sub_phases"] = []
        for k, base, _ in pairs:
            copy = self._copy(k, base)
            links["workstreams"] += [
                CriterionWorkstream(criterion=copy, workstream=w) for w in base.workstreams.all()
            ]
            for name in ("stakeholders", "operator_models", "milestones", "sub_phases"):
                through = getattr(Criterion, name).through
                target = getattr(Criterion, name).field.m2m_reverse_field_name()
                links[name] += [
                    through(criterion_id=copy.pk, **{f"{target}_id": self._copy(k, obj).pk})
                    for obj in getattr(base, name).all()
                ]
        CriterionWorkstream.objects.bulk_create(links.pop("workstreams"))
        for name, rows in links.items():
            getattr(Criterion, name).through.objects.bulk_create(rows)
        return len(pairs)

    def _link_criteria(self, model, pairs):
        through = model.criteria.through
        owner = model.criteria.field.m2m_field_name()
        through.objects.bulk_create(
            through(**{f"{owner}_id": self._copy(k, base).pk}, criterion_id=self._copy(k, c).pk)
            for k, base, _ in pairs
            for c in base.criteria.all()
        )

    def examples(self):
        bases = PracticeExample.objects.published().prefetch_related("criteria")
        pairs = self._copy_each(
            bases,
            lambda k, base: PracticeExample(
                title=self.text.title(self._next()),
                slug=self._slug(k, base),
                municipality=self.text.rng.choice(PLACES),
                state=base.state,
                size_class=base.size_class,
                solution_type=base.solution_type,
                phase_reached_id=base.phase_reached_id,
                summary=self.text.sentences(2)[:400],
                body=self.text.body(),
                lessons_learned=self.text.sentences(3),
                evidence=PracticeExample.Evidence.ILLUSTRATIVE,
                status=Status.PUBLISHED,
            ),
        )
        self._link_criteria(PracticeExample, pairs)
        return len(pairs)

    def resources(self):
        bases = Resource.objects.published().prefetch_related("criteria")
        pairs = self._copy_each(
            bases,
            lambda k, base: Resource(
                title=f"Arbeitshilfe {self._next()}: {self.text.topic()}",
                slug=self._slug(k, base),
                publisher="Platzhalter-Verlag für Benchmarks",
                year=base.year,
                kind=base.kind,
                description=self.text.sentences(3),
                status=Status.PUBLISHED,
            ),
        )
        self._link_criteria(Resource, pairs)
        return len(pairs)

    def glossary(self):
        pairs = self._copy_each(
            GlossaryTerm.objects.published(),
            lambda k, base: GlossaryTerm(
                term=f"{base.term} (Szenario {k})",
                slug=self._slug(k, base),
                definition=self.text.sentences(3),
                status=Status.PUBLISHED,
            ),
        )
        return len(pairs)

    def cross_references(self):
        bases = CrossReference.objects.visible()
        rows = []
        for k, base in self._each(bases):
            targets = {
                name: self._copy(k, getattr(base, name))
                for name in CrossReference.TARGET_FIELDS
                if getattr(base, name) is not None
            }
            rows.append(
                CrossReference(
                    source=self._copy(k, base.source),
                    kind=base.kind,
                    note=self.text.sentences(1)[:300],
                    **targets,
                )
            )
        CrossReference.objects.bulk_create(rows)
        return len(rows)


def remove_synthetic():
    """Delete every synthetic row; returns how many top-level rows went."""
    removed = CrossReference.objects.filter(source__slug__startswith=PREFIX).delete()[0]
    for model in (PracticeExample, Resource, Criterion, Milestone, GlossaryTerm, Phase):
        removed += model.objects.filter(slug__startswith=PREFIX).delete()[0]
    Phase.objects.rebuild()
    return removed


class Command(BaseCommand):
    help = (
        "NUR FÜR DEN BENCHMARK: vervielfacht die veröffentlichten Inhalte mit Platzhaltertext "
        "(Kurznamen beginnen mit „synth-“). Läuft nur mit ROADMAP_BENCHMARK=1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--factor", type=int, default=10, help="so viel Inhalt insgesamt (Standard 10)"
        )
        parser.add_argument(
            "--remove", action="store_true", help="nur die Platzhalterinhalte entfernen"
        )

    def handle(self, *args, factor, remove, **options):
        if os.environ.get("ROADMAP_BENCHMARK") != "1":
            raise CommandError(
                "Dieser Befehl füllt die Datenbank mit Platzhaltertext für den Benchmark. "
                "Er läuft nur mit ROADMAP_BENCHMARK=1 und nur auf einer Wegwerf-Datenbank."
            )
        if not 1 <= factor <= 50:
            raise CommandError("--factor muss zwischen 1 und 50 liegen.")
        with transaction.atomic():
            removed = remove_synthetic()
            counts = {} if remove else Generator(factor).run()
            fill_missing_search_vectors()  # bulk_create sends no post_save
            lookups.bump()  # … so the lookup tables of every process are rebuilt
        bump_generation()
        self.stdout.write(f"{removed} Platzhaltereinträge entfernt.")
        if counts:
            summary = ", ".join(f"{n} {label}" for label, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Angelegt (Faktor {factor}): {summary}."))
