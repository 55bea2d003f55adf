"""masg review, followup, today, referral close / final-review-form: the case over time.

The panel reviews each case; where no further reviews are needed the co-ordinator contacts the
Lead Professional 12 weeks after the last review; every morning 'masg today' says what is due.
"""


from enum import Enum
from pathlib import Path

import typer

from masg_cli.cli.context import day, today, unit_of_work
from masg_cli.cli.referral import ConsentBy, referral_app
from masg_cli.errors import UsageProblem
from masg_cli.render import print_json, say

review_app = typer.Typer(help="Panel reviews: further reviews, or monitoring with a 12-week follow-up.",
                         no_args_is_help=True)
followup_app = typer.Typer(help="The 12-week follow-up with the Lead Professional.", no_args_is_help=True)


class YesNo(str, Enum):
    yes = "yes"
    no = "no"


class Outcome(str, Enum):
    continue_ = "continue"
    close = "close"
    re_refer = "re-refer"


@review_app.command("record")
def review_record(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    date: str = typer.Option(..., "--date", help="The day the panel reviewed the case."),
    further_reviews: YesNo = typer.Option(..., "--further-reviews", help="Does the panel need to review it again?"),
    next_review: str = typer.Option(None, "--next-review", metavar="DATE", help="With yes: the next review date."),
    note: str = typer.Option(None, "--note", help="What the panel said."),
) -> None:
    """Record a panel review: further reviews (next date) or none (12-week follow-up)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.reviews import record_review

        referral, _ = record_review(uow, reference, on=day(date, "--date"), note=note,
                                    further_reviews=further_reviews is YesNo.yes,
                                    next_review=day(next_review, "--next-review"))
    from masg_cli.dates import uk

    if referral.status == "active":
        say(f"{referral.reference} reviewed: next panel review on {uk(referral.next_review)} "
            "(it goes on the agenda of the first meeting on or after it).")
    else:
        say(f"{referral.reference} monitoring: contact the Lead Professional by {uk(referral.follow_up_due)} "
            "('masg followup letter').")


@followup_app.command("list")
def followup_list(
    overdue: bool = typer.Option(False, "--overdue", help="Only follow-ups due before today."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="Count from this day. Default: today."),
    locality: str = typer.Option(None, "--locality", help="Only this locality."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Every open 12-week follow-up: due date, Lead Professional, days overdue."""
    when = today(as_of)
    with unit_of_work(write=False) as uow:
        from masg_cli.services.followups import follow_ups

        rows = follow_ups(uow.session, today=when, overdue=overdue, locality=locality)
    if json:
        return _json_rows(rows)
    _follow_up_table("Overdue follow-ups" if overdue else "Follow-ups", rows)


@followup_app.command("record")
def followup_record(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    date: str = typer.Option(..., "--date", help="The day you spoke to the Lead Professional."),
    outcome: Outcome = typer.Option(..., "--outcome", help="continue, close or re-refer."),
    note: str = typer.Option(None, "--note", help="The outcomes of the work so far (re-refer: the needs now)."),
    new_referral: str = typer.Option(None, "--new-referral", metavar="REF2",
                                     help="re-refer: the re-referral already added with 'referral add --re-referral-of REF'."),
    consent_date: str = typer.Option(None, "--consent-date", metavar="DATE",
                                     help="re-refer without --new-referral: when the family consented to it."),
    consent_by: ConsentBy = typer.Option(None, "--consent-by", help="re-refer: who gave that consent."),
) -> None:
    """Record the contact with the Lead Professional and what it decided."""
    if outcome is not Outcome.re_refer and (new_referral or consent_date or consent_by):
        raise UsageProblem("--new-referral, --consent-date and --consent-by go with --outcome re-refer only")
    if new_referral and (consent_date or consent_by):
        raise UsageProblem("give either --new-referral (a re-referral already added) or --consent-date and "
                           "--consent-by (make it now), not both")
    with unit_of_work(write=True) as uow:
        from masg_cli.services.followups import record_follow_up

        referral, _, new = record_follow_up(
            uow, reference, on=day(date, "--date"), outcome=outcome.value, note=note, new_referral=new_referral,
            consent_date=day(consent_date, "--consent-date"), consent_by=consent_by.value if consent_by else None)
    from masg_cli.dates import uk

    if outcome is Outcome.continue_:
        say(f"{referral.reference} still monitoring: next contact due {uk(referral.follow_up_due)}.")
    elif outcome is Outcome.close:
        say(f"{referral.reference} closed (completed). Next: send the final review form "
            f"('masg referral final-review-form {referral.reference} --out DIR'); when it comes back, "
            f"'masg referral close {referral.reference} --final-review-date DATE --outcome TEXT'.")
    elif new_referral:
        say(f"{new.reference} linked: re-referral of {referral.reference}, which stays as it is "
            "with no further contact due.")
    else:
        say(f"{new.reference} received: re-referral of {referral.reference} by the Lead Professional "
            f"{new.referrer_name} (triage it with 'masg referral triage').")


