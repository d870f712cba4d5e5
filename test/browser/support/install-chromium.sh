#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests and `npm run screenshots`, non-interactively.
# Run by test/browser/support/chromium.ts only when /usr/bin/chromium is missing (a fresh CI
# machine). Tries the package lists the machine has first; when that fails (a fresh image has
# none), refreshes them once and tries again. Needs root, or sudo that asks no password.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if ! command -v apt-get >/dev/null; then
  echo "install-chromium: apt-get not found: this is not a Debian-like machine; install Chromium at /usr/bin/chromium by hand" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "install-chromium: not root and sudo needs a password: run 'sudo apt-get install -y chromium' once, then again" >&2
    exit 1
  fi
fi

install() { "${as_root[@]}" apt-get install -y -q chromium; }

if ! install; then
  echo "install-chromium: install failed; refreshing the package lists (apt-get update) and trying again" >&2
  "${as_root[@]}" apt-get update -q
  install
fi
