#!/usr/bin/env bash
# Regenerates the expected diagnostics of the broken-file corpus under tests/machine-validate/:
# for each NAME.yaml, NAME.expected is what `machina machine validate NAME.yaml` prints on stderr.
# Read the diff before committing: a golden changes only when a message is meant to change.
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
echo "regen-goldens: $(ls tests/machine-validate/*.expected | wc -l) goldens written"
