"""Drill 4 of make drills: PostgreSQL frozen (SIGSTOP), not stopped.

A stopped server refuses connections at once; a frozen one (overload, a hung disk, a network
path that swallows packets) accepts them and never answers, and cannot enforce its own
statement timeout. Visitors must still get the German 503 page within 10 s (connect timeout,
request deadline in core/timeouts.py), and the site must recover by itself after SIGCONT.
"""

import signal
import time

from stack import get, postgres_signal

GERMAN_503 = "Vorübergehend nicht erreichbar"
LIMIT_SECONDS = 10


def drill_frozen_database(port, load_class, result, fmt, *, bypass, paths):
    requests = [("ungecacht", path, bypass) for path in paths]
    for _label, path, headers in requests:
        get(port, path, headers)
    with load_class(port, requests, threads=4, limit=60) as load:
        time.sleep(2)
        postgres_signal(signal.SIGSTOP)
        frozen = load.now()
        try:
            time.sleep(15)
        finally:
            postgres_signal(signal.SIGCONT)
        thawed = load.now()
        time.sleep(12)
        end = load.now()

    # Requests sent while the server was frozen (their answer came after they were sent).
    during = [s for s in load.between(frozen, thawed + LIMIT_SECONDS) if s.at - s.seconds < thawed]
    during = [s for s in during if s.at - s.seconds >= frozen]
    answers_503 = [s for s in during if s.status == 503]
    german = all(GERMAN_503 in s.body for s in answers_503)
    slowest = max((s.seconds for s in during), default=0.0)
    window = load.between(frozen, thawed + LIMIT_SECONDS)
    others = [s for s in window if s.status not in (200, 503)]  # 0: no answer in time
    after = load.between(thawed, end + 1)
    first_ok = next((s.at for s in after if s.status == 200 and s.at - s.seconds >= thawed), None)
    tail = [s for s in after if first_ok is not None and s.at > first_ok]
    recovered = first_ok is not None and bool(tail) and all(s.status == 200 for s in tail)
    passed = bool(answers_503) and german and not others and slowest <= LIMIT_SECONDS
    passed = passed and recovered and get(port, paths[0], bypass).status == 200
    return result(
        passed,
        f"PostgreSQL eingefroren (SIGSTOP, {fmt(thawed - frozen)}): {len(answers_503)} von "
        f"{len(during)} Antworten 503 "
        f"({'deutsche Seite' if german else 'NICHT die deutsche Seite'}), {len(others)} andere "
        f"oder keine Antworten{' ' + str(sorted(s.status for s in others)) if others else ''}, "
        f"längste Wartezeit {fmt(slowest)} (Ziel ≤ {LIMIT_SECONDS} s); "
        f"nach SIGCONT wieder 200 nach "
        f"{fmt(first_ok - thawed) if first_ok is not None else 'nie'}, danach "
        f"{sum(s.status == 200 for s in tail)}/{len(tail)} × 200.",
    )
