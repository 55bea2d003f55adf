# Part 5: figures, data in and out, backup and retention. Uses $OUT (a folder) from the walkthrough.
step "Figures for managers (and a workbook with charts)"
mkdir -p "$OUT"
masg report summary --xlsx "$OUT/figures.xlsx"

step "Bring in last year's tracker (dry run first)"
masg import "$HERE/tracker-sample.csv" --dry-run
masg import "$HERE/tracker-sample.csv"

step "Export everything for the authority's records, and back up the store"
masg export --format xlsx --out "$OUT/all-referrals.xlsx"
masg backup --out "$OUT/masg-backup.db" --overwrite

step "Retention: a closed case past its period, one on legal hold"
masg referral hold MASG-2025-0107 --reason "Complaint under investigation"
masg retention --as-of 2050-01-01
masg referral release MASG-2025-0107
