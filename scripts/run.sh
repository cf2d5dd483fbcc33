#!/usr/bin/env bash
# Run PolicyDesk from the source checkout: no arguments opens the desktop app on the shipped corpus;
# arguments go to the CLI, e.g. `./scripts/run.sh search 碳达峰`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
VENV=.venv
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

quiet=--quiet
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "正在创建虚拟环境 / creating $VENV …" >&2
    "$PYTHON" -m venv "$VENV"
    quiet=""  # the first install downloads ~200 MB: show pip's progress
fi
# Install (or refresh) only when the package is missing or pyproject.toml changed since the last install.
stamp="$VENV/.policydesk-installed"
if [[ ! -x "$VENV/bin/policydesk" || ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
    echo "正在安装依赖（首次约需几分钟）/ installing dependencies (a few minutes the first time) …" >&2
    "$VENV/bin/python" -m pip install $quiet -e . >&2
    touch "$stamp"
fi
exec "$VENV/bin/policydesk" "$@"
