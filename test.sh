#!/bin/sh
# Run the whole test suite (sets up .venv first when needed).
set -eu
cd "$(dirname "$0")"
./setup.sh --test
exec .venv/bin/python -m pytest "$@"
