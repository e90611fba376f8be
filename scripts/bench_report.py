"""The table of make bench (scripts/bench.py): each row against its target, with 10× content.

Kept apart from the measuring so that the rules for the verdicts can be read (and tested) on
their own.
"""

# Targets from the issues: share of the baseline's requests per second, p99 against the
# baseline, and how much slower 10× content may be. nginx's cache is measured against nginx
# serving the same page as a saved file instead (nginx_reference).
MIN_SHARE = {"gecacht": 0.70, "ungecacht": 0.25, "nginx-cache": 0.85}
MAX_P99_FACTOR = 2.0
MAX_SLOWDOWN = 1.3


def nginx_reference(name):
    """The scenario of nginx serving page ``name`` as a file of the same size."""
    return (f"nginx: {name} als Datei", "nginx")


def _fmt(value, digits=0):
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def _share(measurement):
    share = measurement.file_share
    return "–" if share is None else f"{_fmt(100 * share)} %"


def _ratio(a, b, digits=1):
    return f"{_fmt(a / b, digits)}×" if b else "–"


BASELINES = (("Django-Basis /health/", "basis"), ("Django-Basis /health/ (Kontrolle)", "kontrolle"))


def machine_speed(results):
    """The baseline's mean req/s at the start and the end of a round: how fast the machine
    was during that round (a shared virtual machine drifts by tens of percent)."""
    return sum(results[key].rps for key in BASELINES) / len(BASELINES)


def slowdown(one, ten, speed_one, speed_ten):
    """How much slower a page is with 10× content, relative to the machine's speed in each
    round, so that drift between the rounds does not count as slowdown."""
    return (one.rps / speed_one) / (ten.rps / speed_ten) if ten.rps else float("inf")


def _share_of(measured, reference):
    """The paired share of its file (nginx-cache), else its req/s ÷ the reference's."""
    paired = measured.file_share
    return paired if paired is not None else measured.rps / (reference.rps or 1e-9)


def verdict(kind, one, ten, base, factor, ten_base=None):
    """base: the baseline /health/, or for nginx's cache the nginx file (nginx_reference);
    ten_base: that file with 10× content. A page with 10× content is a bigger page: through
    nginx it is judged against its own bigger file, not by how much slower it got."""
    if kind not in MIN_SHARE:
        return "–"
    misses = []
    if _share_of(one, base) < MIN_SHARE[kind]:
        misses.append(f"Req/s < {int(MIN_SHARE[kind] * 100)} %")
    p99_factor = one.file_p99_factor or one.p99_ms / max(base.p99_ms, 1e-9)
    if p99_factor > MAX_P99_FACTOR:
        misses.append("p99 > 2×")
    if ten_base is not None:
        if _share_of(ten, ten_base) < MIN_SHARE[kind]:
            misses.append(f"10×: Req/s < {int(MIN_SHARE[kind] * 100)} %")
    elif factor > MAX_SLOWDOWN:
        misses.append("10× > 1,3×")
    if one.errors or ten.errors:
        misses.append("Fehler")
    return "erfüllt" if not misses else "verfehlt: " + ", ".join(misses)


def table(single, tenfold):
    base = single[BASELINES[0]]
    speed_one, speed_ten = machine_speed(single), machine_speed(tenfold)
    lines = [
        "| Szenario | Art | Req/s | Anteil Basis | p50 ms | p99 ms | p99 / Basis "
        "| Req/s 10× | p99 ms 10× | 10× langsamer¹ | Ziel |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (name, kind), one in single.items():
        ten = tenfold[(name, kind)]
        factor = slowdown(one, ten, speed_one, speed_ten)
        reference, ten_reference = base, None
        if kind == "nginx-cache" and nginx_reference(name) in single:
            reference = single[nginx_reference(name)]
            ten_reference = tenfold.get(nginx_reference(name))
        lines.append(
            f"| {name} | {kind} | {_fmt(one.rps)} | {_fmt(100 * one.rps / base.rps)} % "
            f"| {_fmt(one.p50_ms, 1)} | {_fmt(one.p99_ms, 1)} "
            f"| {_ratio(one.p99_ms, base.p99_ms)} "
            f"| {_fmt(ten.rps)} | {_fmt(ten.p99_ms, 1)} | {_fmt(factor, 2)}× "
            f"| {verdict(kind, one, ten, reference, factor, ten_reference)} |"
        )
    lines.append(
        "\nZiel der Zeilen „nginx-cache“: ≥ 85 % der Req/s und p99 ≤ 2× derselben Seite als "
        "nginx-Datei, mit 10× Inhalt ≥ 85 % derselben, größeren Seite als Datei. Verglichen "
        "wird der Median der Verhältnisse je Runde (Seite und Datei direkt nacheinander "
        "gemessen): "
        + "; ".join(
            f"{key[0]} {_share(single[key])} (10×: {_share(tenfold[key])})"
            for key in single
            if key[1] == "nginx-cache"
        )
        + "."
    )
    lines.append(
        f"¹ Bereinigt um die Geschwindigkeit der Maschine in jeder Runde (Mittel aus Basis und "
        f"Kontrolle: {_fmt(speed_one)} Req/s mit 1×, {_fmt(speed_ten)} Req/s mit 10× Inhalt)."
    )
    return "\n".join(lines)
