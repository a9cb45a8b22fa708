#!/bin/sh
# Install the external SPARQL engines the remote-store tests start (tests/engines.py):
#   * OpenLink Virtuoso 7 from Debian (package `virtuoso-opensource`, binaries
#     /usr/bin/virtuoso-t and /usr/bin/isql-vt);
#   * Oxigraph server comes from PyPI (`oxigraph`, in the project's [test] extras): this
#     script only checks that the venv has it.
# The tests configure and start both themselves, on loopback, with temporary databases; the
# system-wide Virtuoso service this package ships is never started (policy-rc.d / no init in
# CI containers) nor used.
#
# Usage (as root, or with sudo available):  sh .ci/engines.sh [path/to/venv/bin/python]
set -eu

PY="${1:-.venv/bin/python}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
# The package asks for the system database's DBA password through debconf. With the
# noninteractive frontend it takes the empty answer and keeps the package default; that
# database is never started nor used by the tests (tested on Debian 12, package 7.2.5.1).

if ! command -v virtuoso-t >/dev/null 2>&1; then
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        virtuoso-opensource
fi
# A package-started system service (on hosts with a real init) would hold ports 1111/8890;
# the tests use free ports, so it does no harm, but stop it to save memory.
$SUDO service virtuoso-opensource-7 stop >/dev/null 2>&1 || true

virtuoso-t +help 2>&1 | head -n 1 || true
command -v isql-vt
if [ -x "$PY" ]; then
    "$(dirname "$PY")/oxigraph" --version
else
    echo "note: $PY not found; install the project with .[test] to get the oxigraph server" >&2
fi
