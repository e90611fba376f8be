"""scripts/profile_page.py: the figures it prints come from real requests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import profile_page  # lives in scripts/


def test_profile_counts_the_queries_of_one_request(client, roadmap):
    result = profile_page.profile(client, "/phasen/pilotphase/", runs=2)
    assert result["queries"] >= 1
    assert result["kib"] > 1
    assert 0 < result["min_ms"] <= result["median_ms"]


def test_the_first_request_after_a_change_rebuilds_the_lookup_tables(client, roadmap):
    steady = profile_page.profile(client, "/phasen/pilotphase/", runs=2)
    after_change = profile_page.profile(client, "/phasen/pilotphase/", runs=2, after_change=True)
    assert after_change["queries"] > steady["queries"]
