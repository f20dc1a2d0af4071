#!/usr/bin/env bash
# Installs effektspor with its test tools in .venv and runs the whole test suite.
# PostgreSQL tests run when EFFEKTSPOR_TEST_DATABASE_URL is set; otherwise they are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# -n auto: one worker per core (pytest-xdist); each test has its own project, database and port.
.venv/bin/python -m pytest -n auto "$@"
