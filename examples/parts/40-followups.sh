# Part 4: over the following months. Panel reviews, the 12-week follow-up with the Lead
# Professional, the morning list, and closure with the final review form. Uses FIRST, decided in
# part 3 at the meeting of MET_ON.
if [ -z "${MET_ON:-}" ]; then
  echo "(no decision yet: skipping the follow-up part)"
else
  on() { date -d "$MET_ON + $1" +%F; }
  step "First panel review: further reviews needed; second review: none (12-week follow-up)"
  masg review record "$FIRST" --date "$(on '8 weeks')" --further-reviews yes --next-review "$(on '14 weeks')"
  masg review record "$FIRST" --date "$(on '14 weeks')" --further-reviews no --note "Attendance back to 90%"

  step "The morning list, the day after the follow-up fell due"
  masg today --as-of "$(on '26 weeks + 1 day')"
  masg followup list --overdue --as-of "$(on '26 weeks + 1 day')"

  step "The 12-week letter to the Lead Professional, and what they said"
  masg followup letter "$FIRST" --out "$OUT" --as-of "$(on '26 weeks + 1 day')"
  masg followup record "$FIRST" --date "$(on '26 weeks + 2 days')" --outcome close \
    --note "Work complete; family managing well"

  step "Closure: the final review form goes out, comes back, and closes the record"
  masg referral final-review-form "$FIRST" --out "$OUT"
  masg referral close "$FIRST" --final-review-date "$(on '28 weeks')" --outcome "Needs met; attendance 95%"
  masg referral show "$FIRST"
fi
