#!/bin/sh
# Installs the Debian packages quotient needs to build and test, only those
# missing (a fresh Debian 12 machine, as root).  Idempotent.
set -eu
# locales and tzdata: tests/e2e_determinism.c runs quotient under another
# locale and other time zones (below).
PKGS="gcc make cmake pkg-config libglib2.0-dev libgmp-dev libcjson-dev libcmocka-dev libssl-dev"
PKGS="$PKGS locales tzdata"
# The PostgreSQL back end: libpq to build; a server for its tests, which
# start private ones of their own (tests/pg/with_postgres.sh).
PKGS="$PKGS libpq-dev postgresql"
# The statement JSON's schema (docs/statement.schema.json) is checked by a
# validator someone else keeps (docs/dependencies.md).
PKGS="$PKGS python3-jsonschema"
# The HTML report's pages are opened in a real browser by the tests
# (tests/e2e_report.c: headless, --dump-dom).
PKGS="$PKGS chromium"
# Multi-buffer SHA-256 for the statements (docs/dependencies.md): Debian
# builds it for amd64 only; elsewhere quotient hashes with libcrypto alone.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  PKGS="$PKGS libipsec-mb-dev"
fi
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

# The determinism test's second locale: a decimal comma and a collation
# unlike C's.  Enabled in /etc/locale.gen (so later locale-gen runs keep it)
# and generated only when `locale -a` does not list it yet.
if ! locale -a 2>/dev/null | grep -qix "de_DE.utf-\{0,1\}8"; then
  echo "quotient: generating the de_DE.UTF-8 locale"
  if grep -q "^# *de_DE\.UTF-8 UTF-8" /etc/locale.gen; then
    sed -i "s/^# *\(de_DE\.UTF-8 UTF-8\)/\1/" /etc/locale.gen
  elif ! grep -q "^de_DE\.UTF-8 UTF-8" /etc/locale.gen; then
    echo "de_DE.UTF-8 UTF-8" >>/etc/locale.gen
  fi
  locale-gen >/dev/null
fi
