"""make drills: failure drills against the production-like stack, one PASS/FAIL line each.

Runs inside scripts/with-postgres.sh and scripts/with-redis.sh (see the Makefile), which
provide throw-away servers that this script may stop and start. Two gunicorn instances (A and
B) share PostgreSQL and Redis behind nginx, as two app servers would behind a load balancer.

1. PostgreSQL is stopped under load and started again: visitors get the German 503 page
   (no stack trace, no other error), cached pages keep working, and the app recovers
   without a restart.
2. Redis is stopped under load (requests go to instance A directly, past nginx's cache):
   every page is still served (uncached); after Redis is back, pages come from the cache again.
3. An editor changes a glossary entry in the admin of instance A: instance B shows the change
   at once, although B had the old page cached; anonymous visitors through nginx's cache see
   it once the page's s-maxage has run out (target ≤ 10 s, the measured delay is printed).
4. Personal and editor pages are never stored by nginx's cache: X-Cache-Status with and
   without cookies, and the keys of every file in nginx's cache folder.
5. PostgreSQL is frozen (SIGSTOP) under load: the German 503 page within 10 s, recovery after
   SIGCONT (scripts/drill_frozen_database.py).

Load is bounded: a few client threads for a few seconds per drill, on 127.0.0.1 only.
"""

import http.client
import os
import re
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from drill_frozen_database import drill_frozen_database
from drill_nginx import drill_personal_pages
from stack import Stack, get, postgres, redis_start, redis_stop, say, stop_on_sigterm

BYPASS = {"Cookie": "uebung=1"}  # any cookie but the CSRF cookie: no page cache
PHASE = "/phasen/pilotphase/"
EXPLORER = "/kriterien/?phase=pilotphase&arbeitsstrang=technisch"
GERMAN_503 = "Vorübergehend nicht erreichbar"
LEAKS = ("Traceback", "OperationalError", "psycopg", 'File "')
EDITOR = "uebungsredaktion"
NGINX_VISIBLE_SECONDS = 10


def fmt(seconds):
    return f"{seconds:.2f}".replace(".", ",") + " s"


# --- Load -------------------------------------------------------------------------------------


@dataclass
class Sample:
    at: float  # seconds since the load started (when the reply arrived)
    label: str
    status: int  # 0: no HTTP answer at all
    body: str
    cache: str | None
    seconds: float


class Load:
    """Client threads requesting (label, path, headers) in turn until stopped (bounded)."""

    def __init__(self, port, requests, *, threads=4, limit=60):
        self.port, self.requests, self.limit = port, requests, limit
        self.samples, self.lock, self.stopping = [], threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def __enter__(self):
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def now(self):
        return time.monotonic() - self.started

    def _run(self, offset):
        n = offset
        while not self.stopping.is_set() and self.now() < self.limit:
            label, path, headers = self.requests[n % len(self.requests)]
            n += 1
            try:
                reply = get(self.port, path, headers, timeout=10)
                sample = Sample(
                    self.now(),
                    label,
                    reply.status,
                    reply.body,
                    reply.headers.get("x-page-cache"),
                    reply.seconds,
                )
            except (OSError, http.client.HTTPException) as exc:
                sample = Sample(self.now(), label, 0, repr(exc), None, 0.0)
            with self.lock:
                self.samples.append(sample)

    def between(self, start, end, label=None):
        return [
            s for s in self.samples if start <= s.at < end and (label is None or s.label == label)
        ]


def result(passed, text):
    say(f"{'PASS' if passed else 'FAIL'}  {text}")
    return passed


# --- 1. PostgreSQL stopped under load -----------------------------------------------------------


