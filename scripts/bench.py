"""make bench: throughput and latency of the production-like stack, in one run, one table.

Runs inside scripts/with-postgres.sh and scripts/with-redis.sh (see the Makefile). Starts
gunicorn (WEB_CONCURRENCY workers, production settings) and nginx, then measures with wrk on
loopback, for the real content and again with 10× synthetic content:

- the baseline: /health/, a bare Django view with one `SELECT 1`;
- start page, phase page, criteria explorer with two filters, search – each from the page
  cache and uncached (a request with a cookie bypasses the page cache, as editors do);
- phase page, explorer and search through nginx: as anonymous visitors get them (a baked
  file or nginx's cache), past nginx's cache to Django's page cache (/ohne-nginx-cache/) and
  to Django uncached (with a cookie); each also saved and served by nginx as a plain file, the
  reference (target: ≥ 85 % of its req/s, p99 ≤ 2× its p99; paired_file_shares);
- the baseline once more at the end of each round, to show how much the load drifted.

Every scenario is checked first (status 200, cache hit or bypass as intended) and warmed up
unmeasured for BENCH_WARMUP_SECONDS (default 2). Each scenario runs BENCH_RUNS times
(default 3, interleaved) for BENCH_SECONDS (default 5); the table shows the median run. Load is
bounded: BENCH_THREADS/BENCH_CONNECTIONS (default 2/16). Table to stdout, JSON to BENCH_JSON.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench_report import nginx_reference, table
from stack import Stack, get, gunicorn_setup, say, stop_on_sigterm

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
FACTOR = 10
SHARED_SECONDS = int(os.environ.get("DJANGO_HTTP_CACHE_SECONDS", "8"))  # s-maxage
BYPASS = {"Cookie": "bench=1"}  # any cookie but the CSRF cookie: no page cache
# nginx serves each of these pages also as a saved file of the same bytes: its reference.
SAVED_NAMES = {
    "Phasenseite": "phasenseite.html",
    "Explorer, 2 Filter": "explorer.html",
    "Suche": "suche.html",
}

PAGES = (
    ("Startseite", "/"),
    ("Phasenseite", "/phasen/pilotphase/"),
    ("Explorer, 2 Filter", "/kriterien/?phase=pilotphase&arbeitsstrang=technisch"),
    ("Suche", "/suche/?q=Betreibermodell"),
)

NGINX_PAGES = PAGES[1:]  # phase page, explorer, search
PAST_NGINX_CACHE = "/ohne-nginx-cache"  # deploy/nginx.conf: proxied without nginx's cache


@dataclass
class Scenario:
    name: str
    kind: str  # basis | gecacht | ungecacht | nginx-cache | nginx→django | nginx→ungecacht | nginx
    target: str  # gunicorn | nginx
    path: str
    headers: dict


@dataclass
class Measurement:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    kib: float
    dropouts: int = 0  # page-cache dropouts logged by gunicorn during the run
    file_share: float | None = None  # nginx-cache: paired share of its file (paired_file_shares)
    file_p99_factor: float | None = None  # … and its paired p99 ÷ the file's


def scenarios():
    yield Scenario("Django-Basis /health/", "basis", "gunicorn", "/health/", {})
    for name, path in PAGES:
        yield Scenario(f"{name}", "gecacht", "gunicorn", path, {})
    for name, path in PAGES:
        yield Scenario(f"{name}", "ungecacht", "gunicorn", path, BYPASS)
    for name, path in NGINX_PAGES:  # each right before its file: see paired_file_shares()
        yield Scenario(name, "nginx-cache", "nginx", path, {})
        file_name, kind = nginx_reference(name)
        yield Scenario(file_name, kind, "nginx", f"/gespeichert/{SAVED_NAMES[name]}", {})
    for name, path in NGINX_PAGES:
        yield Scenario(name, "nginx→django", "nginx", PAST_NGINX_CACHE + path, {})
    for name, path in NGINX_PAGES:
        yield Scenario(name, "nginx→ungecacht", "nginx", path, BYPASS)
    # The baseline once more: how much the machine's load drifted during the round.
    yield Scenario("Django-Basis /health/ (Kontrolle)", "kontrolle", "gunicorn", "/health/", {})


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(port, scenario, seconds=SECONDS):
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    args += ["--timeout", "20s"]  # slow pages count as slow, not as errors
    for name, value in scenario.headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(f"http://127.0.0.1:{port}{scenario.path}")
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=True)
    text = out.stdout
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", text, re.M))
    if "50" not in percentiles or "Requests/sec" not in text:
        raise SystemExit(f"wrk-Ausgabe nicht lesbar:\n{text}\n{out.stderr}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    errors += int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", text)
    scale = {"B": 1 / 1024, "KB": 1, "MB": 1024, "GB": 1024 * 1024}[transfer[2]]
    return Measurement(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1]),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=int(re.search(r"(\d+) requests in", text)[1]),
        errors=errors,
        kib=float(transfer[1]) * scale,
    )


def check_scenario(port, scenario):
    """The scenario measures what it says: 200, and a cache hit or a bypass as intended.

    A worker that lost its cache connection under load retries after a few seconds, so a
    cached scenario gets up to ten seconds to show a hit.
    """
    expected = {  # (X-Page-Cache of Django, X-Cache-Status of nginx)
        "gecacht": ("hit", None),
        "ungecacht": (None, None),
        # Anonymous visitors get a baked page (core/baking.py) or, for query strings it does not
        # bake, nginx's cache.
        "nginx-cache": (ANY, ("FILE", "HIT")),
        "nginx→django": ("hit", None),
        "nginx→ungecacht": (None, "BYPASS"),
    }
    deadline = time.monotonic() + 10
    while True:
        reply = get(port, scenario.path, scenario.headers)
        found = (reply.headers.get("x-page-cache"), reply.headers.get("x-cache-status"))
        wanted = expected.get(scenario.kind, found)
        if reply.status == 200 and all(_matches(w, f) for w, f in zip(wanted, found, strict=True)):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{scenario.name} ({scenario.kind}): Status {reply.status}, "
                f"X-Page-Cache/X-Cache-Status {found!r} (erwartet 200 und {wanted!r})"
            )
        time.sleep(0.2)


def save_pages(port, saved_dir):
    """Each page nginx caches, saved as a file; returns the phase page's size in bytes."""
    sizes = {}
    for name, path in NGINX_PAGES:
        body = get(port, path, BYPASS).body
        (saved_dir / SAVED_NAMES[name]).write_text(body, encoding="utf-8")
        (saved_dir / SAVED_NAMES[name]).chmod(0o644)
        sizes[name] = len(body.encode())
    return sizes["Phasenseite"]


