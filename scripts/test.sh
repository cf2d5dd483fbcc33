#!/usr/bin/env bash
# The one test command (README and CI share it): venv + dev deps, ruff, mypy, pytest (Qt offscreen).
# Extra arguments go to pytest, e.g. `./scripts/test.sh tests/core -x`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
VENV=.venv
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

section() { printf '\n==== %s ====\n' "$*"; }

section "Python environment ($VENV)"
quiet=--quiet
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "creating $VENV with $("$PYTHON" -V 2>&1); the first install takes a few minutes"
    "$PYTHON" -m venv "$VENV"
    quiet=""  # first install: show pip's progress
fi
"$VENV/bin/python" -V
"$VENV/bin/python" -m pip install $quiet -e '.[dev]'

section "ruff check"
"$VENV/bin/ruff" check .

section "mypy (strict on app.core)"
"$VENV/bin/mypy"

section "pytest (QT_QPA_PLATFORM=offscreen)"
QT_QPA_PLATFORM=offscreen "$VENV/bin/pytest" -q "$@"

section "all checks passed"
