"""The Click classes masg uses, from wherever this Typer keeps them.

Typer 0.29 carries its own Click as ``typer._click``; earlier releases use the ``click`` package.
One module makes the choice so that the rest of the CLI imports plain names, and so that the type
checker sees one set of classes whether or not a separate ``click`` is installed beside Typer.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typer._click.core import Command
    from typer._click.exceptions import ClickException, UsageError
    from typer._click.shell_completion import CompletionItem
else:
    try:
        from typer._click.core import Command
        from typer._click.exceptions import ClickException, UsageError
        from typer._click.shell_completion import CompletionItem
    except ImportError:  # pragma: no cover - Typer before 0.29
        from click.core import Command
        from click.exceptions import ClickException, UsageError
        from click.shell_completion import CompletionItem

__all__ = ["ClickException", "Command", "CompletionItem", "UsageError"]
