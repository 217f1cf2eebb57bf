#!/usr/bin/env bash
# Usage: package_test.sh BUILD_DIR VERSION
# 1. cmake --install into a scratch prefix: every file where it belongs, the
#    unit naming the installed binary.
# 2. cpack -G DEB: the package's metadata and declared dependencies, which
#    apt resolves against this system's archive (a simulated install).
# 3. The package unpacked (dpkg -x) into a scratch root: the binaries run
#    from there (--version, a fleet set up and shown), the Python client
#    imports, the man pages render, bash completion completes, the postinst
#    creates the service user (run with stand-ins for adduser/getent).
set -euo pipefail
build=$1
version=$2
work=$(mktemp -d /tmp/cluster-sim-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "package_test: $*" >&2; exit 1; }
step() { echo "== $*"; }

check_files() {  # root, then paths relative to it
  local root=$1; shift
  for f in "$@"; do [ -f "$root/$f" ] || fail "missing $f under $root"; done
}

step "cmake --install into a scratch prefix"
cmake --install "$build" --prefix "$work/local" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install failed"; }
check_files "$work/local" bin/cluster-sim bin/cluster-power lib/python3/dist-packages/cluster_sim_remote.py \
  share/man/man1/cluster-sim.1.gz share/man/man1/cluster-power.1.gz \
  share/bash-completion/completions/cluster-sim share/bash-completion/completions/cluster-power \
  lib/systemd/system/cluster-sim@.service
grep -q "^ExecStart=$work/local/bin/cluster-sim --config /var/lib/cluster-sim/%i " "$work/local/lib/systemd/system/cluster-sim@.service" \
  || fail "the installed unit does not name the installed binary"

step "cpack -G DEB"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/out/*.deb)
[ "$(dpkg-deb -f "$deb" Package)" = cluster-sim ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version: $(dpkg-deb -f "$deb" Version)"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for dep in libc6 libstdc++6 libssl3 libsqlite3-0 adduser; do
  [[ $depends == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
apt-get install --simulate --no-install-recommends "$deb" > "$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt cannot install the package"; }
grep -q "^Inst cluster-sim" "$work/apt.log" || { cat "$work/apt.log"; fail "apt would not install cluster-sim"; }

step "unpacked into a scratch root"
root=$work/root
dpkg -x "$deb" "$root"
check_files "$root" usr/bin/cluster-sim usr/bin/cluster-power usr/lib/python3/dist-packages/cluster_sim_remote.py \
  usr/share/man/man1/cluster-sim.1.gz usr/share/man/man1/cluster-power.1.gz \
  usr/share/bash-completion/completions/cluster-sim usr/lib/systemd/system/cluster-sim@.service
unit=$root/usr/lib/systemd/system/cluster-sim@.service
grep -q "^ExecStart=/usr/bin/cluster-sim --config /var/lib/cluster-sim/%i " "$unit" || fail "unit ExecStart: $(grep ExecStart "$unit")"
grep -q "^User=cluster-sim" "$unit" || fail "the unit runs as root"
if command -v systemd-analyze > /dev/null; then
  # verify checks the unit's syntax and its man pages (found in the scratch
  # root); the binary it names exists only there, which is the one complaint allowed.
  MANPATH=$root/usr/share/man systemd-analyze verify "$unit" > "$work/verify.log" 2>&1 || true
  if grep -v "Command /usr/bin/cluster-sim is not executable" "$work/verify.log" | grep -q .; then
    cat "$work/verify.log"; fail "systemd-analyze verify complains about the unit"
  fi
fi

[ "$("$root/usr/bin/cluster-sim" --version)" = "cluster-sim $version" ] || fail "cluster-sim --version"
[ "$("$root/usr/bin/cluster-power" --version)" = "cluster-power $version" ] || fail "cluster-power --version"
"$root/usr/bin/cluster-sim" --config "$work/fleet" setup --server_count 2 --worker_count 0 > /dev/null
"$root/usr/bin/cluster-sim" --config "$work/fleet" status --json | python3 -c \
  'import json,sys; d=json.load(sys.stdin); sys.exit(0 if len(d["servers"]) == 2 else 1)' || fail "status of the packaged binary"
rc=0; "$root/usr/bin/cluster-power" --config "$work/fleet" --pdu-port-offset 27000 status pdus > /dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "cluster-power with no PDU listening should exit 1, not $rc"

PYTHONPATH=$root/usr/lib/python3/dist-packages python3 -c \
  'import cluster_sim_remote as c; assert hasattr(c, "SimulatorRemoteOperations")' || fail "python client import"

for page in cluster-sim cluster-power; do
  text=$(MANWIDTH=100 man -l "$root/usr/share/man/man1/$page.1.gz" 2> "$work/man.err" | col -b)
  [[ $text == *"EXIT STATUS"* && $text == *"--config"* ]] || fail "man page $page: $text"
done
[[ $(zcat "$root/usr/share/man/man1/cluster-sim.1.gz") == *"server_count"* ]] || fail "cluster-sim's man page lacks setup's options"

complete_words() {  # the completions bash offers for the words given (last one partial)
  PATH=$root/usr/bin:$PATH bash -c '
    complete() { :; }
    source "$0"
    COMP_WORDS=("${@}"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    _cluster_sim_complete
    echo "${COMPREPLY[*]}"' "$root/usr/share/bash-completion/completions/cluster-sim" "$@"
}
[ "$(complete_words cluster-power st)" = status ] || fail "completion of 'cluster-power st': $(complete_words cluster-power st)"
[ "$(complete_words cluster-power status p)" = pdus ] || fail "completion of 'status p'"
[[ " $(complete_words cluster-sim setup --server) " == *" --server_count "* ]] || fail "completion of setup --server"
[ "$(complete_words cluster-power server test000.localdomain o)" = "on off" ] || fail "completion of the action"

step "postinst creates the service user (stand-ins for getent/adduser)"
dpkg-deb -e "$deb" "$work/control"
mkdir "$work/bin"
printf '#!/bin/sh\nexit 2\n' > "$work/bin/getent"
printf '#!/bin/sh\necho "$@" > %s/adduser.args\n' "$work" > "$work/bin/adduser"
chmod +x "$work/bin/getent" "$work/bin/adduser"
PATH=$work/bin:$PATH sh "$work/control/postinst" configure
grep -q -- "--system --group --home /var/lib/cluster-sim" "$work/adduser.args" || fail "postinst adduser: $(cat "$work/adduser.args" 2>/dev/null)"
echo "package_test: ok ($(basename "$deb"))"
