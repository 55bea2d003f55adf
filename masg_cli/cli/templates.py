"""masg templates: give co-ordinators the shipped Word templates, and check their own."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.render import say

templates_app = typer.Typer(help="The Word and e-mail templates documents are made from.",
                            no_args_is_help=True)


@templates_app.command("copy")
def copy(
    folder: Path = typer.Argument(..., metavar="DIR", help="Where to put the copies."),
    force: bool = typer.Option(False, "--force", "--overwrite",
                               help="Replace templates already in DIR."),
) -> None:
    """Copy the shipped templates into DIR, to re-brand in Word and use with --templates DIR."""
    from masg_cli.documents.templates import copy_templates

    copied, kept = copy_templates(folder, overwrite=force)
    say(f"{len(copied)} template(s) copied to {folder}.")
    if kept:
        say(f"Kept your own {', '.join(p.name for p in kept)} (use --force to replace).")
    say(f"Use them with: masg --templates {folder} ... (or set MASG_TEMPLATES).")


@templates_app.command("check")
def check(
    folder: Path = typer.Argument(None, metavar="[DIR]", help="Your templates (default: the shipped ones)."),
) -> None:
    """Find template errors before a meeting does: each problem by file, with the text around it."""
    from masg_cli.cli.context import templates_folder
    from masg_cli.documents.templates import check_templates

    folder = folder or templates_folder()
    problems = check_templates(folder)
    for problem in problems:
        say(problem)
    if problems:
        raise typer.Exit(1)
    say(f"The templates in {folder} are fine." if folder else "The shipped templates are fine.")


@templates_app.command("fields")
def fields(
    document: str = typer.Argument(None, metavar="[DOCUMENT]",
                                   help="One template, e.g. decision-sheet or decision-sheet.docx (default: all)."),
    json: bool = typer.Option(False, "--json",
                              help="Print JSON: per template, its fields (name, type, example, meaning)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the reference page docs/template-fields.md."),
) -> None:
    """The fields each template is given: name, type, an example and what it means."""
    from masg_cli.documents import fields as declared

    if document is None:
        found = declared.all_fields()
    else:
        name = declared.template_name(document)
        found = {name: declared.fields_of(name)}
    if markdown:
        typer.echo(declared.markdown(found), nl=False)
        return
    if json:
        from masg_cli.render import print_json

        print_json(declared.as_json(found))
        return
    from masg_cli.render import table

    for name, rows in found.items():
        table(name, ("Field", "Type", "Example", "Meaning"),
              [(f.name, f.type, f.example, f.meaning) for f in rows])
