"""Parsing a search query: normalising, stop words and the SQLite fallback's stems."""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
OVERVIEW_HITS_PER_TYPE = 5
HITS_PER_PAGE = 20
TYPE_PARAM = "typ"
SEARCH_CONFIG = "german"

# Points per query word for the field it matched in (SQLite fallback ranking).
WEIGHT_POINTS = {"A": 4, "B": 2, "C": 1}

# Endings stripped by the SQLite fallback, longest first; the stem keeps at least
# MIN_STEM_LENGTH characters so short words are not cut down to nothing.
GERMAN_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")
MIN_STEM_LENGTH = 4

# Words too common to search for in the fallback (PostgreSQL drops them itself).
# fmt: off
STOP_WORDS = frozenset([
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "das", "dass", "dem",
    "den", "der", "des", "die", "dies", "diese", "durch", "ein", "eine", "einem", "einen",
    "einer", "eines", "es", "für", "hat", "im", "in", "ist", "mit", "nach", "nicht", "noch",
    "oder", "sich", "sie", "so", "über", "um", "und", "uns", "vom", "von", "vor", "wie",
    "wir", "zu", "zum", "zur",
])
# fmt: on


def normalise_query(raw):
    """The query without control characters (NUL breaks PostgreSQL) and with single spaces."""
    text = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in str(raw or "")
    )
    return " ".join(text.split())


def clean_query(raw):
    """The query as it is searched and shown: normalised and cut to MAX_QUERY_LENGTH
    characters (longer input is shortened, never an error)."""
    return normalise_query(raw)[:MAX_QUERY_LENGTH].strip()


def stem(word):
    """A crude German stem: lower case, one common ending stripped.

    „Kommunen“ → „kommun“ (finds „Kommune“), „Betreibermodelle“ → „betreibermodell“.
    """
    word = word.lower()
    for ending in GERMAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM_LENGTH:
            return word[: -len(ending)]
    return word


# A word, optionally negated by a leading "-" (not the hyphen inside "IT-Dienstleister").
TOKEN_RE = re.compile(r"(?:(?<![\w-])(?P<minus>-))?(?P<word>\w+)")


@dataclass
class ParsedQuery:
    """The query's words as stems, in the spirit of PostgreSQL's ``websearch`` syntax:
    every group must match (AND), one stem of a group is enough („a or b“), and
    excluded stems („-wort“) must not occur."""

    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def terms(self):
        """Stems to search for and to highlight."""
        return [term for group in self.groups for term in group]


def parse_query(query):
    parsed, join_next, count = ParsedQuery(), False, 0
    for match in TOKEN_RE.finditer(query):
        word = match["word"].lower()
        if word == "or":
            join_next = bool(parsed.groups)
            continue
        if len(word) < 2 or word in STOP_WORDS or count >= MAX_TERMS:
            join_next = False
            continue
        term = stem(word)
        count += 1
        if match["minus"]:
            parsed.excluded.append(term)
        elif join_next:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        join_next = False
    return parsed


def _case_variants(term):
    """SQLite's LIKE folds ASCII letters only: add spellings for umlauts and ß."""
    if term.isascii():
        return [term]
    return list(dict.fromkeys([term, term.capitalize(), term.upper()]))


def contains(field_name, term):
    return reduce(
        or_, (Q(**{f"{field_name}__icontains": variant}) for variant in _case_variants(term))
    )
