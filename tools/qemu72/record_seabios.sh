#!/usr/bin/env bash
# Records SeaBIOS's boot on QEMU 7.2 (Debian's qemu-system-x86 1:7.2, seabios 1.16.2) into
# tests/seabios/qemu72/: M-debugcon.log (isa-debugcon at 0x402) and M-serial.out (QEMU's stdout:
# SeaBIOS's screen on the serial port with -nographic). QEMU's own stderr is dropped. Each run ends by
# itself (-boot reboot-timeout=0 + -no-reboot). Usage: tools/qemu72/record_seabios.sh [M...]
# (default: every machine the SeabiosBootIT compares).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
out="$root/tests/seabios/qemu72"
qemu-system-x86_64 --version | head -1 | grep -q 'version 7\.2' || { echo "record_seabios: needs QEMU 7.2" >&2; exit 1; }
machines=("$@")
[ ${#machines[@]} -gt 0 ] || machines=(pc q35 pc-i440fx-1.4 pc-q35-2.4 isapc-biosbin)
for m in "${machines[@]}"; do
  extra=()
  name="$m"
  if [ "$m" = isapc-biosbin ]; then m=isapc; extra=(-bios /usr/share/seabios/bios.bin); fi
  rm -f "$out/$name-debugcon.log"
  qemu-system-x86_64 -M "$m" "${extra[@]}" -nodefaults -nographic -serial stdio -no-reboot \
    -chardev "file,id=d,path=$out/$name-debugcon.log" -device isa-debugcon,iobase=0x402,chardev=d \
    -boot reboot-timeout=0 </dev/null >"$out/$name-serial.out" 2>/dev/null
  echo "recorded $name"
done