@followup_app.command("letter")
def followup_letter(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="The folder to write into."),
    pdf: bool = typer.Option(False, "--pdf", help="Also a PDF (needs LibreOffice)."),
    eml: bool = typer.Option(False, "--eml", help="Also an e-mail draft to the Lead Professional."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The letter's date. Default: today."),
) -> None:
    """The 12-week letter to the Lead Professional (followup-letter.docx)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.followups import produce_letter

        written = produce_letter(uow, reference, out_dir=out, pdf=pdf, eml=eml, on=today(as_of))
    for path in written:
        say(str(path))


@referral_app.command("close")
def referral_close(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    final_review_date: str = typer.Option(..., "--final-review-date", metavar="DATE",
                                          help="The date of the Lead Professional's final review form."),
    outcome: str = typer.Option(..., "--outcome", help="The outcome the form records."),
) -> None:
    """The returned final review form closes the case (completed)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.reviews import close_referral

        referral, closed_now = close_referral(uow, reference, outcome=outcome,
                                              final_review_date=day(final_review_date, "--final-review-date"))
    from masg_cli.dates import uk

    what = "closed (completed)" if closed_now else "final review form recorded"
    say(f"{referral.reference} {what}: final review form of {uk(referral.final_review_date)}.")


@referral_app.command("final-review-form")
def final_review_form(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="The folder to write into."),
    eml: bool = typer.Option(False, "--eml", help="Also an e-mail draft to the Lead Professional."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The form's date. Default: today."),
) -> None:
    """The final review form, pre-filled, for the Lead Professional to complete and return."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.reviews import produce_final_review_form

        written = produce_final_review_form(uow, reference, out_dir=out, eml=eml, on=today(as_of))
    for path in written:
        say(str(path))


def today_command(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The morning of this day. Default: today."),
    rows: int = typer.Option(10, "--rows", min=1, help="Rows shown per section (--json gives all)."),
    json: bool = typer.Option(False, "--json", help="Print JSON: one array per section."),
) -> None:
    """The morning list: overdue follow-ups first, then everything else that is due."""
    when = today(as_of)
    with unit_of_work(write=False) as uow:
        from masg_cli.services.today import morning_list

        sections = morning_list(uow.session, today=when, limit=None if json else rows)
    if json:
        return print_json({"as_of": when} | {name: s["items"] for name, s in sections.items()})
    _morning(when, sections)


# --- How it looks -------------------------------------------------------------------------------


def _json_rows(rows: list[dict]) -> None:
    """A JSON array, one object a line: Python's indenting encoder is ten times slower on a
    list of thousands (a big authority's overdue follow-ups), the C one is not."""
    import json
    import sys

    def iso(value):
        return value.isoformat()

    lines = ",\n".join(json.dumps(row, default=iso, ensure_ascii=False) for row in rows)
    sys.stdout.write(f"[\n{lines}\n]\n" if rows else "[]\n")


def _lead(row: dict) -> str:
    """'Name, Agency', or whichever of them is known, or nothing (an imported case)."""
    return ", ".join(part for part in (row["lead_professional"], row["lead_agency"]) if part)


def _follow_up_table(title: str, rows: list[dict]) -> None:
    from masg_cli.dates import uk_short
    from masg_cli.render import table

    table(title, ["Reference", "Due", "Days overdue", "Lead Professional", "Contact"],
          [(r["reference"], uk_short(r["due"]), r["days_overdue"] or "",
            _lead(r), r["lead_contact"] or "") for r in rows],
          empty="No follow-ups match.")


_TITLES = {
    "overdue_follow_ups": ("Overdue 12-week follow-ups", "masg followup list --overdue"),
    "follow_ups_due_this_week": ("12-week follow-ups due this week", "masg followup list"),
    "reviews_overdue": ("Panel reviews overdue", "masg review record"),
    "waiting_for_triage": ("Referrals waiting for triage", "masg referral list --status received"),
    "waiting_for_information": ("Waiting for more information", "masg referral list --status more-info"),
    "attendance_unconfirmed": ("Referrers yet to confirm attendance at the next meeting", "masg agenda show"),
    "decision_sheets_not_produced": ("Decision sheets not produced", "masg decision sheet"),
    "family_answers_awaited": ("Family answers awaited", "masg referral list --status decided"),
}


def _columns(name: str, item: dict) -> tuple[list[str], tuple]:
    from masg_cli.dates import uk_short

    if name in ("overdue_follow_ups", "follow_ups_due_this_week"):
        return (["Reference", "Due", "Days overdue", "Lead Professional", "Contact"],
                (item["reference"], uk_short(item["due"]), item["days_overdue"] or "",
                 _lead(item), item["lead_contact"] or ""))
    if name == "reviews_overdue":
        return (["Reference", "Review was due", "Days overdue", "Locality"],
                (item["reference"], uk_short(item["next_review"]), item["days_overdue"], item["locality"]))
    if name in ("waiting_for_triage", "waiting_for_information"):
        since = item.get("received") or item.get("asked_on")
        return (["Reference", "Since", "Days waiting", "Referrer", "Agency"],
                (item["reference"], uk_short(since), item["days_waiting"], item["referrer"],
                 item["referrer_agency"]))
    if name == "attendance_unconfirmed":
        return (["Reference", "Meeting", "Time", "Referrer", "Contact"],
                (item["reference"], f"{item['meeting']} ({uk_short(item['date'])})", item["time"],
                 item["referrer"], item["referrer_email"] or item["referrer_phone"]))
    if name == "decision_sheets_not_produced":
        return (["Reference", "Meeting", "Referrer"],
                (item["reference"], f"{item['meeting']} ({uk_short(item['meeting_date'])})", item["referrer"]))
    return (["Reference", "Decided", "Days waiting", "Referrer", "Agency"],
            (item["reference"], uk_short(item["meeting_date"]), item["days_waiting"], item["referrer"],
             item["referrer_agency"]))


def _morning(when, sections: dict) -> None:
    """One heading a section (with its count), then its first rows in aligned columns.

    Aligned lines, not Rich tables: eight tables cost a sixth of a second to lay out, and the
    morning list should come up as fast as the store can answer.
    """
    from rich.text import Text

    from masg_cli.dates import uk
    from masg_cli.render import console

    out = console()
    out.print(Text(f"Today, {uk(when)}", style="bold"))
    quiet = []
    for name, section in sections.items():
        title, more = _TITLES[name]
        if not section["count"]:
            quiet.append(title.lower())
            continue
        style = "bold red" if name in ("overdue_follow_ups", "reviews_overdue") else "bold"
        out.print()
        out.print(Text(f"{title}: {section['count']}", style=style))
        rows = [_columns(name, item) for item in section["items"]]
        header = rows[0][0]
        cells = [[str(v) if v not in (None, "") else "" for v in row] for _, row in rows]
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
        line = "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()
        out.print(Text("  " + line, style="dim"), no_wrap=True, overflow="ellipsis")
        for c in cells:
            out.print(Text("  " + "  ".join(v.ljust(w) for v, w in zip(c, widths)).rstrip()),
                      no_wrap=True, overflow="ellipsis")
        hidden = section["count"] - len(cells)
        if hidden:
            out.print(Text(f"  ... and {hidden} more: {more}", style="dim"))
    if quiet:
        out.print()
        out.print(Text("Nothing for: " + "; ".join(quiet) + "."))


def register(app: typer.Typer) -> None:
    """Add the review and followup groups and the today command ('referral close' and
    'referral final-review-form' join the referral group when this module is imported)."""
    app.add_typer(review_app, name="review")
    app.add_typer(followup_app, name="followup")
    app.command("today")(today_command)
