"""How the meeting record looks to people: attendance and quorum, and the panel's actions."""

from __future__ import annotations

from masg_cli.dates import uk, uk_short
from masg_cli.errors import MasgError, Refused, UsageProblem
from masg_cli.render import say, table


def attendance_problem(member, present, apologies, deputy, chair, guest, agency) -> MasgError | None:
    """What is wrong with a 'meeting attendance' command line, or None."""
    if deputy and not member:
        return Refused("--deputy names who came for a panel member; give --member NAME --apologies --deputy NAME")
    if member and guest:
        return UsageProblem("give --member NAME or --guest NAME, not both")
    if member and present == apologies:
        return UsageProblem("say whether the member came: give --present or --apologies")
    if not member and (present or apologies or chair):
        return UsageProblem("--present, --apologies and --chair go with --member NAME")
    if guest and not (agency or "").strip():
        return UsageProblem("a guest needs an agency; give --guest NAME --agency AGENCY")
    if agency and not guest:
        return UsageProblem("--agency goes with --guest NAME (a member's agency is on the panel list)")
    return None


def attendance_recorded(meeting: int, row) -> None:
    if row.role == "guest":
        what = "a guest"
    elif row.role == "present":
        what = "present" + (", chair" if row.chair else "")
    else:
        what = "apologies" + (f"; {row.deputy} deputising" if row.deputy else "") + \
            ("; the deputy chairs" if row.chair else "")
    say(f"Meeting {meeting}: {row.name} ({row.agency}) {what}.")


def quorum_line(quorum) -> str:
    if quorum is None:
        return "No attendance recorded yet, so the quorum is not known."
    if quorum.quorate:
        return f"Quorate: {len(quorum.agencies)} agencies present."
    return f"Not quorate: {quorum.missing()}."


def attendance_table(meeting: int, held_on, rows: list[dict], quorum) -> None:
    def how(r: dict) -> str:
        if r["attendance"] == "apologies" and r["deputy"]:
            return f"apologies; deputy {r['deputy']}"
        return r["attendance"]

    table(f"Meeting {meeting}, {uk(held_on)}", ["Name", "Agency", "Attendance", "Chair"],
          [(r["name"], r["agency"], how(r), "chair" if r["chair"] else "") for r in rows],
          empty=f"No attendance recorded: 'masg meeting attendance {meeting} --member NAME --present'.")
    say(quorum_line(quorum))


def action_table(rows: list[dict]) -> None:
    table("Actions", ["Id", "Reference", "Meeting", "Owner", "Agency", "What", "Due", "Status"],
          [(r["id"], r["reference"], r["meeting"], r["owner"], r["agency"], r["what"], uk_short(r["due"]),
            r["status"] + (f", {r['days_overdue']} days overdue" if r["days_overdue"] else ""))
           for r in rows],
          empty="No actions match.")
