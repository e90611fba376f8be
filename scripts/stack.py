"""Production-like stack on loopback: gunicorn (and nginx) on PostgreSQL and Redis.

Shared by `make serve` (this file), `make bench` (scripts/bench.py) and `make drills`
(scripts/drills.py). PostgreSQL and Redis come from scripts/with-postgres.sh and
scripts/with-redis.sh, which set DATABASE_URL and REDIS_URL and remove both servers
afterwards; this module runs the Django side with production settings (debug off, a generated
secret key): migrations, content, collectstatic, gunicorn processes and nginx.

Everything listens on 127.0.0.1 only. Every process started here is stopped when the stack
closes: normally, on an error, on Ctrl-C or SIGTERM, and (PR_SET_PDEATHSIG) even when this
Python process is killed.

    python scripts/stack.py serve     # what `make serve` runs: nginx (cache) → gunicorn
"""

import contextlib
import ctypes
import http.client
import os
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PG_BIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))


def say(text):
    print(text, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _die_with_parent():
    """In the child before exec: get SIGTERM when the process that started it dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop_on_sigterm():
    """SIGTERM ends the program like Ctrl-C does, so that every `finally` runs."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


@dataclass
class Reply:
    status: int
    headers: dict
    body: str
    seconds: float


def get(port, path, headers=None, *, method="GET", body=None, timeout=10):
    """One HTTP request to 127.0.0.1:port; headers of the reply with lower-case names."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        reply_headers = {}
        for name, value in response.getheaders():
            name = name.lower()
            reply_headers[name] = (
                f"{reply_headers[name]}\n{value}" if name in reply_headers else value
            )
        return Reply(response.status, reply_headers, data, time.monotonic() - started)
    finally:
        connection.close()


class Process:
    """A server process with its log; stop() ends it gracefully, then forcefully."""

    def __init__(self, name, args, *, port, env=None, log=None, cwd=ROOT):
        self.name = name
        self.port = port
        self.log = log
        output = open(log, "ab") if log else None  # noqa: SIM115 - closed in stop()
        self._output = output
        self.popen = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches only us; we stop the servers in order
            preexec_fn=_die_with_parent,  # servers start before any thread
        )

    @property
    def pid(self):
        return self.popen.pid

    def running(self):
        return self.popen.poll() is None

    def log_tail(self, lines=20):
        if not self.log or not Path(self.log).exists():
            return ""
        return "\n".join(Path(self.log).read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout=15):
        if self.running():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if self._output:
            self._output.close()


def wait_until_up(port, path, process, timeout=60):
    """Wait until GET path answers (any status below 500) or the process has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.running():
            raise RuntimeError(f"{process.name} ist abgestürzt:\n{process.log_tail()}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if get(port, path, timeout=2).status < 500:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{process.name} antwortet nicht auf Port {port}:\n{process.log_tail()}")


class Stack(contextlib.ExitStack):
    """The Django side of the stack; use as a context manager so everything is cleaned up."""

    def __init__(self, *, static_root=None, log_to_terminal=False):
        super().__init__()
        for name in ("DATABASE_URL", "REDIS_URL"):
            if not os.environ.get(name):
                raise SystemExit(
                    f"{name} fehlt: bitte über scripts/with-postgres.sh und "
                    "scripts/with-redis.sh starten (siehe Makefile)."
                )
        self.run_dir = Path(tempfile.mkdtemp(prefix="roadmap-stack."))
        self.run_dir.chmod(0o755)  # nginx workers (another user) read saved pages below it
        self.callback(shutil.rmtree, self.run_dir, ignore_errors=True)
        self.log_to_terminal = log_to_terminal
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback; behind a TLS proxy in real operation.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            # nginx runs on loopback in front of gunicorn: believe its X-Forwarded-For.
            "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
            "DJANGO_STATIC_ROOT": str(static_root or self.run_dir / "static"),
            # Baked pages (core/baking.py), read by nginx from the same folder.
            "DJANGO_BAKE_DIR": str(self.run_dir / "baked"),
            "PYTHONUNBUFFERED": "1",
        }
        self.servers = []

    # --- Django ---------------------------------------------------------------------------

    def manage(self, *args, quiet=True, extra_env=None):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=quiet,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} schlug fehl:\n{result.stderr}")
        return result.stdout

    def prepare(self):
        say("Migrationen, Inhalte, statische Dateien …")
        self.manage("migrate", "--noinput")
        self.manage("load_content")  # adds missing entries only, never overwrites edits
        self.manage("ensure_initial_revisions")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")

    # --- Servers --------------------------------------------------------------------------

    def _start(self, process, probe):
        self.servers.append(process)
        self.callback(process.stop)
        wait_until_up(process.port, probe, process)
        return process

    def start_gunicorn(self, port=None, *, workers=None, access_log=False):
        port = port or free_port()
        env = {**self.env, "GUNICORN_BIND": f"{HOST}:{port}"}
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        if access_log:
            env["GUNICORN_ACCESS_LOG"] = "-"
        log = None if self.log_to_terminal else self.run_dir / f"gunicorn-{port}.log"
        args = [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy/gunicorn.conf.py")]
        process = Process(f"gunicorn :{port}", args, port=port, env=env, log=log)
        return self._start(process, "/health/")

    def start_nginx(self, upstream_ports, *, saved_dir, port=None):
        port = port or free_port()
        process = nginx_process(self.run_dir, port, upstream_ports, saved_dir)
        return self._start(process, "/health/")


def nginx_process(run_dir, port, upstream_ports, saved_dir, bake_dir=None):
    """nginx with deploy/nginx.conf (its cache in run_dir/cache) in front of upstream_ports."""
    upstreams = "\n".join(f"        server {HOST}:{p} max_fails=0;" for p in upstream_ports)
    template = (ROOT / "deploy/nginx.conf").read_text()
    config = (
        template.replace("@RUN@", str(run_dir))
        .replace("@PORT@", str(port))
        .replace("@SAVED@", str(saved_dir))
        .replace("@DEPLOY@", str(ROOT / "deploy"))
        .replace("@BAKED@", str(bake_dir or run_dir / "baked"))
        .replace("@UPSTREAMS@", upstreams)
    )
    (run_dir / "nginx.conf").write_text(config)
    args = ["nginx", "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")]
    args += ["-e", str(run_dir / "error.log")]
    return Process("nginx", args, port=port, log=run_dir / "nginx.out")


