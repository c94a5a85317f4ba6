"""Online filings per second and their latency, through gunicorn (issue 15 point 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/intake.py [--seconds 20] [--clients 8] [--workers 3]

Migrates the database (`DATABASE_URL`; PostgreSQL is what the target is about, SQLite
works), collects static files, creates one online item with two materials, then starts
gunicorn (`portal.wsgi`, `--workers` sync workers) on a free 127.0.0.1 port with the
production settings (`portal.settings.production`, a real secret, `ALLOWED_HOSTS`,
the client says ``X-Forwarded-Proto: https`` as a TLS proxy would) and, unless
``--no-worker``, the background worker (`manage.py worker`, at a lower CPU priority:
the requests come first, the queue drains behind them). Only two things differ from
production: the captcha accepts the test answer "PASSED" and the per-address rate
limits are lifted (every client comes from 127.0.0.1).

`--clients` threads each loop for `--seconds`: GET the form (its CSRF cookie, form
token, captcha key and action are read from it), POST it as multipart with a 100 KB
PDF per material, and read the receipt page it redirects to. Prints filings per
second, the p50/p95/max of the POST, the receipt page's p95, the filings lost (a POST
that did not end in a receipt, or a receipt whose filing is not complete in the
database) and the duplicate tracking numbers; then what the worker still has to do
(receipt PDFs, notices, background jobs) and, with ``--drain``, how long it takes to
catch up. The machine's load average is printed before and after, and the CPU time
per filing (Linux /proc) of the gunicorn workers, of the PostgreSQL processes serving
the bench's database and of the load generator itself: on a shared machine those
say what a filing costs when the filings per second cannot.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import ROOT, print_table

SETTINGS = """from portal.settings.production import *  # noqa: F403
CAPTCHA_TEST_MODE = True
RATELIMITS = dict.fromkeys(RATELIMITS)  # noqa: F405
STATIC_ROOT = {static_root!r}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
"""
PDF = b"%PDF-1.4\n" + b"0" * 100_000 + b"\n%%EOF\n"
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
ACTION = re.compile(r'<form method="post" action="([^"]+)"')
# What a benchmark applicant types into the online form (the captcha passes in
# CAPTCHA_TEST_MODE); bench/profile_intake.py posts the same.
APPLICANT_FIELDS = {
    "applicant_type": "person",
    "applicant_name": "压测申请人",
    "id_number": "11010519491231002X",
    "mobile": "13800138000",
    "address": "长春市人民大街 1 号",
    "consent": "on",
    "captcha_1": "PASSED",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(folder):
    """The environment of the bench's processes: the production settings with the
    two differences above, files under `folder`."""
    (folder / "bench_intake_settings.py").write_text(
        SETTINGS.format(static_root=str(folder / "static"))
    )
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench_intake_settings",
        PYTHONPATH=os.pathsep.join([str(folder), str(ROOT)]),
        SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        BASE_URL="https://127.0.0.1",
        PRIVATE_ROOT=str(folder / "private"),
        MEDIA_ROOT=str(folder / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )


def prepare(env):
    """Migrate, collect static files and build the item, in a child process with
    the bench's settings; returns the item's apply path and material ids."""
    script = (
        "import random, django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0, interactive=False)\n"
        "call_command('collectstatic', verbosity=0, interactive=False)\n"
        "from wagtail.models import Site\n"
        "from tests.factories import DepartmentPageFactory, DivisionPageFactory\n"
        "from tests.inbox.builders import make_item\n"
        "home = Site.objects.get(is_default_site=True).root_page.specific\n"
        "for factory in (DepartmentPageFactory, DivisionPageFactory):\n"
        "    factory.reset_sequence(random.randint(1000, 99999), force=True)\n"
        "item = make_item(home)\n"
        "ids = ','.join(str(m.pk) for m in item.materials.all())\n"
        "print(f'{item.pk} {item.url}apply/ {ids}')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-3:]
    return int(out[0]), out[1], out[2].split(",")


def start(command, env, log, nice=0):
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,
    )


def wait_for_port(port, server):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited; see its log")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


class Browser:
    """One citizen: cookies kept by hand (they are Secure, the proxy header says
    HTTPS), one connection per request (gunicorn's sync workers close it)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1{path}",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        connection.close()
        return response.status, response.getheader("Location", ""), content


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        f"{value}\r\n".encode()
        for name, value in fields.items()
    ]
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def file_one(port, path, material_ids, results):
    """GET the form, POST it, GET the receipt; appends to `results`."""
    browser = Browser(port)
    started = time.perf_counter()
    status, _location, page = browser.request("GET", path)
    form_ms = (time.perf_counter() - started) * 1000
    if status != 200:
        results["errors"].append(f"form GET {status}")
        return
    html = page.decode()
    fields = dict(HIDDEN.findall(html))
    action = ACTION.search(html)
    fields.update(APPLICANT_FIELDS)
    files = {f"material_{pk}": ("申请书.pdf", PDF) for pk in material_ids}
    body, content_type = multipart(fields, files)
    started = time.perf_counter()
    status, location, _content = browser.request(
        "POST",
        action.group(1) if action else path,
        body,
        {"Content-Type": content_type},
    )
    post_ms = (time.perf_counter() - started) * 1000
    if status != 302 or "/huizhi/" not in location:
        results["errors"].append(f"POST {status} {location or _content[:200]!r}")
        return
    number = urlsplit(location).path.rstrip("/").split("/")[-2]
    started = time.perf_counter()
    status, _location, receipt = browser.request("GET", urlsplit(location).path)
    receipt_ms = (time.perf_counter() - started) * 1000
    if status != 200 or number.encode() not in receipt:
        results["errors"].append(f"receipt GET {status} for {number}")
        return
    results["numbers"].append(number)
    results["post_ms"].append(post_ms)
    results["form_ms"].append(form_ms)
    results["receipt_ms"].append(receipt_ms)


