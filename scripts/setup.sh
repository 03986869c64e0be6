#!/usr/bin/env bash
# Install what trawl needs from Debian's packages (only what is missing),
# then configure and build into build/. Run from anywhere; as root, or as
# a user with sudo.
#   bash scripts/setup.sh            build dependencies, then build
#   bash scripts/setup.sh --tests    also what the tests drive: tmux (the
#                                    REPL's terminal tests), Chromium and
#                                    fonts (the HTML report test), poppler
# Other arguments are passed to cmake (e.g. -DTRAWL_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake pkg-config liblua5.4-dev libpcre2-dev
  libsqlite3-dev sqlite3 libutf8proc-dev libjansson-dev libxxhash-dev
  libedit-dev libcmocka-dev lua-unit)
TEST_PACKAGES=(tmux chromium fonts-dejavu-core poppler-utils)

cmake_args=()
for a in "$@"; do
  if [ "$a" = "--tests" ]; then PACKAGES+=("${TEST_PACKAGES[@]}")
  else cmake_args+=("$a"); fi
done

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cmake_args[@]}" >/dev/null
cmake --build build -j"$(nproc)"