# --- PostgreSQL and Redis from the wrapper scripts, for the drills ------------------------------


def _as_postgres(args):
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, capture_output=True, text=True, check=False)


def postgres(action):
    """Stop or start the PostgreSQL cluster of scripts/with-postgres.sh."""
    data = os.environ.get("ROADMAP_PG_DATA")
    if not data:
        raise RuntimeError("ROADMAP_PG_DATA fehlt: nur mit scripts/with-postgres.sh möglich.")
    args = [str(PG_BIN / "pg_ctl"), "-D", data, "-w"]
    if action == "stop":
        args += ["-m", "fast", "stop"]
    else:
        args += ["-l", os.environ["ROADMAP_PG_LOG"], "start"]
    result = _as_postgres(args)
    if result.returncode:
        raise RuntimeError(f"pg_ctl {action}: {result.stderr or result.stdout}")


def postgres_processes():
    """PIDs of the PostgreSQL server of scripts/with-postgres.sh: postmaster and children."""
    data = os.environ.get("ROADMAP_PG_DATA")
    if not data:
        raise RuntimeError("ROADMAP_PG_DATA fehlt: nur mit scripts/with-postgres.sh möglich.")
    postmaster = int((Path(data) / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == postmaster:
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def postgres_signal(signum):
    """Freeze (SIGSTOP) or thaw (SIGCONT) the whole PostgreSQL server, as a hang would."""
    for pid in postgres_processes():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def redis_stop():
    """Stop the Redis server of scripts/with-redis.sh (without saving anything)."""
    subprocess.run(
        ["redis-cli", "-u", os.environ["REDIS_URL"], "shutdown", "nosave"],
        capture_output=True,
        check=False,
    )


def redis_start():
    """Start the same Redis server again; scripts/with-redis.sh stops it at the end."""
    conf = os.environ.get("ROADMAP_REDIS_CONF")
    if not conf:
        raise RuntimeError("ROADMAP_REDIS_CONF fehlt: nur mit scripts/with-redis.sh möglich.")
    process = subprocess.Popen(
        ["redis-server", conf], stdout=subprocess.DEVNULL, start_new_session=True
    )
    for _ in range(100):
        ping = subprocess.run(
            ["redis-cli", "-u", os.environ["REDIS_URL"], "ping"], capture_output=True, check=False
        )
        if ping.stdout.strip() == b"PONG":
            return process
        time.sleep(0.05)
    raise RuntimeError("redis-server ist nicht wieder gestartet.")


# --- make serve ------------------------------------------------------------------------------


def gunicorn_setup():
    """„mit 2 Prozessen (sync)“, as deploy/gunicorn.conf.py sets it for this environment."""
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    threads = f" × {config['threads']} Threads" if config["threads"] > 1 else ""
    return f"mit {config['workers']} Prozessen{threads} ({config['worker_class']})"


def serve():
    port = int(os.environ.get("PORT", "8000"))
    with Stack(static_root=ROOT / ".serve" / "static", log_to_terminal=True) as stack:
        stack.prepare()
        gunicorn = stack.start_gunicorn(access_log=True)
        nginx = stack.start_nginx([gunicorn.port], saved_dir=stack.run_dir, port=port)
        say(
            f"\nSkalierungsroadmap läuft auf http://{HOST}:{port}/ (nginx mit Cache vor "
            f"gunicorn {gunicorn_setup()} auf :{gunicorn.port}, PostgreSQL, Redis). "
            "Beenden mit Strg+C.\n"
        )
        try:
            while gunicorn.running() and nginx.running():
                time.sleep(0.5)
        except KeyboardInterrupt:
            say("\nBeende nginx, gunicorn, Redis und PostgreSQL …")
        else:
            stopped = gunicorn if not gunicorn.running() else nginx
            status = stopped.popen.returncode
            raise SystemExit(f"{stopped.name} hat sich beendet (Status {status}).")


if __name__ == "__main__":
    stop_on_sigterm()
    if sys.argv[1:] != ["serve"]:
        raise SystemExit("Aufruf: python scripts/stack.py serve")
    serve()
