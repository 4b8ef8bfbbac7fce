#!/usr/bin/env bash
# The differential sweep of issue 11 item 1: every option of qemu-system-x86_64 7.2's -help (options.tsv: OPTION<TAB>a
# valid ARGUMENT, empty for a flag) in 5 cases -- -M pc OPT ARG, -M pc OPT ARG,nosuchkey=1, -M pc OPT '', -M microvm OPT
# ARG, -M isapc OPT ARG (a flag: pc, microvm, isapc) -- run on QEMU 7.2 and on `machina config write` of this checkout.
# Needs qemu-system-x86_64 7.2; Machina's tests never do (they read the recorded verdicts, tests/qemu72/option-sweep/).
#
#   tools/option-sweep/sweep.sh OUTDIR [SLICE/SLICES]      e.g. 1/3: every third case; JOBS=3 cases run at once
#   tools/option-sweep/sweep.sh --record                    rewrites tests/qemu72/option-sweep/qemu72.tsv (QEMU only)
#
# QEMU: `timeout $QEMU_TIMEOUT qemu-system-x86_64 ARGS -S -display none -nodefaults` (default 4 s): exit 1 is a refusal,
# anything else (124: still running) took the line. Machina: exit 0 of config write is acceptance. In the files an argument
# '' is an empty one, and @BIG (a 10 MiB raw image), @CFG (a -readconfig file) and @DIR (a directory) stand for the
# files the sweep makes for each case. Output: OUTDIR/results.tsv (case, QEMU's verdict, Machina's, the line, QEMU's first
# error line, Machina's) and OUTDIR/mismatches.tsv (where they differ).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
qemu=${QEMU:-qemu-system-x86_64}
machina="$root/tools/machina"
command -v "$qemu" >/dev/null || { echo "$0: $qemu is not installed" >&2; exit 2; }
record=0
if [ "${1:-}" = "--record" ]; then
  record=1; out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
else
  [ $# -ge 1 ] || { echo "usage: $0 OUTDIR [SLICE/SLICES] | $0 --record" >&2; exit 2; }
  out=$1; mkdir -p "$out"
fi
slice=${2:-1/1}; k=${slice%/*}; n=${slice#*/}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-4}
out="$(cd "$out" && pwd)"
printf '[device "s1"]\n  driver = "isa-serial"\n' > "$out/r.cfg"

# the cases, one a line: the arguments separated by single spaces, '' for an empty one
cases() {
  while IFS=$'\t' read -r opt arg; do
    [ -z "$opt" ] && continue
    if [ -n "$arg" ]; then
      printf '%s\n' "-M pc $opt $arg" "-M pc $opt $arg,nosuchkey=1" "-M pc $opt ''" "-M microvm $opt $arg" "-M isapc $opt $arg"
    else
      printf '%s\n' "-M pc $opt" "-M microvm $opt" "-M isapc $opt"
    fi
  done < "$here/options.tsv"
}

one() {  # one case: CASE-NUMBER LINE -> $out/r/CASE-NUMBER
  local i=$1 line=$2 a qrc mrc qv mv qerr merr w="$out/w$1"
  local args=()
  # files of its own (a disk image is locked by the QEMU using it, and cases run at once)
  rm -rf "$w"; mkdir -p "$w/dir"; truncate -s 10M "$w/big.img"
  for a in $line; do
    a=${a//@BIG/$w/big.img}; a=${a//@CFG/$out/r.cfg}; a=${a//@DIR/$w/dir}
    [ "$a" = "''" ] && a=""
    args+=("$a")
  done
  local extra=()
  # -daemonize: the daemon outlives the timeout; its pid file says which process to stop
  [[ " $line " = *" -daemonize "* ]] && extra=(-pidfile "$w/daemon.pid")
  (cd "$w" && timeout "${QEMU_TIMEOUT:-4}" "$qemu" "${args[@]}" "${extra[@]}" -S -display none -nodefaults </dev/null >q.out 2>q.err); qrc=$?
  [ -s "$w/daemon.pid" ] && kill "$(cat "$w/daemon.pid")" 2>/dev/null
  qv=$([ $qrc = 1 ] && echo refuse || echo accept)
  qerr=$(grep -v 'terminating on signal' "$w/q.err" | grep -v '^WARNING\|^         ' | head -1 | sed "s|$w/big.img|@BIG|g; s|$w/dir|@DIR|g; s|$out/r.cfg|@CFG|g" | cut -c1-300)
  if [ "$record" = 1 ]; then
    printf '%s\t%s\t%s\n' "$line" "$qv" "$qerr" > "$out/r/$i"
  else
    (cd "$w" && "$machina" config write "${args[@]}" -o m.cfg </dev/null >m.out 2>m.err); mrc=$?
    mv=$([ $mrc = 0 ] && echo accept || echo refuse)
    merr=$(head -1 "$w/m.err" | sed "s|$w/big.img|@BIG|g; s|$w/dir|@DIR|g; s|$out/r.cfg|@CFG|g" | cut -c1-300)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$qv" "$mv" "$line" "$qerr" "$merr" > "$out/r/$i"
  fi
  rm -rf "$w"
}
export -f one
export out qemu machina record QEMU_TIMEOUT
rm -rf "$out/r"; mkdir -p "$out/r"
"$machina" --version >/dev/null 2>&1 # builds the jar once, before the parallel runs
cases | awk -v k="$k" -v n="$n" '{ i = NR; if ((i - 1) % n + 1 == k) printf "%d\t%s\n", i, $0 }' \
  | tr '\t' '\n' | xargs -d '\n' -n 2 -P "${JOBS:-3}" bash -c 'one "$1" "$2"' _
# cases that ran at once share the host's ports (-vnc :0, -s, -qmp tcp:...): one that lost a port to another runs again, alone
for f in $(grep -l "Address already in use\|binding socket" "$out/r" -r | sort); do
  i=${f##*/}
  one "$i" "$(cases | sed -n "${i}p")"
done
: > "$out/results.tsv"
for f in $(ls "$out/r" | sort -n); do cat "$out/r/$f" >> "$out/results.tsv"; done
if [ $record = 1 ]; then
  { printf '# qemu-system-x86_64 7.2 on each case of tools/option-sweep/sweep.sh (regenerate: tools/option-sweep/sweep.sh --record)\n'
    printf '# %s\n' "$("$qemu" --version | head -1)"
    printf '# LINE<TAB>VERDICT<TAB>QEMU first error line\n'
    cat "$out/results.tsv"; } > "$root/tests/qemu72/option-sweep/qemu72.tsv"
  echo "recorded $(wc -l < "$out/results.tsv") cases in tests/qemu72/option-sweep/qemu72.tsv"
  exit 0
fi
awk -F'\t' '$2 != $3' "$out/results.tsv" > "$out/mismatches.tsv"
echo "cases $(wc -l < "$out/results.tsv"), mismatches $(wc -l < "$out/mismatches.tsv")"
