"""What the benchmarks share: whole-process timings and warm batch latencies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run_once(argv: list[str], ok=(0, 1)) -> tuple[float, float]:
    """Wall seconds and peak resident MB (from the kernel) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"failed: {' '.join(argv)}: {process.stderr.read()}")
    return elapsed, usage.ru_maxrss / 1024


def batch_latencies(index: Path, queries: list[str]) -> list[float]:
    """Seconds per query of one `search.py --json -` process, after a warm pass."""
    process = subprocess.Popen([PYTHON, "search.py", "--json", "-", "--index", str(index)], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    latencies = []
    for i, query in enumerate(queries * 2):  # the first pass warms caches
        start = time.perf_counter()
        process.stdin.write(query + "\n")
        process.stdin.flush()
        json.loads(process.stdout.readline())
        if i >= len(queries):
            latencies.append(time.perf_counter() - start)
    process.stdin.close()
    process.wait()
    return latencies


def percentile_ms(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))] * 1000


def judged_queries() -> list[str]:
    return [q["query"] for q in json.loads((ROOT / "tests/data/relevance.json").read_text("utf-8"))["queries"]]
