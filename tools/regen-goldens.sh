#!/usr/bin/env bash
# Regenerates the golden files under tests/ (read the diff before committing: a golden changes only
# when an output is meant to change):
# - tests/machine-validate/NAME.expected: what `machina machine validate NAME.yaml` prints on stderr;
# - tests/machine-diff/FILE: what `machina machine diff ARGS` prints, for each "FILE ARGS" line of
#   tests/machine-diff/cases.txt.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
tools/machina --version >/dev/null  # build first, so build output stays out of the goldens
for f in tests/machine-validate/*.yaml; do
  status=0
  tools/machina machine validate "$f" 2> "${f%.yaml}.expected.tmp" >/dev/null || status=$?
  if [ "$status" -ne 1 ]; then
    echo "regen-goldens: $f: expected exit status 1, got $status" >&2
    rm -f "${f%.yaml}.expected.tmp"
    exit 1
  fi
  mv "${f%.yaml}.expected.tmp" "${f%.yaml}.expected"
done
echo "regen-goldens: $(ls tests/machine-validate/*.expected | wc -l) machine-validate goldens written"
n=0
while read -r golden args; do
  case "$golden" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086  # the arguments are words, split as written in cases.txt
  tools/machina machine diff $args --color never > "tests/machine-diff/$golden.tmp"
  mv "tests/machine-diff/$golden.tmp" "tests/machine-diff/$golden"
  n=$((n + 1))
done < tests/machine-diff/cases.txt
echo "regen-goldens: $n machine-diff goldens written"
