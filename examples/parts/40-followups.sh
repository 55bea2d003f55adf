# Part 4: over the following months. Panel reviews, the 12-week follow-up with the Lead
# Professional, the morning list, and closure with the final review form. Uses FIRST.
step "First panel review: further reviews needed; second review: none (12-week follow-up)"
masg review record "$FIRST" --date 19/01/2027 --further-reviews yes --next-review 02/03/2027
masg review record "$FIRST" --date 02/03/2027 --further-reviews no --note "Attendance back to 90%"

step "The morning list, the day after the follow-up fell due (25 May 2027)"
masg today --as-of 26/05/2027
masg followup list --overdue --as-of 26/05/2027

step "The 12-week letter to the Lead Professional, and what they said"
masg followup letter "$FIRST" --out "$OUT" --as-of 26/05/2027
masg followup record "$FIRST" --date 27/05/2027 --outcome close --note "Work complete; family managing well"

step "Closure: the final review form goes out, comes back, and closes the record"
masg referral final-review-form "$FIRST" --out "$OUT"
masg referral close "$FIRST" --final-review-date 08/06/2027 --outcome "Needs met; attendance 95%"
masg referral show "$FIRST"
