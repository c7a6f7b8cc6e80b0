#!/usr/bin/env python3
"""Search the Persian index: ``fasearch search`` (and ``--serve``, ``--list``)
from the project folder.

    python search.py کارگر
    python search.py "هفت تپه" --section خانواده --full
    python search.py --json - < queries.txt
"""

from __future__ import annotations

import sys

from fasearch.serve.cli import run
from fasearch.serve.search_command import main, parser  # noqa: F401  # parser: the documented options

if __name__ == "__main__":
    sys.exit(run(main, None))
