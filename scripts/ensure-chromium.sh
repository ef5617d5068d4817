#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when it is missing and we may (root); otherwise say how.
# With CI=true a Chromium that is still missing afterwards is an error (exit 1), so CI fails instead of skipping.
set -eu
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null && \
     apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null && \
     command -v chromium >/dev/null 2>&1; then
    exit 0
  fi
  echo "installing chromium failed." >&2
fi
echo "chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium) for the browser tests." >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
exit 0
