#!/usr/bin/env bash
# Installs the headless browser that tests/test_reports_browser.py drives: Debian's chromium and chromium-driver.
# Idempotent: does nothing when both are present. Needs root (apt-get); without it, says what is missing and exits 0
# so that a developer's `make test` still runs (the browser test then skips outside CI and fails inside it).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-browser: chromium and chromedriver already installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser: missing ${missing[*]}; not root, so not installing (run: sudo apt-get install -y chromium chromium-driver)"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: missing ${missing[*]} and no apt-get on this machine; install them by hand"
    exit 0
fi

echo "install-browser: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
echo "install-browser: installed $(chromium --version 2>/dev/null || echo chromium) and $(chromedriver --version 2>/dev/null | head -1)"
