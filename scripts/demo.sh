#!/usr/bin/env bash
# Installs effektspor in .venv and runs the whole analysis on built-in synthetic data.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/effektspor demo "$@"
