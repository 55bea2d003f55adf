#!/usr/bin/env bash
# A fortnight in the life of a CAF co-ordinator, on a demonstration store (fictional families).
# Run it from anywhere: bash examples/walkthrough.sh   (set MASG_DB to keep the store somewhere).
set -euo pipefail
export MASG_DB="${MASG_DB:-$(mktemp -d)/demo-masg.db}"
export MASG_USER="${MASG_USER:-demo.coordinator}"
OUT="${OUT:-$(dirname "$MASG_DB")/documents}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Each part continues the story of the one before (the same fictional families).
for part in "$HERE"/parts/*.sh; do
  # shellcheck source=/dev/null
  source "$part"
done

step "Is the store healthy?"
masg doctor
echo
echo "Demonstration store: $MASG_DB"
