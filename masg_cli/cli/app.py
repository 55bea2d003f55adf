"""The root of the command line: global options, the table of commands, the one place errors print.

Only Typer and masg's own light modules are imported here, and a command's module only when that
command is wanted, so that ``masg --help`` and shell completion start fast; SQLModel and the
document stack load inside the commands that use them.
"""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import errno
import inspect
import os
import re
import sys
from collections.abc import MutableMapping

import typer
from typer.core import TyperGroup

from masg_cli.cli.clicklib import ClickException, Command, UsageError

from masg_cli import __version__
from masg_cli.cli.context import options
from masg_cli.errors import MasgError
from masg_cli.fields import shown_on_one_line


class UsageLine(ClickException):
    """A mistyped command line, said in one line with where to look, exit status 2 (Click's
    own four lines of usage and 'Try --help' bury the one that matters)."""

    exit_code = 2

    @classmethod
    def of(cls, exc: UsageError, where: str = "masg") -> "UsageLine":
        # Typer passes pydantic's wording through: "Value error, 'x' is not one of ...".
        message = exc.format_message().replace("Value error, ", "").rstrip(".")
        head, listed, choices = message.partition(" Choose from:")
        if listed:  # Click lists a missing option's choices one a line, tab-indented
            message = f"{head.rstrip('.')} (choose from {' '.join(choices.split()).rstrip(',')})"
        message = message[:1].lower() + message[1:]
        where = exc.ctx.command_path if exc.ctx is not None else where
        # Click's "No such command 'x'. Did you mean 'y'?" read as one sentence with the pointer.
        message = message.replace(". Did you mean", "; did you mean")
        message = re.sub(r" \(Possible options: ([^,)]+)\)$", r"; did you mean \1?", message)
        message = re.sub(r" \(Possible options: (.+)\)$", r"; did you mean one of \1?", message)
        if message.endswith("?"):
            return cls(f"{message} See '{where} --help'")
        return cls(f"{message}; see '{where} --help'")

    def show(self, file=None) -> None:
        say_refusal(self.message)


def say_refusal(message: str) -> None:
    """The one line on stderr a refusal is: a value typed with a line break cannot split it."""
    typer.echo(f"masg: {shown_on_one_line(message)}", err=True)


def _not_text(args: list[str]) -> UsageLine | None:
    """Bytes that are not UTF-8 on the command line (Python keeps them as lone surrogates, which
    no database, document or terminal can take): the first such argument, by number."""
    for number, arg in enumerate(args, start=1):
        if any("\ud800" <= c <= "\udfff" for c in arg):
            return UsageLine(f"argument {number} holds bytes that are not UTF-8 text; type it again, "
                             "or set the terminal to UTF-8")
    return None


def _unicode_problem(exc: UnicodeError) -> tuple[str, int]:
    """Text that is not UTF-8 coming in (a prompt's answer, the environment), or a terminal that
    cannot show what masg prints, said in one line with its exit status."""
    failed = exc.object[exc.start:exc.end] if isinstance(exc, UnicodeEncodeError) else ""
    if isinstance(exc, UnicodeEncodeError) and not any("\ud800" <= c <= "\udfff" for c in failed):
        return ("this terminal cannot show some of the characters masg prints (accented letters); "
                "set it to UTF-8 (e.g. PYTHONIOENCODING=utf-8)"), 1
    return ("something typed or set in the environment holds bytes that are not UTF-8 text; "
            "type it again, or set the terminal to UTF-8"), 2


def _os_problem(exc: OSError) -> tuple[str, int]:
    """A file or folder the system would not use, said in one line, with its exit status."""
    if exc.errno == errno.ENAMETOOLONG:
        return ("a file or folder name is too long (at most 255 characters between slashes); "
                "choose a shorter one"), 2
    reason = (exc.strerror or type(exc).__name__).lower()
    if exc.filename:
        return f"could not use {exc.filename}: {reason}; check the path; nothing was saved", 1
    return f"a file could not be written: {reason}; nothing was saved", 1


def _one_line(exc: UsageError, where: str = "masg") -> ClickException:
    # A bare 'masg referral' shows that group's help, as no_args_is_help promises.
    return exc if type(exc).__name__ == "NoArgsIsHelpError" else UsageLine.of(exc, where)


