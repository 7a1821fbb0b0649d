#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (test/render/html-report.test.ts),
# which drives it with playwright-core. Playwright's own browser download is not used:
# it fetches a prebuilt build from outside the package registries, which CI cannot
# reach. Idempotent: does nothing when /usr/bin/chromium already runs.
# CI runs as root; elsewhere it uses sudo when there is one.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ] && "$CHROMIUM" --headless --no-sandbox --version >/dev/null 2>&1; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "setup-chromium: $CHROMIUM is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

if ! "$CHROMIUM" --headless --no-sandbox --version >/dev/null 2>&1; then
  echo "setup-chromium: installed, but $CHROMIUM does not start" >&2
  exit 1
fi
echo "chromium: $("$CHROMIUM" --version 2>/dev/null)"
