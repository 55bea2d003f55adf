"""Filling templates safely and writing documents whole.

Every document goes through here, so the safety rules live in one place:
- templates render in Jinja's sandbox with autoescaping and StrictUndefined, so a name like
  ``O'Brien & Sons <Ltd>`` comes out as typed and a missing value is an error, not a blank;
- a document is written whole in the command's staging folder and moved into ``--out`` only
  once the command's record of it is committed (outputs.py), so a failure or a kill never leaves
  half a document, or one nobody recorded, behind;
- a broken template is one line naming the file and the text around the error.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from masg_cli.errors import Refused
from masg_cli.folders import make_private

T = TypeVar("T")


# --- rendering ----------------------------------------------------------------------------------

def environment(*, autoescape: bool):
    """The sandbox every template renders in: a missing value is an error, never a blank."""
    from jinja2 import StrictUndefined

    from masg_cli.documents.sandbox import MasgSandbox

    # A new one for each template: its clock and its count of characters start at zero.
    env = MasgSandbox(autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["uk"] = _uk_filter
    return env


def _uk_filter(value) -> str:
    from datetime import date

    from masg_cli.dates import uk

    return uk(value) if isinstance(value, date) else str(value)


def template_problem(name: str, exc: Exception, path: Path | None = None) -> Refused:
    """One line for a broken template: its file, what Jinja said, and the words around it (for a
    Word template's syntax error given its ``path``, the paragraph that holds the broken tag)."""
    from jinja2 import TemplateError, TemplateSyntaxError

    from masg_cli.documents.sandbox import TemplateLimit

    if isinstance(exc, TemplateLimit):  # the message says what went over and what to do
        return Refused(f"template {name} {exc.message}")
    # In a text template the line helps; in a Word one it would count lines of XML.
    line = getattr(exc, "lineno", None) or (_line_in_template(exc) if name.endswith(".txt") else None)
    fix = f"fix it in {'a text editor' if name.endswith('.txt') else 'Word'} (or run 'masg templates check')"
    if not isinstance(exc, TemplateError):  # 1/0, [].pop(), a recursion: the template's fault
        what = " ".join(str(exc).split())[:160]
        at = f" at line {line}" if line else ""
        return Refused(f"template {name} cannot be filled in{at} ({type(exc).__name__}"
                       f"{': ' + what if what else ''}); {fix}")
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, TemplateSyntaxError) and path is not None and path.suffix == ".docx":
        from masg_cli.documents.tags import broken_paragraph

        if where := broken_paragraph(path, environment(autoescape=True)):
            return Refused(f"template {name} has an error: {message} in {where}; {fix}")
    around = getattr(exc, "docx_context", None)
    text = ""
    if around is not None:
        text = " ".join(" ".join(line.split()) for line in around if line.strip())
        text = text[:160]
    elif line:
        text = f"line {line}"
    near = f" near '{text}'" if text else ""
    return Refused(f"template {name} has an error: {message}{near}; {fix}")


def _line_in_template(exc: Exception) -> int | None:
    """The template line an error was raised at: Jinja puts the template's lines in the traceback."""
    line, frame = None, exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == "<template>":
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


def multiline(text: str | None):
    """Text whose line breaks should stay line breaks in a Word document (escaped safely)."""
    from docxtpl import Listing

    return Listing(text or "")


def render_docx(template: Path, context: dict, out_dir: Path, filename: str) -> Path:
    """Fill a Word template with ``context`` and write ``out_dir/filename`` whole, or not at all."""

    from masg_cli.documents.word import NotWord, WordTemplate

    path = Path(template)
    target = prepare_folder(Path(out_dir)) / filename
    try:
        docx = WordTemplate.open(path)
    except NotWord:
        raise not_word(path) from None
    if docx is None:  # tags in the document's properties: only docxtpl's full path fills those
        return _render_with_docxtpl(path, context, target)
    try:
        parts = docx.render(context, environment(autoescape=True))
    except Exception as exc:  # noqa: BLE001 - whatever a template does, it is the template's error
        raise template_problem(path.name, exc, path) from None
    with _atomic(target) as tmp:
        docx.save(tmp, parts)
    return target


def _render_with_docxtpl(path: Path, context: dict, target: Path) -> Path:
    tpl = open_docx(path)
    try:
        tpl.render(context, jinja_env=environment(autoescape=True))
    except Exception as exc:  # noqa: BLE001 - whatever a template does, it is the template's error
        raise template_problem(path.name, exc, path) from None
    with _atomic(target) as tmp:
        tpl.save(tmp)
    return target


