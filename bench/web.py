#!/usr/bin/env python3
"""Warm response time of the search page, over loopback, for the judged queries.

    .venv/bin/python bench/web.py [--rounds N]

Starts the page on a free port of 127.0.0.1 in this process, asks for each
judged query's page once to warm it, then times N rounds of whole HTTP
requests (urllib) and prints p50 and p95 for the page and for /api/search.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from fasearch.indexing import build_index  # noqa: E402
from fasearch.web import create_app  # noqa: E402


logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request


def timed(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return time.perf_counter() - start


def main() -> int:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    queries = [q["query"] for q in json.loads((ROOT / "tests/data/relevance.json").read_text())["queries"]]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(ROOT / "corpus", Path(tmp) / "index")
        httpd = make_server("127.0.0.1", 0, create_app(Path(tmp) / "index"), threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_port}"
        for path in ("/", "/api/search"):
            urls = [f"{base}{path}?{urllib.parse.urlencode({'q': q})}" for q in queries]
            for url in urls:
                timed(url)  # warm
            times = sorted(timed(url) for _ in range(rounds) for url in urls)
            p50, p95 = times[len(times) // 2] * 1000, times[round(0.95 * (len(times) - 1))] * 1000
            print(f"{path:12} {len(times)} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
