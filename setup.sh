#!/bin/sh
# Set up on a fresh clone: .venv with the pinned dependencies, the index, a sample search.
# Usage: ./setup.sh [--test]   (--test also installs the test tools)
set -eu
cd "$(dirname "$0")"

if [ ! -x .venv/bin/python ]; then
    # .python-version selects 3.12 under pyenv; otherwise take the first Python >= 3.12.
    for candidate in python3.12 python3.13 python3.14 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            PYTHON=$candidate
            break
        fi
    done
    if [ -z "${PYTHON:-}" ]; then
        echo "Error: Python 3.12 or newer is needed (hazm 0.12 requires it)" >&2
        exit 1
    fi
    "$PYTHON" -m venv .venv
fi

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$extras"

if [ "${1:-}" != "--test" ]; then
    # Build or update the index (nothing to do when it is up to date), then search.
    .venv/bin/python indexer.py
    .venv/bin/python search.py "کارگران نفت" --limit 3
fi
