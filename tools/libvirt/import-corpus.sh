#!/bin/sh
# Import libvirt 9.0.0's generated x86_64 QEMU command lines (tests/qemuxml2argvdata/*.x86_64-latest.args,
# what Debian 12 ships as libvirt 9.0.0-4+deb12u2) into tests/libvirt/9.0.0/, unchanged, with a SOURCES line
# for each file. Uses apt-get source with a private sources list and state directory (nothing under /etc/apt
# is touched): the deb-src entry is the one below. Needs apt-get and dpkg-source (dpkg-dev).
#
#   tools/libvirt/import-corpus.sh            # from the repository root
set -eu
VERSION=9.0.0-4+deb12u2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/tests/libvirt/9.0.0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/lists/partial" "$WORK/cache/archives/partial"
cat > "$WORK/sources.list" <<SRC
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian-security bookworm-security main
SRC
APT="-o Dir::Etc::SourceList=$WORK/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$WORK/lists -o Dir::Cache=$WORK/cache -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get -q $APT update >/dev/null
cd "$WORK"
# shellcheck disable=SC2086
apt-get -q $APT source --download-only "libvirt=$VERSION" >/dev/null
dpkg-source -q -x --no-check "libvirt_$VERSION.dsc" src >/dev/null
# which files Debian's patches add or change (the rest are libvirt-9.0.0's own)
PATCHED=$(cat src/debian/patches/series | sed 's/#.*//' | while read -r p; do
  [ -n "$p" ] && sed -n 's|^+++ b/tests/qemuxml2argvdata/\(.*\.x86_64-latest\.args\)$|\1 '"$p"'|p' "src/debian/patches/$p"
done)
rm -rf "$OUT"
mkdir -p "$OUT"
{
  echo "# name origin — file tests/qemuxml2argvdata/NAME.x86_64-latest.args of libvirt $VERSION's Debian source"
  echo "# (apt-get source libvirt=$VERSION; orig tarball = upstream libvirt-9.0.0, https://libvirt.org/sources/)."
  echo "# origin 'libvirt-9.0.0': upstream's file; 'debian-patch:P': added or changed by Debian's patch P."
  echo "# Imported by tools/libvirt/import-corpus.sh."
  for f in src/tests/qemuxml2argvdata/*.x86_64-latest.args; do
    b=$(basename "$f")
    cp "$f" "$OUT/$b"
    p=$(printf '%s\n' "$PATCHED" | awk -v b="$b" '$1 == b { print $2; exit }')
    if [ -n "$p" ]; then echo "${b%.x86_64-latest.args} debian-patch:$p"; else echo "${b%.x86_64-latest.args} libvirt-9.0.0"; fi
  done
} > "$OUT/SOURCES"
echo "$(ls "$OUT"/*.args | wc -l) files in $OUT"