def drill_database(port):
    requests = [
        ("ungecacht", PHASE, BYPASS),
        ("ungecacht", EXPLORER, BYPASS),
        ("gecacht", PHASE, {}),
    ]
    for _label, path, headers in requests:  # fill the page cache first
        get(port, path, headers)
    with Load(port, requests, threads=4, limit=30) as load:
        time.sleep(3)
        postgres("stop")
        down = load.now()
        try:
            time.sleep(5)
        finally:
            postgres("start")
        up = load.now()
        time.sleep(5)
        end = load.now()

    during = load.between(down, up, "ungecacht")
    after = load.between(up, end + 1, "ungecacht")
    everything = load.between(0, end + 1)
    answers_503 = [s for s in during if s.status == 503]
    german = all(GERMAN_503 in s.body for s in answers_503)
    leaks = [s for s in everything if any(leak in s.body for leak in LEAKS)]
    others = [s for s in everything if s.status not in (200, 503)]
    cached = load.between(down, up, "gecacht")
    cached_ok = sum(s.status == 200 for s in cached)
    first_ok = next((s.at for s in after if s.status == 200), None)
    tail = [s for s in after if first_ok is not None and s.at > first_ok]
    recovered = first_ok is not None and tail and all(s.status == 200 for s in tail)
    final = get(port, PHASE, BYPASS)
    passed = bool(answers_503) and german and not leaks and not others
    passed = passed and recovered and final.status == 200
    recovery = fmt(first_ok - up) if first_ok is not None else "nie"
    return result(
        passed,
        f"PostgreSQL unter Last gestoppt ({fmt(up - down)}): {len(answers_503)} von "
        f"{len(during)} ungecachten Antworten 503 "
        f"({'deutsche Seite' if german else 'NICHT die deutsche Seite'}, "
        f"{len(leaks)} mit Stacktrace), {len(others)} andere Fehler; gecachte Seiten "
        f"weiter {cached_ok}/{len(cached)} × 200; nach dem Neustart wieder 200 nach {recovery}, "
        f"danach {sum(s.status == 200 for s in tail)}/{len(tail)} × 200 ohne Neustart der App.",
    )


# --- 2. Redis stopped under load ----------------------------------------------------------------


def drill_cache_server(stack, port):
    """port: a gunicorn instance itself; nginx's cache in front would hide the page cache."""
    requests = [("seite", PHASE, {}), ("seite", EXPLORER, {}), ("seite", "/", {})]
    for _label, path, _headers in requests * 2:
        get(port, path)
    before = get(port, PHASE).headers.get("x-page-cache")
    redis_stop()
    try:
        with Load(port, requests, threads=4, limit=30) as load:
            time.sleep(6)
    finally:
        restarted = redis_start()
        stack.callback(_stop_process, restarted)
    samples = load.samples
    ok = [s for s in samples if s.status == 200]
    uncached = sum(s.cache == "off" for s in samples)
    median_ms = statistics.median(s.seconds for s in ok) * 1000 if ok else 0
    back_at, started = None, time.monotonic()
    while time.monotonic() - started < 20:
        if get(port, PHASE).headers.get("x-page-cache") == "hit":
            back_at = time.monotonic() - started
            break
        time.sleep(0.2)
    passed = before == "hit" and samples and len(ok) == len(samples) and back_at is not None
    return result(
        passed,
        f"Redis unter Last gestoppt (6 s): {len(ok)}/{len(samples)} Antworten 200, davon "
        f"{uncached} ungecacht (X-Page-Cache: off), Median {median_ms:.0f} ms; nach dem "
        f"Neustart wieder aus dem Cache nach {fmt(back_at) if back_at is not None else 'nie'}.",
    )


def _stop_process(process):
    process.terminate()
    process.wait(10)


# --- 3. Two instances: publish through A, visible through B -----------------------------------


class FormParser(HTMLParser):
    """The fields a browser would submit from the form with the given id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind not in ("submit", "button", "file", "image", "reset"):
            if kind not in ("checkbox", "radio"):
                self.fields.append((a["name"], a.get("value", "")))
            elif "checked" in a:
                self.fields.append((a["name"], a.get("value", "on")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = {"name": a["name"], "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["first"] = self._select["first"] or (value,)
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or list(self._select["first"] or ())
            self.fields += [(self._select["name"], value) for value in chosen]
            self._select = None


def form_fields(html, form_id):
    parser = FormParser(form_id)
    parser.feed(html)
    return parser.fields


class Browser:
    """Just enough of a browser for the admin: cookies, CSRF token, forms."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(data)
        reply = get(self.port, path, headers, method="POST" if body else "GET", body=body)
        for line in reply.headers.get("set-cookie", "").split("\n"):
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return reply

    def login(self, admin, password):
        page = self.request(f"{admin}login/")
        fields = dict(form_fields(page.body, "login-form"))
        fields.update(username=EDITOR, password=password, next=admin)
        reply = self.request(f"{admin}login/", fields)
        if reply.status != 302:
            raise RuntimeError(f"Anmeldung an Instanz A gescheitert (Status {reply.status}).")


