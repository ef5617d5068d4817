#!/usr/bin/env bash
# PDF exports (reports for the BIP) go through LibreOffice headless (`soffice --convert-to pdf`). Install Debian's
# writer-only, GUI-less package when it is missing and we may (root): about half a minute on Debian 12, measured.
# With CI=true a LibreOffice still missing afterwards is an error (exit 1), so CI fails instead of skipping the PDF tests.
set -eu
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's libreoffice-writer-nogui for the PDF exports…"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null && \
     apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-dejavu-core >/dev/null && \
     command -v soffice >/dev/null 2>&1; then
    exit 0
  fi
  echo "installing libreoffice-writer-nogui failed." >&2
fi
echo "LibreOffice is missing: install Debian's 'libreoffice-writer-nogui' package for the PDF exports and their tests." >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
exit 0
