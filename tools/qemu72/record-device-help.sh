#!/bin/sh
# Records what QEMU 7.2 says to `-device help` and to `-device T,help` for every type it lists, for the tests
# that compare Machina's device help with QEMU's and for tools/gen_device_types.py (which takes the properties
# of the types QMP cannot introspect, e.g. virtio-vga-gl, from here).
#
#   tools/qemu72/record-device-help.sh        # from the repository root; needs qemu-system-x86_64 7.2
#
# Writes tests/qemu72/device-help.txt (the list) and tests/qemu72/device-type-help.txt: for each type, a line
# "=== T" and then QEMU's output of `qemu-system-x86_64 -nodefaults -machine none -device T,help`, unchanged.
set -eu
QEMU=${QEMU:-qemu-system-x86_64}
OUT=tests/qemu72
"$QEMU" -nodefaults -machine none -device help > "$OUT/device-help.txt"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  echo "# $("$QEMU" --version | head -1): -device T,help for every type of -device help (tools/qemu72/record-device-help.sh)"
  sed -n 's/^name "\([^"]*\)".*/\1/p' "$OUT/device-help.txt" | sort | while read -r t; do
    echo "=== $t"
    "$QEMU" -nodefaults -machine none -device "$t,help" 2>&1 || true
  done
} > "$tmp"
mv "$tmp" "$OUT/device-type-help.txt"
echo "$(grep -c '^=== ' "$OUT/device-type-help.txt") types in $OUT/device-type-help.txt"