def _typed_command(ctx, words: list[str]) -> str:
    """'masg review record': the command the words after 'masg' name, for the usage errors
    Click raises without a context ('option --date requires an argument')."""
    command, path = ctx.command, ["masg"]
    for word in words:
        found = getattr(command, "commands", {}).get(word) if not word.startswith("-") else None
        if found is None:
            break
        command, path = found, [*path, word]
    return " ".join(path)


class MasgGroup(TyperGroup):
    """Runs every command; a MasgError becomes one line on stderr and its exit status."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(COMMANDS)
        from masg_cli.cli.helptext import plain_labels

        plain_labels(self)  # the root's own options; each command is tidied as it is built

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)  # the names only: Typer's own builds every command to list them

    def format_commands(self, ctx, formatter) -> None:
        # From each command's help text alone: 'masg --help' builds none of the commands. Click
        # would cut each description at 45 characters; the formatter wraps it whole instead.
        from masg_cli.cli.helptext import one_line

        panels: dict[str, list[tuple[str, str]]] = {panel: [] for panel in PANELS}
        for name, entry in COMMANDS.items():
            panels.setdefault(_panel(entry), []).append((name, one_line(_summary(_where(entry)))))
        for panel, rows in panels.items():
            if rows:
                with formatter.section(panel):
                    formatter.write_dl(rows)

    def make_context(self, info_name, args, parent=None, **extra):
        if parent is None and (problem := _not_text(list(args or []))):
            raise problem
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except UsageError as exc:  # an unknown option or command given to masg itself
            raise _one_line(exc) from None

    def invoke(self, ctx):
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]  # Click empties both as it runs
        try:
            return super().invoke(ctx)
        except UsageError as exc:  # a command's own options or arguments
            raise _one_line(exc, _typed_command(ctx, words)) from None
        except MasgError as exc:
            say_refusal(exc.message)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("masg: interrupted; nothing was saved", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader stopped early ('| head'): what was done is done; say nothing more.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:  # e.g. a folder name longer than the file system allows
            message, status = _os_problem(exc)
            say_refusal(message)
            raise typer.Exit(status) from None
        except UnicodeError as exc:
            message, status = _unicode_problem(exc)
            say_refusal(message)
            raise typer.Exit(status) from None
        except EOFError:
            # Ctrl-D at a prompt: the co-ordinator chose not to answer.
            typer.echo("masg: no answer given at the prompt; nothing was saved", err=True)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except Exception as exc:
            if os.environ.get("MASG_DEBUG"):
                raise
            # Never a traceback: it could show a child's details held in local variables.
            typer.echo(f"masg: unexpected {type(exc).__name__}; nothing was saved. "
                       "Run 'masg doctor', and report it if it happens again", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=MasgGroup,
    name="masg",
    help="Run the multi-agency panel process (MASG / MAAG) for CAF co-ordinators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"masg {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str = typer.Option(None, "--db", envvar="MASG_DB", metavar="PATH|URL",
                           help="The store: a SQLite file, or a database URL. Default: a file in your data folder."),
    user: str = typer.Option(None, "--user", envvar="MASG_USER",
                             help="Who the audit trail names. Default: your login name "
                                  "(on PostgreSQL, your database role)."),
    templates: str = typer.Option(None, "--templates", envvar="MASG_TEMPLATES", metavar="DIR",
                                  help="Your own Word templates, overriding the shipped ones file by file."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show masg's version."),
) -> None:
    options.db = db
    options.user = user
    options.templates = templates


# Every command of masg, in the order 'masg --help' lists them: its name, where it lives,
# "module:object" (the object a Typer group or a command's function), and the part of the
# co-ordinator's day 'masg --help' shows it under. The one place a command is added to masg (pip's
# commands_dict); MasgGroup imports an entry's module only when it is wanted.
COMMANDS = {
    "today": ("masg_cli.cli.today:today_command", "Every morning"),
    "remind": ("masg_cli.cli.remind:remind", "Every morning"),
    "referral": ("masg_cli.cli.referral:referral_app", "Intake and triage"),
    "person": ("masg_cli.cli.person:person_app", "Intake and triage"),
    "note": ("masg_cli.cli.note:note_app", "Intake and triage"),
    "attach": ("masg_cli.cli.attachment:attach", "Intake and triage"),
    "attachment": ("masg_cli.cli.attachment:attachment_app", "Intake and triage"),
    "meeting": ("masg_cli.cli.meeting:meeting_app", "Before the meeting"),
    "agenda": ("masg_cli.cli.agenda:agenda_app", "Before the meeting"),
    "decision": ("masg_cli.cli.decision:decision_app", "After the meeting"),
    "family-response": ("masg_cli.cli.family_response:family_response", "After the meeting"),
    "tac": ("masg_cli.cli.tac:tac_app", "After the meeting"),
    "action": ("masg_cli.cli.action:action_app", "After the meeting"),
    "lead": ("masg_cli.cli.lead:lead_app", "After the meeting"),
    "review": ("masg_cli.cli.review:review_app", "Reviews and follow-ups"),
    "followup": ("masg_cli.cli.followup:followup_app", "Reviews and follow-ups"),
    "report": ("masg_cli.cli.report:report_app", "Figures and exchange"),
    "export": ("masg_cli.cli.transfer:export", "Figures and exchange"),
    "import": ("masg_cli.cli.transfer:import_", "Figures and exchange"),
    "targets": ("masg_cli.cli.targets:targets_app", "Figures and exchange"),
    "init": ("masg_cli.cli.setup:init", "The store"),
    "locality": ("masg_cli.cli.setup:locality_app", "The store"),
    "templates": ("masg_cli.cli.templates:templates_app", "The store"),
    "backup": ("masg_cli.cli.maintenance:backup", "The store"),
    "audit": ("masg_cli.cli.maintenance:audit", "The store"),
    "doctor": ("masg_cli.cli.maintenance:doctor", "The store"),
    "retention": ("masg_cli.cli.maintenance:retention", "The store"),
    "store": ("masg_cli.cli.store:store_app", "The store"),
}
PANELS = ("Every morning", "Intake and triage", "Before the meeting", "After the meeting",
          "Reviews and follow-ups", "Figures and exchange", "The store")


def _where(entry) -> str:
    """An entry's "module:object"; an entry may be that string alone, with no panel."""
    return entry if isinstance(entry, str) else entry[0]


