# Part 1: setting up, logging referrals, triage. Sets FIRST, SECOND, THIRD.
step "Set up the store and a locality"
masg init --panel MASG
masg locality add North --weekday tue --start 09:30 --end 12:30 --slot-minutes 20 \
  --venue "Northgate Family Hub, 1 Example Street" --coordinator "Pat Example" \
  --contact "pat.example@example.gov.uk, 01632 960000"
masg locality member add North --name "Sam Panel" --agency "Health visiting" --email sam.panel@example.org
masg locality list

step "Log the CAF referrals that arrived"
FIRST=$(masg referral add --child "Zoë Example" --dob 03/02/2015 --child "Jack Example" --dob 2018-06-12 \
  --locality North --referrer "Alex Teacher" --referrer-agency "Northside Primary" \
  --referrer-email alex.teacher@example.org --consent-date 01/11/2026 --consent-by parent \
  --needs "Poor attendance, anxiety, parent asking for help with routines" \
  --agency "School nursing" --agency CAMHS --agency "Family support" --received 02/11/2026)
SECOND=$(masg referral add --child "Ollie Sample" --dob 2012-09-30 --locality North \
  --referrer "Jo Nurse" --referrer-agency "Health visiting" --consent-date 2026-11-03 --consent-by both \
  --needs "Speech and language only" --agency "Speech and language therapy" --received 2026-11-04)
THIRD=$(masg referral add --child "Amira Demo" --dob 2010-01-15 --locality North \
  --referrer "Chris Worker" --referrer-agency "Youth service" --consent-date 2026-11-04 --consent-by young-person \
  --needs "Leaving hospital after a long stay; needs a package at home" --transition in-hospital \
  --agency "Community nursing" --agency "Youth service" --agency "Housing" --received 2026-11-05)
echo "Logged $FIRST, $SECOND and $THIRD"

step "A referral without consent is refused"
masg referral add --child "No Consent" --dob 2014-01-01 --locality North --referrer "A Referrer" \
  --referrer-agency "Example Agency" --needs "Example" </dev/null || echo "(refused, as it should be)"

step "Triage"
masg referral triage "$FIRST" --outcome accept --date 2026-11-05
masg referral triage "$SECOND" --outcome single-agency --agency "Speech and language therapy" --date 2026-11-05
masg referral triage "$THIRD" --outcome more-info --note "Asked for the discharge plan" --date 2026-11-05
masg referral info-received "$THIRD" --note "Discharge plan received" --date 2026-11-06
masg referral triage "$THIRD" --outcome accept --date 2026-11-06
masg referral list

step "The case file: a note of a call, and the CAF itself (judged by content, kept in the store)"
masg note add "$FIRST" --text "Spoke to the school: attendance up this week" --kind phone \
  --with "Head of Year 5" --date 2026-11-06
masg attach "$FIRST" "$HERE/caf-example.pdf" --kind caf
masg attachment list "$FIRST"

step "The whole case"
masg referral show "$FIRST"

