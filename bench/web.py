#!/usr/bin/env python3
"""The search page under concurrent load, over loopback only.

    .venv/bin/python bench/web.py [--requests N] [--clients 1,8,32,100] [--cases cached,varied]
    .venv/bin/python bench/web.py --updates N
    .venv/bin/python bench/web.py --costly [--copies 150]

Builds an index of corpus/ in a temporary folder, starts ``search.py
--serve`` on a free port of 127.0.0.1 (a separate process, as a reader
would run it, so the old and the new server are measured the same way), and
at each number of concurrent clients sends a bounded number of whole page
requests: a *cached* query (the same one every time) and *varied* ones (the
judged queries in turn).  Prints throughput and p50/p99 latency per row.

With ``--updates N`` it instead updates the index N times while the server
runs (a paragraph added each time, a few searches after each), and prints
the server's resident memory and its handles on deleted files (file
descriptors and memory maps, from /proc) after every few updates.

With ``--costly`` it indexes the article ``--copies`` times (default 150:
1,950 paragraphs) and times a cheap query from one client, alone and while
4 other clients send a costly one (a word typed 64 times), each of which
hangs up after 1 s.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PYTHON, ROOT, judged_queries, percentile_ms  # noqa: E402

HOST = "127.0.0.1"  # load only this machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {process.stderr.read()}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def load(port: int, paths: list[str], clients: int, total: int, limit: float = 120) -> tuple[float, list[float], int]:
    """Send ``total`` requests from ``clients`` threads; wall seconds, latencies, failures.

    Requests not answered within ``limit`` seconds in all count as failures.
    """
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(total))

    def client():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            start = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            with lock:
                latencies.append(time.perf_counter() - start)
                failures[0] += not ok
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, start + limit - time.perf_counter()))
    with lock:
        unanswered = total - len(latencies)
        counter = iter(())  # stragglers stop
    return time.perf_counter() - start, list(latencies), failures[0] + unanswered


def resources(pid: int) -> tuple[float, int]:
    """Resident MB and handles on deleted files of a process (Linux /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024
    deleted = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            deleted += os.readlink(fd).endswith("(deleted)")
        except OSError:
            pass
    deleted += sum(line.endswith("(deleted)") for line in Path(f"/proc/{pid}/maps").read_text().splitlines())
    return rss, deleted


def updates(port: int, server: subprocess.Popen, corpus: Path, index: Path, rounds: int) -> None:
    paths = ["/?" + urllib.parse.urlencode({"q": q}) for q in ("کارگران نفت", "اعتصاب", "هفت‌تپه")]
    load(port, paths, 3, 6)
    print(f"{'updates':>7} {'RSS MB':>7} {'deleted':>7}")
    print(f"{0:7} {resources(server.pid)[0]:7.1f} {resources(server.pid)[1]:7}")
    for n in range(1, rounds + 1):
        (corpus / "extra.md").write_text(f"## بخش تازه\n\nکارگران نفت برای {n} روز اعتصاب کردند.\n", "utf-8")
        subprocess.run([PYTHON, "indexer.py", "--corpus", str(corpus), "--index", str(index), "--quiet"],
                       cwd=ROOT, check=True)
        load(port, paths, 3, 6)
        if n % 4 == 0 or n == rounds:
            rss, deleted = resources(server.pid)
            print(f"{n:7} {rss:7.1f} {deleted:7}")


def costly(port: int) -> None:
    cheap = ["/?" + urllib.parse.urlencode({"q": "هفت‌تپه"})]
    heavy = "/?" + urllib.parse.urlencode({"q": " ".join(["کارگر"] * 64)})
    stop = threading.Event()

    def hang_up_after_a_second():
        while not stop.is_set():
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=1)
                conn.request("GET", heavy)
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                pass  # the client gave up; the server may still be working
            finally:
                conn.close()

    print(f"{'cheap query':24} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} failed")
    _, latencies, failed = load(port, cheap, 1, 20)
    print(f"{'alone':24} {20:8} {percentile_ms(latencies, 0.5):8.0f} {percentile_ms(latencies, 0.99):8.0f} {failed}")
    threads = [threading.Thread(target=hang_up_after_a_second, daemon=True) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(2)
    _, latencies, failed = load(port, cheap, 1, 20, limit=300)
    stop.set()
    print(f"{'beside 4 costly clients':24} {20:8} {percentile_ms(latencies, 0.5):8.0f}"
          f" {percentile_ms(latencies, 0.99):8.0f} {failed}")


def main() -> int:
    argv = sys.argv[1:]
    per_client = int(argv[argv.index("--requests") + 1]) if "--requests" in argv else 5
    levels = [int(n) for n in (argv[argv.index("--clients") + 1] if "--clients" in argv else "1,8,32,100").split(",")]
    wanted = (argv[argv.index("--cases") + 1] if "--cases" in argv else "cached,varied").split(",")
    queries = judged_queries()
    cases = {
        "cached": ["/?" + urllib.parse.urlencode({"q": "کارگران نفت"})],
        "varied": ["/?" + urllib.parse.urlencode({"q": q}) for q in queries],
    }
    with tempfile.TemporaryDirectory() as tmp:
        index, corpus = Path(tmp) / "index", Path(tmp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        if "--costly" in argv:
            copies = int(argv[argv.index("--copies") + 1]) if "--copies" in argv else 150
            article = next(corpus.glob("*.txt"))
            for i in range(1, copies):
                shutil.copy(article, corpus / f"copy{i}-{article.name}")
        subprocess.run([PYTHON, "indexer.py", "--corpus", str(corpus), "--index", str(index)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([PYTHON, "search.py", "--serve", "--port", str(port), "--index", str(index)],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONWARNINGS": "ignore"})
        try:
            wait_until_up(port, server)
            if "--updates" in argv:
                updates(port, server, corpus, index, int(argv[argv.index("--updates") + 1]))
                return 0
            if "--costly" in argv:
                costly(port)
                return 0
            for paths in cases.values():  # warm every query once
                load(port, paths, 1, len(paths))
            print(f"{'query':7} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} failed")
            for name in wanted:
                paths = cases[name]
                for clients in levels:
                    total = max(20, clients * per_client)
                    wall, latencies, failed = load(port, paths, clients, total)
                    print(f"{name:7} {clients:7} {total:8} {total / wall:7.1f} {percentile_ms(latencies, 0.5):8.0f}"
                          f" {percentile_ms(latencies, 0.99):8.0f} {failed}")
        finally:
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
