#!/bin/sh
# Records what QEMU 7.2 prints on stderr when it starts each PC machine type, into
# tests/runtime/qemu72/deprecation-warnings.txt: one line per type, "TYPE<TAB>STDERR" (stderr's lines
# joined with " | ", the program name left as QEMU prints it; empty when it prints nothing).
# Usage: tools/qemu72/record_deprecation.sh
set -e
out=$(dirname "$0")/../../tests/runtime/qemu72/deprecation-warnings.txt
qemu-system-x86_64 --version | grep -q "version 7\.2" || { echo "needs QEMU 7.2" >&2; exit 1; }
: > "$out"
for m in $(qemu-system-x86_64 -machine help | awk 'NR > 1 && $1 ~ /^pc-/ {print $1}'); do
    err=$( (echo '{"execute":"qmp_capabilities"}'; echo '{"execute":"quit"}') |
        qemu-system-x86_64 -M "$m" -nodefaults -display none -S -accel tcg -qmp stdio 2>&1 >/dev/null | paste -sd'|' | sed 's/|/ | /g')
    printf '%s\t%s\n' "$m" "$err" >> "$out"
done
