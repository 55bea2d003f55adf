"""masg attach, masg attachment: the documents of a case file, kept inside the store."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import unit_of_work
from masg_cli.cli.options import AttachmentKind
from masg_cli.render import print_json, say

attachment_app = typer.Typer(help="The documents kept in a case file: list them, get one back.",
                             no_args_is_help=True)


def attach(
    reference: str = options.reference(),
    file: str = typer.Argument(..., metavar="FILE", help="A PDF, Word (.docx), PNG or JPEG image, or plain text file."),
    kind: AttachmentKind = typer.Option(rules.ATTACHMENT_DEFAULT_KIND, "--kind",
                                        help=f"{options.one_of(rules.ATTACHMENT_KINDS)}."),
) -> None:
    """Keep a document (the CAF, a consent form, a report) in a case's file, at most 20 MB."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.attachments import attach as keep

        attachment = keep(uow, reference, given=file, kind=kind.value)
    from masg_cli.services.attachments import megabytes

    say(f"{reference.strip().upper()}: attachment {attachment.id} ({attachment.kind}, {attachment.content}, "
        f"{megabytes(attachment.size)}) kept as {attachment.name}")
    say(f"SHA-256 {attachment.sha256}")


@attachment_app.command("list")
def attachment_list(
    reference: str = options.reference(),
    json: bool = options.as_json(),
) -> None:
    """List the documents kept in a case's file."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.attachments import list_attachments

        rows = list_attachments(uow.session, reference)
    if json:
        return print_json(rows)
    from masg_cli.dates import uk_short
    from masg_cli.render import table
    from masg_cli.services.attachments import megabytes

    table(f"Attachments of {reference.strip().upper()}", ["Id", "Name", "Kind", "Size", "Added", "SHA-256"],
          [(a["id"], a["name"], a["kind"], megabytes(a["size"]), uk_short(a["added"]), a["sha256"])
           for a in rows], empty="No attachments; add one with 'masg attach REF FILE'.")


@attachment_app.command("get")
def attachment_get(
    reference: str = options.reference(),
    attachment_id: int = typer.Argument(..., metavar="ID", help="The attachment's id, as 'attachment list' shows it."),
    out: str = options.out_folder("The folder to write the file into (it is written 0600)."),
) -> None:
    """Write an attachment back out, under its own name, checked against its SHA-256."""
    from pathlib import Path

    with unit_of_work(write=True) as uow:
        from masg_cli.services.attachments import get_copy

        attachment, target = get_copy(uow, reference, attachment_id, Path(out))
    say(f"{target} (SHA-256 {attachment.sha256}, checked)")