def try_template(template: Path, context: dict) -> None:
    """Fill a template as its document would be, and write nothing (for 'masg templates check');
    raises the Refused that making the document would."""
    from masg_cli.documents.word import NotWord, WordTemplate

    path = Path(template)
    if path.suffix != ".docx":
        render_text(path, context)
        return
    try:
        docx = WordTemplate.open(path)
    except NotWord:
        raise not_word(path) from None
    try:
        if docx is None:
            open_docx(path).render(context, jinja_env=environment(autoescape=True))
        else:
            docx.render(context, environment(autoescape=True))
    except Exception as exc:  # noqa: BLE001 - whatever a template does, it is the template's error
        raise template_problem(path.name, exc, path) from None


def not_word(path: Path) -> Refused:
    return Refused(f"template {path.name} is not a Word document (.docx) masg can read; "
                   "save it again from Word as .docx")


def open_docx(path: Path):
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(path)
        tpl.init_docx()
    except Exception:  # a zip error, a missing part: not a Word document at all
        raise not_word(path) from None
    return tpl


def render_text(template: Path, context: dict) -> str:
    """Fill a plain-text template (an e-mail's covering message); no HTML escaping in plain text."""
    path = Path(template)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise Refused(f"template {path.name} cannot be read as UTF-8 text") from None
    try:
        return environment(autoescape=False).from_string(source).render(context)
    except Exception as exc:  # noqa: BLE001 - whatever a template does, it is the template's error
        raise template_problem(path.name, exc, path) from None


# --- writing files ----------------------------------------------------------------------------

def prepare_folder(folder: Path) -> Path:
    """The output folder, made (0700: it will hold children's details) if missing, or refused."""
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise Refused(f"{folder} is a file, not a folder; give --out a folder")
    if not folder.exists():
        try:
            make_private(folder)
        except OSError as exc:
            raise Refused(f"cannot create folder {folder} ({exc.strerror}); choose another --out") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise Refused(f"cannot write in {folder}; choose a folder you can write to")
    return folder


@contextmanager
def _atomic(target: Path, *, overwrite: bool | None = None) -> Iterator[Path]:
    """A staged file for ``target`` (outputs.py): never beside it, where a killed command would
    leave it; moved onto it once the command's record of it is committed."""
    from masg_cli import outputs

    with outputs.staged(target, overwrite=overwrite) as tmp:
        yield tmp


@contextmanager
def removed_on_failure(written: list[Path]) -> Iterator[list[Path]]:
    """The files in ``written`` are removed (or no longer held) if what follows fails: a command
    that saves nothing leaves no document behind either."""
    from masg_cli import outputs

    try:
        yield written
    except BaseException:
        for path in set(written):
            outputs.discard(Path(path))
        raise


def write_document(template: Path, context: dict, out_dir, filename: str, *, pdf: bool,
                   drafts: Callable[[Path], Iterable[Path]] | None = None) -> list[Path]:
    """A document sent as it is made: ``out_dir/filename`` from ``template``, its PDF when asked,
    then the e-mail drafts ``drafts`` writes with the PDF (else the document) attached; written
    whole, or nothing is left behind. Returns every file written, the document first."""
    from masg_cli.documents.pdf import to_pdf  # pdf.py writes its PDFs through this module

    path = render_docx(template, context, out_dir, filename)
    written = [path]
    with removed_on_failure(written):
        attachment = path
        if pdf:
            attachment = to_pdf(path)
            written.append(attachment)
        if drafts is not None:
            for draft in drafts(attachment):  # each one noted as it is written: removed if a later fails
                written.append(draft)
    return written


def write_bytes(target: Path, data: bytes, *, overwrite: bool | None = None) -> Path:
    """Write a whole file atomically (e-mail drafts, PDFs, templates); ``overwrite`` None: as
    the command was told (--overwrite)."""
    target = prepare_folder(Path(target).parent) / Path(target).name
    with _atomic(target, overwrite=overwrite) as tmp:
        tmp.write_bytes(data)
    return target


# --- progress ---------------------------------------------------------------------------------------

def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """Yield ``items`` with a progress bar on stderr while a batch is made (silent when piped)."""
    items = list(items)
    if not sys.stderr.isatty() or len(items) < 2:
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=len(items))
        for item in items:
            yield item
            bar.advance(task)
