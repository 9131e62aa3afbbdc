#!/usr/bin/env bash
# Creates (or refreshes) the shared virtualenv in <repo>/.cache/python-venv with requirements.txt,
# and prints the path of its python. The venv is rebuilt only when requirements.txt (or the
# interpreter) changes. Used by run.sh and by the webhook receiver tests.
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

# One at a time: test files that run at once would otherwise remove and rebuild the venv under
# each other.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9

if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "ensure-venv.sh: creating virtualenv in $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements.txt" >&2
  echo "$want" >"$stamp"
fi
echo "$venv/bin/python"
