"""Online filings per second and their latency, through a real server.

    .venv/bin/python bench/intake.py [--count 100] [--workers 4] [--max-seconds 60]

Migrates a scratch database (SQLite, or `DATABASE_URL`), creates one item with two
materials, starts `manage.py runserver --noreload` on a free 127.0.0.1 port with
settings that accept the captcha answer "PASSED" and lift the per-address limit, then
POSTs `--count` multipart submissions (each with a 100 KB PDF per material) from
`--workers` threads with urllib. Prints submissions per second, the median and p95
latency, and checks that every submission got its own tracking number.
"""

import argparse
import http.cookiejar
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import ROOT, print_table, setup_django

SETTINGS = """from portal.settings.test import *  # noqa: F403
CAPTCHA_TEST_MODE = True
RATELIMITS = dict.fromkeys(RATELIMITS)  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
"""
PDF = b"%PDF-1.4\n" + b"0" * 100_000 + b"\n%%EOF\n"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_item():
    from wagtail.models import Site

    from tests.inbox.builders import make_item as build

    return build(Site.objects.get(is_default_site=True).root_page.specific)


def start_server(port):
    folder = tempfile.mkdtemp(prefix="chuangkou-bench-settings-")
    Path(folder, "bench_intake_settings.py").write_text(SETTINGS)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench_intake_settings",
        PYTHONPATH=os.pathsep.join([folder, str(ROOT)]),
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(folder, "server.log"), "w"),
    )
    print(f"server log: {folder}/server.log", file=sys.stderr)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def submit(url, material_ids):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(url).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    fields = {
        "csrfmiddlewaretoken": csrf,
        "form_token": str(uuid.uuid4()),
        "applicant_type": "person",
        "applicant_name": "压测申请人",
        "id_number": "11010519491231002X",
        "mobile": "13800138000",
        "address": "长春市人民大街 1 号",
        "consent": "on",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    files = {f"material_{pk}": ("申请书.pdf", PDF) for pk in material_ids}
    body, content_type = multipart(fields, files)
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": content_type, "Referer": url}
    )
    started = time.perf_counter()
    response = opener.open(request)
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if "/huizhi/" not in response.url:
        raise RuntimeError(f"submission refused: {response.url}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=60)
    args = parser.parse_args()
    setup_django()
    from services_catalog.inbox.models import Filing

    item = make_item()
    material_ids = list(item.materials.values_list("pk", flat=True))
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}{item.url}apply/"
    timings, failures = [], 0
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            futures = [
                pool.submit(submit, url, material_ids) for _ in range(args.count)
            ]
            for future in futures:
                remaining = args.max_seconds - (time.perf_counter() - started)
                try:
                    timings.append(future.result(timeout=max(remaining, 0.1)))
                except Exception as error:
                    failures += 1
                    print("failed:", error, file=sys.stderr)
                    if remaining <= 0:
                        break
            for future in futures:
                future.cancel()
    finally:
        wall = time.perf_counter() - started
        server.terminate()
        server.wait(timeout=10)
    timings.sort()
    numbers = Filing.objects.values_list("tracking_number", flat=True)
    print_table(
        [
            {
                "submissions": len(timings),
                "failed": failures,
                "workers": args.workers,
                "per_second": len(timings) / wall if wall else 0.0,
                "median_ms": statistics.median(timings) if timings else 0.0,
                "p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)]
                if timings
                else 0.0,
                "distinct_numbers": len(set(numbers)),
            }
        ],
        [
            "submissions",
            "failed",
            "workers",
            "per_second",
            "median_ms",
            "p95_ms",
            "distinct_numbers",
        ],
    )


if __name__ == "__main__":
    main()
