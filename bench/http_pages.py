"""Public pages through a real server, against a minimal Django view on that server.

    .venv/bin/python bench/http_pages.py [--rounds 2] [--duration 3] \\
        [--postgres postgres://postgres@127.0.0.1:5432/scratch] [--port 8104]

For each database (SQLite in a scratch folder; PostgreSQL when `--postgres` names a
scratch database, whose public schema is emptied first) it migrates, loads the demo
content and collects static files, then starts two gunicorn servers with the
production settings and 2 sync workers each: one with the page cache off (uncached)
and one with it on (cached). The load generator is wrk when installed, else a Python
client. Rounds interleave: before each page the floor (`bench/urls.py`, a template
rendered by a view behind the whole middleware stack, on the uncached server) is
measured again, so each ratio compares figures taken seconds apart. Each cell is the
median over the rounds; the load average is printed with every round.

Last, a third server as deployed (page cache on, access log on to count requests
per worker) serves a mix of the seven pages, the search (so jieba's dictionary is
loaded and every search renders anew) and the six pages with a query string each
time new (so they miss the cache and render), until each worker has answered
`--memory-requests`; each worker's resident memory is then printed.
"""

import argparse
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WRK = shutil.which("wrk")
PAGES = ["home", "department", "division", "catalog", "item", "reception", "search"]
SEARCH_QUERY = "/search/?q=%E8%AE%B8%E5%8F%AF"  # 许可


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=3, help="seconds a cell")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--postgres", help="URL of a scratch PostgreSQL database")
    parser.add_argument(
        "--no-sqlite", action="store_true", help="PostgreSQL only (with --postgres)"
    )
    parser.add_argument("--memory-requests", type=int, default=10_000)
    parser.add_argument(
        "--memory-only", action="store_true", help="skip the table, measure memory"
    )
    args = parser.parse_args()
    print(f"load generator: {'wrk' if WRK else 'Python client'}; {load_average()}")
    databases = [] if args.no_sqlite else [("SQLite", None)]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    for label, url in databases:
        with tempfile.TemporaryDirectory(prefix="chuangkou-http-") as scratch:
            bench_database(label, url, Path(scratch), args)


def bench_database(label, url, scratch, args):
    env = server_environment(url or f"sqlite:///{scratch / 'bench.sqlite3'}", scratch)
    if url:
        reset_postgres(url)
    print(f"\n== {label}: preparing (migrate, demo content, static files)")
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_demo"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        manage(command, env)
    urls = dict(zip(PAGES, discover_urls(env), strict=True))
    if args.memory_only:
        measure_memory(urls, env, args, scratch)
        return
    uncached = Server(args.port, args.workers, env, page_cache=False)
    cached = Server(args.port + 1, args.workers, env, page_cache=True)
    try:
        for server in (uncached, cached):
            server.start()
            for path in [*urls.values(), "/bench/floor/"]:
                server.get(path)
                server.get(path)
        rows = measure_rounds(urls, uncached, cached, args)
    finally:
        uncached.stop()
        cached.stop()
    print_table(label, rows, args)
    measure_memory(urls, env, args, scratch)


def measure_rounds(urls, uncached, cached, args):
    """{page: {"floor": [...], "uncached": [...], ...}} over the rounds."""
    samples = {page: {} for page in PAGES}
    for round_number in range(args.rounds):
        order = PAGES[round_number % len(PAGES) :] + PAGES[: round_number % len(PAGES)]
        print(f"round {round_number + 1}/{args.rounds}: {load_average()}")
        for page in order:
            path = urls[page]
            cells = samples[page]
            for name, server, target in (
                ("floor", uncached, "/bench/floor/"),
                ("uncached", uncached, path),
                ("cached", cached, path),
            ):
                rate = load(server, target, args.connections, args.duration)
                p50 = latency_p50(server, target, args.duration)
                cells.setdefault(name, []).append(rate)
                cells.setdefault(f"{name}_p50", []).append(p50)
        print(f"  after round {round_number + 1}: {load_average()}")
    return samples


