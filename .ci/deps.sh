#!/bin/sh
# Installs the Debian packages quotient needs to build and test, only those
# missing (a fresh Debian 12 machine, as root).  Idempotent.
set -eu
PKGS="gcc make cmake pkg-config libglib2.0-dev libgmp-dev libcjson-dev libcmocka-dev libssl-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "quotient: installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
