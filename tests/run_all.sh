#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine with Python 3.11, then runs them
# all: ruff (lint + format check), mypy on the core, and pytest (unit, scenario, AppTest,
# real-browser, deployment (nginx) and benchmark-harness tests).
# Usage, from the project root:  bash tests/run_all.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser)
# and Debian's nginx for the deployment tests (tests/deploy runs it as its own process with a
# generated config on loopback ports; the system nginx service is never started).
MISSING=""
[ -x /usr/bin/chromium ] || MISSING="$MISSING chromium"
[ -x /usr/sbin/nginx ] || MISSING="$MISSING nginx"
if [ -n "$MISSING" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # A policy-rc.d that exits 101 keeps the package from starting the nginx service it installs
  # (only ours is removed afterwards; an existing one, as in container images, is left alone).
  OWN_POLICY=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    OWN_POLICY=1
  fi
  # shellcheck disable=SC2086  # $MISSING is a list of package names
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
  [ -z "$OWN_POLICY" ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r tests/requirements.txt -c constraints.txt

echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy (core)"; .venv/bin/mypy
echo "== pytest"; .venv/bin/python -m pytest "$@"
