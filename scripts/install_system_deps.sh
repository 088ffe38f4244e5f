#!/usr/bin/env bash
# Debian packages the book needs: XeLaTeX (PDF), fonts (FreeSerif for Latin incl. ə ş ğ, Amiri for
# Arabic), poppler-utils (PDF checks), Chromium (HTML checks). Installs what is missing when it can
# (root or sudo); otherwise stops with the one command to run.
set -euo pipefail
PKGS=(python3-venv texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-lang-german
      texlive-lang-arabic latexmk fonts-freefont-otf fonts-hosny-amiri poppler-utils chromium make)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "system packages: all present"; exit 0; }
echo "system packages missing: ${missing[*]}"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else
  echo "ERROR: cannot install them without root. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
