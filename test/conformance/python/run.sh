#!/usr/bin/env bash
# Runs the Python SDK (livekit-api) conformance suite against a running server.
#
#   LK_TEST_SERVER_URL=http://127.0.0.1:9999 [LK_TEST_SERVER_TARGET=ours|original] \
#     test/conformance/python/run.sh [pytest args...]
#
# The virtualenv lives in <repo>/.cache/python-venv and is rebuilt only when
# requirements.txt (or the interpreter) changes. Exits with pytest's status, except
# that "no tests collected" (pytest exit 5) is a failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
venv="$repo/.cache/python-venv"
stamp="$venv/.requirements-stamp"
python="${PYTHON:-python3}"

want="$(
  {
    "$python" -c 'import sys; print(sys.version)'
    cat "$here/requirements.txt"
  } | sha256sum | cut -d' ' -f1
)"

if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "run.sh: creating virtualenv in $venv" >&2
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements.txt"
  echo "$want" >"$stamp"
fi

cd "$here"
export PYTHONDONTWRITEBYTECODE=1
status=0
"$venv/bin/python" -m pytest -q "$@" || status=$?
if [[ $status -eq 5 ]]; then
  echo "run.sh: pytest collected no tests; treating as a failure" >&2
  exit 1
fi
exit "$status"
