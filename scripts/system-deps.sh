#!/usr/bin/env bash
# Installs the Debian packages Homeward needs that a fresh machine may lack:
# ICU headers (to build PyICU for the names layer), Pango and DejaVu fonts (PDF
# documents with Cyrillic), Chromium (the browser tests drive it headless at
# /usr/bin/chromium) and poppler-utils (tests read the text of the list PDFs with
# pdftotext).  Does nothing when they are all present.
set -euo pipefail

needed=(libicu-dev pkg-config libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium poppler-utils)
missing=()
for pkg in "${needed[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
