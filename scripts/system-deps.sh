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
    echo "Installing system packages: ${missing[*]} ..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}  (PDF reports and charts need them)" >&2
  fi
}