def _panel(entry) -> str:
    return "Other commands" if isinstance(entry, str) else entry[1]


def _load(where: str):
    """The Typer group or command function a COMMANDS entry names."""
    module, _, attribute = where.partition(":")
    # __import__, not importlib.import_module: `python -X importtime` reports only this path.
    return getattr(__import__(module, fromlist=[attribute]), attribute)


def _summary(where: str) -> str:
    """What 'masg --help' says of a command: its group's help, or its function's docstring."""
    found = _load(where)
    if isinstance(found, typer.Typer):
        return inspect.cleandoc(found.info.help or "")
    return inspect.getdoc(found) or ""


def _click_command(name: str, where: str) -> Command:
    """One entry made into its Click command, through a holder with the root app's settings."""
    from masg_cli.cli.helptext import tidy

    found = _load(where)
    holder = typer.Typer(add_completion=False, rich_markup_mode=app.rich_markup_mode)
    if isinstance(found, typer.Typer):
        holder.add_typer(found, name=name)
        return tidy(typer.main.get_command(holder).commands[name])  # type: ignore[attr-defined]
    holder.command(name)(found)
    return tidy(typer.main.get_command(holder))


class LazyCommands(MutableMapping):
    """The root's commands by name, each built (its module imported, its options read) only
    when first wanted: 'masg referral add' builds the referral group alone, completion only the
    commands whose names match. Reading the whole mapping (items(), a test's walk) builds all."""

    def __init__(self, table: dict):
        self.table = table
        self.built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self.built:
            self.built[name] = _click_command(name, _where(self.table[name]))
        return self.built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]

    def __iter__(self):
        return iter({**self.table, **self.built})

    def __len__(self) -> int:
        return len({**self.table, **self.built})


def main() -> None:
    """The console script: run the app; anything unforeseen is one line, never a traceback."""
    try:
        # The same name whether run as `masg` or `python -m masg_cli` (help, completion).
        app(prog_name="masg")
    except SystemExit:
        raise
    except MasgError as exc:  # raised outside a command, e.g. while completing
        print(f"masg: {shown_on_one_line(exc.message)}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        if os.environ.get("MASG_DEBUG"):
            raise
        print(f"masg: unexpected {type(exc).__name__}; nothing was saved. "
              "Run 'masg doctor' and report this if it happens again", file=sys.stderr)
        sys.exit(1)
