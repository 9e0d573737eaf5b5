#!/usr/bin/env bash
# Install the Debian packages docgen needs, only those missing, and the fontconfig aliases.
# Usage: scripts/install-system.sh runtime|test|bench
# Idempotent: a second run checks with dpkg-query and installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=(texlive-lang-chinese fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig python3-venv)
test_only=(libreoffice-writer-nogui poppler-utils chromium)  # chromium: tests/test_web.py (docgen serve)
# benchmarks/batch_notices.py drives a warm LibreOffice through unoserver, whose server needs LibreOffice's
# Python bridge (`import uno`) in Debian's Python, and that Python's venv module to make .venv-uno
bench_only=(python3-uno python3-venv)
wanted=("${runtime[@]}")
case "${1:-runtime}" in
  test) wanted+=("${test_only[@]}") ;;
  bench) wanted+=("${test_only[@]}" "${bench_only[@]}") ;;
esac

# A Python that is not Debian's (pyenv, a venv) brings its own venv module: skip python3-venv then
# (not for bench: .venv-uno is made with Debian's /usr/bin/python3).
if [ "${1:-runtime}" != bench ] && python3 -c 'import ensurepip, venv' 2>/dev/null; then
  wanted=("${wanted[@]/python3-venv}")
fi

missing=()
for pkg in "${wanted[@]}"; do
  [ -z "$pkg" ] && continue
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "docgen set-up needs root for: $*" >&2; exit 1
  fi
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

conf=/etc/fonts/conf.d/65-docgen.conf
if ! cmp -s system/fontconfig-docgen.conf "$conf"; then
  echo "installing fontconfig aliases for the office font names: $conf"
  as_root install -m 0644 system/fontconfig-docgen.conf "$conf"
  as_root fc-cache -f >/dev/null
fi