def drill_two_instances(stack, editor, b, nginx, admin):
    pk = stack.manage(
        "shell",
        "-c",
        "from information.models import GlossaryTerm; "
        "print(GlossaryTerm.objects.published().order_by('term').first().pk)",
    ).split()[-1]
    get(b, "/glossar/")
    cache_control = get(nginx, "/glossar/").headers.get("cache-control", "")
    shared_seconds = (re.search(r"s-maxage=(\d+)", cache_control) or [None, "?"])[1]
    cached_before = get(b, "/glossar/").headers.get("x-page-cache") == "hit"

    marker = f"Übungsmarke {secrets.token_hex(4)}"
    change = f"{admin}roadmap/glossaryterm/{pk}/change/"
    fields = form_fields(editor.request(change).body, "glossaryterm_form")
    fields = [(k, f"{v} {marker}" if k == "definition" else v) for k, v in fields]
    saved = editor.request(change, [*fields, ("_save", "Sichern")])
    published = time.monotonic()
    if saved.status != 302:
        return result(False, f"Änderung über Instanz A nicht gespeichert (Status {saved.status}).")

    seen = {}
    while time.monotonic() - published < 25 and len(seen) < 2:
        for name, port in (("B", b), ("nginx", nginx)):
            if name not in seen and marker in get(port, "/glossar/").body:
                seen[name] = time.monotonic() - published
        time.sleep(0.02)
    passed = cached_before and len(seen) == 2
    passed = passed and seen["B"] <= 1.0 and seen["nginx"] <= NGINX_VISIBLE_SECONDS
    return result(
        passed,
        "Zwei Instanzen, gemeinsame Datenbank und Cache: Änderung über A gespeichert, "
        f"B hatte das Glossar {'gecacht' if cached_before else 'NICHT gecacht'}; sichtbar über "
        f"B nach {fmt(seen['B']) if 'B' in seen else 'nie'} (Ziel ≤ 1 s), für anonyme "
        f"Besucher über den nginx-Cache nach {fmt(seen['nginx']) if 'nginx' in seen else 'nie'} "
        f"(Ziel ≤ {NGINX_VISIBLE_SECONDS} s, s-maxage {shared_seconds} s).",
    )


def main():
    stop_on_sigterm()
    password = secrets.token_urlsafe(24)
    admin = "/" + os.environ.get("DJANGO_ADMIN_URL", "admin/")
    with Stack() as stack:
        stack.prepare()
        stack.manage(
            "createsuperuser",
            "--noinput",
            extra_env={
                "DJANGO_SUPERUSER_USERNAME": EDITOR,
                "DJANGO_SUPERUSER_PASSWORD": password,
                "DJANGO_SUPERUSER_EMAIL": "uebung@example.org",
            },
        )
        a = stack.start_gunicorn()
        b = stack.start_gunicorn()
        nginx = stack.start_nginx([a.port, b.port], saved_dir=stack.run_dir)
        say(f"\nÜbungen: gunicorn A :{a.port}, B :{b.port}, nginx :{nginx.port}\n")
        editor = Browser(a.port)  # an editor logged in at instance A
        editor.login(admin, password)
        outcomes = [
            drill_database(nginx.port),
            drill_cache_server(stack, a.port),
            drill_two_instances(stack, editor, b.port, nginx.port, admin),
            result(
                *drill_personal_pages(stack.run_dir, nginx.port, admin, editor, Browser(nginx.port))
            ),
            drill_frozen_database(
                nginx.port, Load, result, fmt, bypass=BYPASS, paths=[PHASE, EXPLORER]
            ),
        ]
    say(f"\n{sum(outcomes)} von {len(outcomes)} Übungen bestanden.")
    return 0 if all(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
