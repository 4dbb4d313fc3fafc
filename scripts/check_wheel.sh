#!/usr/bin/env bash
# Proves a built wheel runs on its own (scripts/test.sh calls this): the wheel is built,
# installed into a fresh virtualenv without extras, and run from a temporary directory, so
# nothing of the checkout is on its path; then `rangkul migrate` and one real `rangkul run`
# against the Bot API emulation, answering /start in Indonesian and in English.
#   bash scripts/check_wheel.sh [PYTHON]   PYTHON: the test virtualenv's (default .venv)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${1:-$root/.venv/bin/python}"
# Absolute (the check runs from a temporary directory), without resolving the venv's symlink.
python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Built from a copy of what the build reads: setuptools' build/ folder keeps files that were
# deleted since, which would then end up in the wheel (and in the checkout).
mkdir "$work/src"
cp -r "$root"/{pyproject.toml,setup.py,README.md,bot,data,locales} "$work/src/"
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$work/src"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$work/dist"/rangkul-*.whl

cd "$work"
unset PYTHONPATH
export DATABASE_PATH="$work/rangkul.sqlite3"
"$work/venv/bin/python" - <<'PY'
import importlib.util
import sys

import bot

assert bot.__file__.startswith(sys.prefix), f"bot imported from {bot.__file__}, not the wheel"
assert importlib.util.find_spec("aiohttp") is None, "aiohttp belongs to the sandbox extra only"
PY
"$work/venv/bin/rangkul" migrate
# Without the extra, the sandbox says in one line what to install.
status=0
"$work/venv/bin/rangkul" sandbox 2> "$work/sandbox.err" || status=$?
[ "$status" = 2 ] && grep -q "pip install 'rangkul\[sandbox\]'" "$work/sandbox.err" \
  || { echo "wheel check: rangkul sandbox without aiohttp: $(cat "$work/sandbox.err")"; exit 1; }
"$python" "$root/scripts/wheel_start.py" "$work/venv/bin/rangkul"
echo "wheel check: $(basename "$work"/dist/rangkul-*.whl) installs, migrates and answers"
