#!/bin/sh
# Installs the Debian packages Sen needs to build and test, when they are missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -eu

PKGS="gcc make meson ninja-build pkg-config python3 clang-14 libclang-rt-14-dev \
libssl-dev libyaml-dev libcjson-dev libcmocka-dev tshark \
libnghttp2-dev curl python3-h2 libsqlite3-dev libpq-dev postgresql libusrsctp-dev libsctp-dev \
iproute2 iputils-ping"

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing Debian packages:$missing" >&2
  echo "deps.sh: run as root: apt-get update && DEBIAN_FRONTEND=noninteractive $cmd" >&2
  exit 1
fi
echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; refresh them once if the install fails.
$cmd >/dev/null 2>&1 || { apt-get update -q >/dev/null && $cmd; }
