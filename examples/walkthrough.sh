#!/usr/bin/env bash
# A fortnight in the life of a CAF co-ordinator, on a demonstration store (fictional families).
# Run it from anywhere: bash examples/walkthrough.sh
# It always makes a new demonstration store of its own (MASG_DEMO_DB names where, if you want to
# keep it): a MASG_DB you have set for your real store is never written to.
set -euo pipefail
MASG_DEMO_DB="${MASG_DEMO_DB:-$(mktemp -d)/demo-masg.db}"
if [ -e "$MASG_DEMO_DB" ]; then
  echo "walkthrough: $MASG_DEMO_DB already exists; give MASG_DEMO_DB a new file name" >&2
  exit 1
fi
export MASG_DB="$MASG_DEMO_DB"
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
