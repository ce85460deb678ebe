#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (playwright-core, no downloaded browser).
# Installs it when missing; CHROMIUM_PATH points elsewhere if you have another build.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "Chromium not found at $CHROMIUM: installing Debian's chromium package"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends chromium || {
  $SUDO apt-get update -q
  $SUDO apt-get install -y --no-install-recommends chromium
}
