"""``python -m fasearch index|search|serve|list``: the ``fasearch`` command
(:mod:`fasearch.serve.commands`) where the console script is not on PATH."""

from __future__ import annotations

import sys

from .serve.commands import main

if __name__ == "__main__":
    sys.exit(main())
