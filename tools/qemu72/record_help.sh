#!/usr/bin/env bash
# Records what QEMU 7.2's listing options print (stdout only), as references for the tests:
#   tests/qemu72/object-help.txt   qemu-system-x86_64 -object help
#   tests/qemu72/vga-help.txt      qemu-system-x86_64 -vga help
#   tests/qemu72/cpu-help.txt      qemu-system-x86_64 -cpu help (also read by tools/gen_cpu_expansion.py for
#                                  the versions' notes and the descriptions of base, host and max)
#   tests/qemu72/audiodev-help.txt qemu-system-x86_64 -audiodev help (stderr, where it says which of the
#                                  macOS/Windows driver modules it did not find, is left out)
# Run on a machine with Debian's qemu-system-x86 7.2 installed: tools/qemu72/record_help.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
qemu="${QEMU:-qemu-system-x86_64}"
"$qemu" -version | head -1 | grep -q "version 7\.2" || { echo "record_help: $qemu is not QEMU 7.2" >&2; exit 1; }
"$qemu" -object help > "$root/tests/qemu72/object-help.txt"
"$qemu" -vga help > "$root/tests/qemu72/vga-help.txt"
"$qemu" -cpu help > "$root/tests/qemu72/cpu-help.txt"
"$qemu" -audiodev help 2>/dev/null > "$root/tests/qemu72/audiodev-help.txt"
echo "record_help: wrote tests/qemu72/object-help.txt, vga-help.txt, cpu-help.txt and audiodev-help.txt"
