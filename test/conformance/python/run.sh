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
python="$("$here/ensure-venv.sh")"

cd "$here"
export PYTHONDONTWRITEBYTECODE=1
status=0
"$python" -m pytest -q "$@" || status=$?
if [[ $status -eq 5 ]]; then
  echo "run.sh: pytest collected no tests; treating as a failure" >&2
  exit 1
fi
exit "$status"
