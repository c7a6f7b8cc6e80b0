#!/usr/bin/env python3
"""Build or update the search index: ``fasearch index`` from the project folder.

    python indexer.py                       # corpus/ -> index/, only what changed
    python indexer.py --rebuild             # analyse everything again
    python indexer.py --corpus other/ --index other-index/
    python indexer.py --engine tantivy      # the native engine, for large archives
"""

from __future__ import annotations

import sys

from fasearch.serve.cli import run
from fasearch.serve.index_command import main, parser  # noqa: F401  # parser: the documented options

if __name__ == "__main__":
    sys.exit(run(main, None))