def drive(port, path, material_ids, clients, seconds):
    results = {"numbers": [], "post_ms": [], "form_ms": [], "receipt_ms": []}
    results["errors"] = []
    deadline = time.monotonic() + seconds

    def loop():  # at least one filing each, then until the deadline
        while True:
            try:
                file_one(port, path, material_ids, results)
            except Exception as error:  # a refused connection, a timeout
                results["errors"].append(repr(error))
            if time.monotonic() >= deadline:
                break

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results["wall"] = time.perf_counter() - started
    return results


def cpu_seconds(pids):
    """User + system CPU seconds of the processes `pids` (Linux /proc)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def database_backends(database_url):
    """{pid: CPU seconds} of the local PostgreSQL server's processes serving the
    bench's database (their titles name it); empty for another server or SQLite."""
    name = urlsplit(database_url).path.lstrip("/")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {name} " in title:
            found[int(entry.name)] = cpu_seconds([int(entry.name)])
    return found


def children(pid):
    try:
        return [
            int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


def percentile(values, fraction):
    values = sorted(values)
    return values[max(int(len(values) * fraction + 0.5) - 1, 0)] if values else 0.0


def backlog(env, item_id, numbers):
    """(complete filings, receipts pending, notices pending, index jobs pending)
    as the database has them, from a child process with the bench's settings."""
    script = f"""
import django; django.setup()
from services_catalog.inbox.models import Filing
from portal.models import OutgoingMessage
numbers = set(open({str(numbers)!r}).read().split())
complete = sum(
    1 for number, uploads in Filing.objects.filter(item_id={item_id})
    .values_list("tracking_number").annotate(n=__import__("django").db.models.Count("uploads"))
    if number in numbers and uploads == 2
)
try:
    from services_catalog.inbox.models import ReceiptPdf
    receipts = ReceiptPdf.objects.filter(filing__item_id={item_id})
    receipts = receipts.exclude(status="ready").count()
except ImportError:
    receipts = "-"
try:
    from portal.models import BackgroundJob
    jobs = BackgroundJob.objects.filter(status="pending").count()
except ImportError:
    jobs = "-"
notices = OutgoingMessage.objects.filter(status="pending").count()
print(complete, receipts, notices, jobs)
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [int(value) if value.isdigit() else value for value in out[-4:]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--port", type=int, default=0, help="gunicorn's port (default: a free one)"
    )
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument(
        "--drain", type=float, default=0, help="wait up to N s for the queue"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL (a scratch PostgreSQL database).")
    folder = Path(tempfile.mkdtemp(prefix="chuangkou-bench-intake-"))
    env = bench_env(folder)
    item_id, path, material_ids = prepare(env)
    port = args.port or free_port()
    log = open(folder / "server.log", "w")
    print(f"logs: {folder}/server.log", file=sys.stderr)
    server = start(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--graceful-timeout=5",
        ],
        env,
        log,
    )
    worker = None
    if not args.no_worker:
        worker = start([sys.executable, "manage.py", "worker"], env, log, nice=10)
    load_before = os.getloadavg()
    try:
        wait_for_port(port, server)
        # Warm every gunicorn worker up (imports, jieba, templates, the shared
        # page frame) before the CPU counts: a filing per client, twice, is some
        # 48 requests for a handful of workers that take them in turn at random.
        for _round in range(2):
            drive(port, path, material_ids, args.clients, 0)
        app_pids = children(server.pid)
        app_cpu = cpu_seconds(app_pids)
        database_cpu = database_backends(os.environ["DATABASE_URL"])
        client_cpu = time.process_time()
        results = drive(port, path, material_ids, args.clients, args.seconds)
        app_cpu = cpu_seconds(app_pids) - app_cpu
        client_cpu = time.process_time() - client_cpu
        database_cpu = sum(
            cpu - database_cpu.get(pid, 0)
            for pid, cpu in database_backends(os.environ["DATABASE_URL"]).items()
        )
        load_after = os.getloadavg()
        numbers_file = folder / "numbers.txt"
        numbers_file.write_text("\n".join(results["numbers"]))
        complete, receipts, notices, jobs = backlog(env, item_id, numbers_file)
        drained = None
        if args.drain and worker is not None:
            started = time.monotonic()
            while time.monotonic() - started < args.drain:
                _c, receipts, notices, jobs = backlog(env, item_id, numbers_file)
                if not any(v for v in (receipts, notices, jobs) if isinstance(v, int)):
                    drained = time.monotonic() - started
                    break
                time.sleep(2)
    finally:
        for process in filter(None, (server, worker)):
            process.terminate()
        for process in filter(None, (server, worker)):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    numbers = results["numbers"]
    filed = len(numbers)
    for error in sorted(set(results["errors"]))[:10]:
        print("error:", error, file=sys.stderr)
    print_table(
        [
            {
                "filings": filed,
                "per_second": filed / results["wall"],
                "clients": args.clients,
                "workers": f"{args.workers}x{args.threads}",
                "post_p50_ms": statistics.median(results["post_ms"] or [0]),
                "post_p95_ms": percentile(results["post_ms"], 0.95),
                "post_max_ms": max(results["post_ms"] or [0]),
                "form_p95_ms": percentile(results["form_ms"], 0.95),
                "receipt_p95_ms": percentile(results["receipt_ms"], 0.95),
                "lost": len(results["errors"]) + (filed - complete),
                "duplicates": filed - len(set(numbers)),
            }
        ],
        [
            "filings",
            "per_second",
            "clients",
            "workers",
            "post_p50_ms",
            "post_p95_ms",
            "post_max_ms",
            "form_p95_ms",
            "receipt_p95_ms",
            "lost",
            "duplicates",
        ],
    )
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(1 min; {os.cpu_count()} cores)"
    )
    if filed:
        print(
            f"gunicorn workers' CPU: {1000 * app_cpu / filed:.1f} ms per filing "
            "(form, POST and receipt page)"
        )
        print(
            f"PostgreSQL's CPU: {1000 * database_cpu / filed:.1f} ms per filing "
            "(its processes serving the bench's database, the worker's included; "
            "0 when the server is not local)"
        )
        print(f"load generator's CPU: {1000 * client_cpu / filed:.1f} ms per filing")
    print(
        f"left for the worker: receipt PDFs {receipts}, notices {notices}, "
        f"jobs {jobs}"
        + (f"; drained in {drained:.1f} s" if drained is not None else "")
    )


if __name__ == "__main__":
    main()
