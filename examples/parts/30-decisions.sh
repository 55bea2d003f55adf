# Part 3: after the meeting. The panel's decisions, the decision sheets for referrers, the
# family's answer and the Team Around the Child. Uses FIRST and THIRD from part 1, put on an
# agenda in part 2. Sets DECIDED_AT: the id of the meeting that decided FIRST.
read -r DECIDED_AT MET_ON < <(masg referral show "$FIRST" --json | python3 -c \
  'import json,sys; a=json.load(sys.stdin)["agenda"]; print(*(a[-1]["meeting"], a[-1]["date"]) if a else "")') || true
if [ -z "${DECIDED_AT:-}" ]; then
  echo "(no agenda yet: skipping the decisions part)"
else
  step "Record the panel's decisions"
  masg decision record "$FIRST" --meeting "$DECIDED_AT" \
    --service "CAMHS: Weekly sessions for anxiety" --service "School nursing: Drop-in at school" \
    --service "Family support: Help with morning routines" \
    --lead-name "Siân Sample" --lead-agency "School nursing" --lead-contact "07700 900123" \
    --review-date "$(date -d "$MET_ON + 8 weeks" +%F)"
  masg decision defer "$THIRD" --meeting "$DECIDED_AT" --note "Needs the hospital's discharge date" \
    || echo "(not on that agenda)"

  step "Decision sheets for the referrers, with e-mail drafts (and PDFs when LibreOffice is here)"
  PDF=""; command -v soffice >/dev/null && PDF="--pdf"
  masg decision sheet --meeting "$DECIDED_AT" --out "$OUT" --eml $PDF

  step "The family accepts; the Lead Professional holds the Team Around the Child meeting"
  masg family-response "$FIRST" --accepted --date "$(date -d "$MET_ON + 3 days" +%F)"
  masg tac record "$FIRST" --date "$(date -d "$MET_ON + 10 days" +%F)"
  masg referral show "$FIRST"
fi
