# Part 3: after the meeting of 24 November 2026. The panel's decisions, the decision sheets for
# referrers, the family's answer and the Team Around the Child. Uses FIRST and THIRD from part 1
# and MEETING (the first meeting's id) from part 2.
step "Record the panel's decisions"
masg decision record "$FIRST" --meeting "$MEETING" \
  --service "CAMHS: Weekly sessions for anxiety" --service "School nursing: Drop-in at school" \
  --service "Family support: Help with morning routines" \
  --lead-name "Siân Sample" --lead-agency "School nursing" --lead-contact "07700 900123" \
  --review-date 19/01/2027
masg decision defer "$THIRD" --meeting "$MEETING" --note "Needs the hospital's discharge date"

step "Decision sheets for the referrers, with e-mail drafts (and PDFs when LibreOffice is here)"
PDF=""; command -v soffice >/dev/null && PDF="--pdf"
masg decision sheet --meeting "$MEETING" --out "$OUT" --eml $PDF --as-of 2026-11-25

step "The family accepts; the Lead Professional holds the Team Around the Child meeting"
masg family-response "$FIRST" --accepted --date 27/11/2026
masg tac record "$FIRST" --date 04/12/2026
masg referral show "$FIRST"
