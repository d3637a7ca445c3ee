#!/bin/sh
# System packages the browser test of the report needs (python_tests/test_report_browser.py):
# Debian's Chromium and a CJK font, so Chinese renders. Idempotent: does nothing when both are
# installed. Exits 0 with a message when installing is impossible here (no apt-get, not root
# and no password-less sudo) - the browser test then skips and says why; exits 1 when the
# installation was possible but failed, so CI (root on a fresh Debian) never skips silently.
set -u
PACKAGES="chromium fonts-noto-cjk"

have_browser() { command -v chromium >/dev/null 2>&1 || [ -n "${HOTLINE_CHROMIUM:-}" ]; }
have_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }

if have_browser && have_font; then
    echo "setup-system: Chromium and a CJK font are installed"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: no apt-get here; install Chromium and a CJK font yourself" \
         "(or set HOTLINE_CHROMIUM); the browser test will be skipped"
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "setup-system: not root and no password-less sudo: cannot install $PACKAGES;" \
         "the browser test will be skipped (run 'make setup-system' as root)"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "setup-system: installing $PACKAGES"
# a fresh machine has empty package lists: update only when the install cannot find them
if ! $SUDO apt-get install -y -qq --no-install-recommends $PACKAGES; then
    $SUDO apt-get update -qq && \
        $SUDO apt-get install -y -qq --no-install-recommends $PACKAGES || {
        echo "setup-system: apt-get install $PACKAGES failed" >&2
        exit 1
    }
fi
have_browser && have_font || { echo "setup-system: still no Chromium or CJK font" >&2; exit 1; }
echo "setup-system: Chromium and a CJK font are installed"
