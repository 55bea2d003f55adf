"""masg review: the panel reviews a case, and says whether it needs to again."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import day, required_day, unit_of_work
from masg_cli.cli.options import FurtherReviews

review_app = typer.Typer(help="Panel reviews: further reviews, or monitoring with a 12-week follow-up.",
                         no_args_is_help=True)


@review_app.command("record")
def review_record(
    reference: str = options.reference(),
    date: str = typer.Option(..., "--date", help="The day the panel reviewed the case."),
    further_reviews: FurtherReviews = typer.Option(..., "--further-reviews",
                                                   help="Does the panel need to review it again?"),
    next_review: str = typer.Option(None, "--next-review", metavar="DATE", help="With yes: the next review date."),
    note: str = typer.Option(None, "--note", help="What the panel said."),
    inquorate_reason: str = typer.Option(None, "--inquorate-reason", metavar="TEXT",
                                         help="Why the panel reviewed it although not quorate "
                                              "(kept, and in the minutes)."),
) -> None:
    """Record a panel review: further reviews (next date) or none (12-week follow-up)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.reviews import record_review

        referral, _ = record_review(uow, reference, on=required_day(date, "--date"), note=note,
                                    further_reviews=further_reviews.value == rules.FURTHER_REVIEWS,
                                    next_review=day(next_review, "--next-review"),
                                    inquorate_reason=inquorate_reason)
    from masg_cli.views import review_recorded

    review_recorded(referral)
