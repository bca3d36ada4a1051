# Sourced by ./run and ./test: make .venv and install nengji into it (editable) when needed.
# Only Python 3.11+ must be present. Re-installs when pyproject.toml changes.
set -euo pipefail
NENGJI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
extras="${NENGJI_EXTRAS:-}"
venv="$NENGJI_ROOT/.venv"
if [ ! -x "$venv/bin/python" ]; then
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "nengji needs Python 3.11 or newer (found $("$PYTHON" --version))" >&2; exit 1; }
  echo "Creating $venv ..."
  "$PYTHON" -m venv "$venv"
fi
spec="."
[ -n "$extras" ] && spec=".[$extras]"
stamp="$venv/.nengji-installed-$(echo "$extras" | tr -c 'a-z' '_')"
want="$(sha256sum "$NENGJI_ROOT/pyproject.toml" | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing nengji${extras:+ with [$extras]} into .venv (first run takes a minute) ..."
  "$venv/bin/python" -m pip install --disable-pip-version-check -e "$NENGJI_ROOT$([ -n "$extras" ] && echo "[$extras]")" \
    > "$venv/pip-install.log" 2>&1 \
    || { tail -40 "$venv/pip-install.log" >&2; echo "pip install failed (full log: $venv/pip-install.log)" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
export PATH="$venv/bin:$PATH"
