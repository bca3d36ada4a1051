# Sourced by ./run and ./test: the system packages nengji uses beyond Python.
#   fonts-noto-cjk        CJK glyphs for charts and PDF reports
#   libpango-1.0-0 etc.   text layout for WeasyPrint (PDF reports)
#   chromium              only for the browser tests (./test)
# Installed with apt when running as root; otherwise we say what is missing and how to get it.
nengji_system_deps() {
  local want=("$@") missing=() pkg
  for pkg in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]} (waits up to 5 minutes if another apt is running) ..."
    # DPkg::Lock::Timeout: wait for an unattended upgrade or another install instead of failing
    local log
    log="$(mktemp)"
    if apt-get -o DPkg::Lock::Timeout=300 update -qq >"$log" 2>&1 \
      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >>"$log" 2>&1; then
      rm -f "$log"
      return 0
    fi
    tail -5 "$log" >&2
    rm -f "$log"
  fi
  echo "Missing system packages: ${missing[*]}" >&2
  echo "  Install them with: sudo apt-get install ${missing[*]}" >&2
  echo "  Until then: PDF reports fail (WeasyPrint needs pango) and Chinese text in charts and PDFs" >&2
  echo "  shows as boxes (fonts-noto-cjk). Everything else works." >&2
  return 1
}