ANY = object()  # check_scenario: any value of that header


def _matches(wanted, found):
    """wanted: ANY, one value (or None: no such header) or a tuple of allowed values."""
    return wanted is ANY or found in (wanted if isinstance(wanted, tuple) else (wanted,))


CACHE_WARNING = "Page cache unavailable"


def cache_warnings(gunicorn):
    """How often gunicorn logged that it served uncached because Redis did not answer in time."""
    log = Path(gunicorn.log) if gunicorn.log else None
    return log.read_text(errors="replace").count(CACHE_WARNING) if log and log.exists() else 0


def median_run(measured):
    """The run with the median req/s (the upper middle one for an even count), latencies
    included, so that every figure in a row comes from one and the same run."""
    return sorted(measured, key=lambda m: m.rps)[len(measured) // 2]


def paired_file_shares(runs):
    """Per page through nginx: (its req/s ÷ its file's, its p99 ÷ the file's), each the median
    over rounds of runs seconds apart; the machine drifts by a third within minutes."""
    shares = {}
    for name, _ in NGINX_PAGES:
        pairs = list(zip(runs[(name, "nginx-cache")], runs[nginx_reference(name)], strict=True))
        if pairs and all(file.rps and file.p99_ms for _, file in pairs):
            shares[(name, "nginx-cache")] = (
                statistics.median_high(page.rps / file.rps for page, file in pairs),
                statistics.median_high(page.p99_ms / file.p99_ms for page, file in pairs),
            )
    return shares


def measure_all(ports, label, gunicorn):
    """Every scenario RUNS times, the runs interleaved (scenario 1…n, then again), so that the
    drift of a shared machine spreads over all scenarios; each keeps its median run."""
    runs = {}
    for number in range(RUNS):
        for scenario in scenarios():
            port = ports[scenario.target]
            if number == 0:
                check_scenario(port, scenario)
                if WARMUP_SECONDS:
                    # Unmeasured: every worker has its connections and templates ready.
                    wrk(port, scenario, seconds=WARMUP_SECONDS)
            warnings_before = cache_warnings(gunicorn)
            result = wrk(port, scenario)
            result.dropouts = cache_warnings(gunicorn) - warnings_before
            runs.setdefault((scenario.name, scenario.kind), []).append(result)
    results = {}
    shares = paired_file_shares(runs)
    for (name, kind), measured in runs.items():
        result = median_run(measured)
        result.file_share, result.file_p99_factor = shares.get((name, kind), (None, None))
        results[(name, kind)] = result
        dropouts = sum(m.dropouts for m in measured)
        say(
            f"  {label:>3} {kind:<9} {name:<32} {result.rps:8.0f} req/s  "
            f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  Fehler {result.errors}  "
            f"(Läufe: {' / '.join(f'{m.rps:.0f}' for m in measured)} req/s)"
            + (f"  Cache-Aussetzer {dropouts}" if dropouts else "")
        )
    return results


def run(stack, ports, saved_dir, gunicorn):
    """Both rounds: the real content, then 10× synthetic content."""
    size = save_pages(ports["gunicorn"], saved_dir)
    say(f"\nMessung mit den echten Inhalten (Phasenseite {size // 1024} KiB):")
    single = measure_all(ports, "1×", gunicorn)

    say(f"\nErzeuge {FACTOR}× Inhalte (nur für den Benchmark) …")
    created = stack.manage(
        "generate_synthetic_content", f"--factor={FACTOR}", extra_env={"ROADMAP_BENCHMARK": "1"}
    )
    say(created.strip())
    time.sleep(SHARED_SECONDS + 1)  # nginx's cache lets go of the pages with 1× content
    size = save_pages(ports["gunicorn"], saved_dir)
    say(f"\nMessung mit {FACTOR}× Inhalten (Phasenseite {size // 1024} KiB):")
    return single, measure_all(ports, "10×", gunicorn)


def main():
    stop_on_sigterm()
    load = os.getloadavg()[0]
    with Stack() as stack:
        stack.prepare()
        saved_dir = stack.run_dir / "saved"
        saved_dir.mkdir(mode=0o755)
        gunicorn = stack.start_gunicorn()
        nginx = stack.start_nginx([gunicorn.port], saved_dir=saved_dir)
        ports = {"gunicorn": gunicorn.port, "nginx": nginx.port}
        started = time.monotonic()
        try:
            single, tenfold = run(stack, ports, saved_dir, gunicorn)
        except Exception:
            say(f"\nLetzte Zeilen des gunicorn-Logs:\n{gunicorn.log_tail()}")
            raise
        minutes = (time.monotonic() - started) / 60

    say(
        f"\nErgebnis: gunicorn {gunicorn_setup()}, wrk -t{THREADS} -c{CONNECTIONS} "
        f"-d{SECONDS}s, Median aus {RUNS} Läufen, auf 127.0.0.1, {os.cpu_count()} Kerne, "
        f"Last vor dem Start {load:.1f}, "
        f"Messdauer {minutes:.1f} min.\n"
    )
    say(table(single, tenfold))
    if os.environ.get("BENCH_JSON"):
        data = {
            f"{factor} {kind} {name}": asdict(m)
            for factor, results in (("1x", single), ("10x", tenfold))
            for (name, kind), m in results.items()
        }
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps(data, indent=2))


if __name__ == "__main__":
    sys.exit(main())
