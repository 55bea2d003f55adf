# Part 2: before the meeting. Schedule North's meetings, build the first agenda, give referrers
# their slots, record who is coming, and make the agenda pack. Uses FIRST and THIRD from part 1.
step "Schedule North's fortnightly meetings (a bank holiday moves a meeting to the next working day)"
masg meeting schedule --locality North --from 2026-11-24 --until 2027-01-31
masg meeting list
masg meeting ics --out "$OUT/north-meetings.ics" --locality North

step "Build the agenda of the first meeting: accepted cases, oldest first, each with a time slot"
MEETING=$(masg meeting list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
masg agenda build "$MEETING"

step "Tell the referrers their slots, and record their answers"
masg agenda invite "$MEETING" --out "$OUT" --as-of 2026-11-23
masg agenda attendance "$FIRST" --meeting "$MEETING" --attending yes
masg agenda show "$MEETING"

step "The agenda pack for the panel members (agenda by initials, background with full details)"
PDF=""; command -v soffice >/dev/null && PDF="--pdf"
masg agenda pack "$MEETING" --out "$OUT" --eml --attachments $PDF --as-of 2026-11-23