def print_table(label, samples, args):
    floors = [rate for page in PAGES for rate in samples[page]["floor"]]
    print(
        f"\n{label}: gunicorn, production settings, {args.workers} sync workers, "
        f"{args.connections} connections, {args.rounds} rounds of "
        f"{args.duration:g} s a cell; floor {min(floors):.0f}–{max(floors):.0f} req/s"
    )
    print(
        "| page | uncached req/s | floor ÷ uncached | uncached p50 (1 conn) "
        "| cached req/s | cached ÷ floor | cached p50 (1 conn) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for page in PAGES:
        cells = samples[page]
        floor_over_page = [
            f / u for f, u in zip(cells["floor"], cells["uncached"], strict=True) if u
        ]
        cached_share = [
            c / f for f, c in zip(cells["floor"], cells["cached"], strict=True) if f
        ]
        print(
            f"| {page} | {spread(cells['uncached'])} | {spread(floor_over_page, 1)} "
            f"| {spread(cells['uncached_p50'], 1)} ms | {spread(cells['cached'])} "
            f"| {spread(cached_share, 2)} | {spread(cells['cached_p50'], 2)} ms |"
        )
    print(f"(load average now: {load_average()})")


def spread(values, digits=0):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    low, high = min(values), max(values)
    if round(low, digits) == round(high, digits):
        return f"{low:.{digits}f}"
    return f"{low:.{digits}f}–{high:.{digits}f}"


def load_average():
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


# The servers


def server_environment(database_url, scratch):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PAGE_CACHE", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        PAGE_CACHE_DIR=str(scratch / "page_cache"),
        # The search page is rate-limited per address; the load comes from one.
        RATELIMIT_SEARCH="",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(command, env):
    subprocess.run(
        [PYTHON, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def discover_urls(env):
    script = (
        "import json; from bench.pages import public_pages; "
        "print(json.dumps([url for _label, url in public_pages()]))"
    )
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    urls = json.loads(output.strip().splitlines()[-1])
    if len(urls) != len(PAGES) - 1:
        raise SystemExit(f"expected six demo pages, found {urls}")
    return [*urls, SEARCH_QUERY]


def reset_postgres(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


class Server:
    """One gunicorn with `workers` sync workers on 127.0.0.1:`port`."""

    def __init__(self, port, workers, env, page_cache, access_log=None):
        self.port = port
        self.workers = workers
        self.env = {**env, "PAGE_CACHE": "1" if page_cache else "0"}
        self.access_log = access_log
        self.process = None

    def start(self):
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ]
        if self.access_log:
            command += [
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                "%(p)s",
            ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/bench/floor/")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn on port {self.port} did not start")

    def get(self, path):
        with urllib.request.urlopen(self.url(path), timeout=30) as response:
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")
            return response.read()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self):
        output = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return [int(pid) for pid in output.split()]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


# The load generator


def load(server, path, connections, duration):
    """Requests per second at `connections` concurrent connections."""
    if WRK:
        output = wrk(server.url(path), connections, duration)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if errors or "Socket errors" in output:
            print(f"  {path}: {output.strip().splitlines()[-3:]}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    timings = python_load(server, path, connections, duration)
    return len(timings) / duration


def latency_p50(server, path, duration):
    """Median latency (ms) at one connection."""
    if WRK:
        output = wrk(server.url(path), 1, duration, latency=True)
        value, unit = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return statistics.median(python_load(server, path, 1, duration))


def wrk(url, connections, duration, latency=False):
    command = [WRK, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
    if latency:
        command.append("--latency")
    return subprocess.run(
        [*command, url], capture_output=True, text=True, check=True
    ).stdout


def python_load(server, path, connections, duration):
    """Latencies (ms) of the requests `connections` threads sent in `duration`."""
    timings = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client():
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            connection = HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()
            with lock:
                timings.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


# Memory


def measure_memory(urls, env, args, scratch):
    log = scratch / "access.log"
    server = Server(args.port + 2, args.workers, env, page_cache=True, access_log=log)
    server.start()
    try:
        paths = list(urls.values())
        started = time.monotonic()
        for sweep in itertools.count():
            # One "<pid>" per request (gunicorn's access-log atom %(p)s).
            served = (
                Counter(line.strip("<>") for line in log.read_text().split())
                if log.exists()
                else Counter()
            )
            counts = [served.get(str(pid), 0) for pid in server.worker_pids()]
            if min(counts) >= args.memory_requests:
                break
            for path in paths:
                load(server, path, args.connections, 1)
                # A miss: rendered anew (a search of its own, its results not
                # kept yet, so each worker segments queries with jieba).
                if path == SEARCH_QUERY:
                    server.get(f"{path}{sweep}")
                else:
                    server.get(f"{path}?sweep={sweep}")
        elapsed = time.monotonic() - started
        print(
            f"\nMemory after {sum(counts):,} requests in {elapsed:.0f} s "
            "(page cache on; the seven pages, search and cache misses mixed):"
        )
        for pid in server.worker_pids():
            print(
                f"  worker {pid}: {served.get(str(pid), 0):,} requests, "
                f"resident {resident_mb(pid):.0f} MB"
            )
        print(f"({load_average()})")
    finally:
        server.stop()


def resident_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


if __name__ == "__main__":
    main()
