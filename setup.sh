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

extras="" flag=base
[ "${1:-}" = "--test" ] && extras="[test]" flag=test
# pip takes ~12 s even when nothing is missing, so install only when pyproject.toml
# changed since the last install: .venv/.setup-stamp holds its hash and the extras
# installed ("test" covers the plain install too). Delete the stamp to force it.
stamp=.venv/.setup-stamp
hash=$(.venv/bin/python -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
installed=$(cat "$stamp" 2>/dev/null || true)
if [ "$installed" != "$hash $flag" ] && [ "$installed" != "$hash test" ]; then
    rm -f "$stamp"  # a failed install must not look like a finished one
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$extras"
    echo "$hash $flag" > "$stamp"
fi

if [ "${1:-}" != "--test" ]; then
    # Build or update the index (nothing to do when it is up to date), then search.
    .venv/bin/python indexer.py
    .venv/bin/python search.py "کارگران نفت" --limit 3
fi
