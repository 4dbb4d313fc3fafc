#!/usr/bin/env bash
# The README's first command: sets up a virtualenv with the bot (once), then starts the local
# sandbox — emulated Telegram, the real bot and a web chat on http://127.0.0.1:8080.
# Extra arguments go to `rangkul sandbox` (e.g. --port 9000, --database demo.sqlite3, --no-demo).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${RANGKUL_VENV:-.venv}"
if [ ! -x "$venv/bin/rangkul" ] || [ pyproject.toml -nt "$venv/bin/rangkul" ] \
  || [ setup.py -nt "$venv/bin/rangkul" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e '.[sandbox]'
fi
exec "$venv/bin/rangkul" sandbox "$@"
