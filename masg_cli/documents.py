"""The documents masg sends: finding templates, rendering them safely, PDFs and e-mail drafts.

Every document command goes through here, so the safety rules live in one place:
- templates render in Jinja's sandbox with autoescaping and StrictUndefined, so a name like
  ``O'Brien & Sons <Ltd>`` comes out as typed and a missing value is an error, not a blank;
- a document is written to a temporary file in its folder and renamed, so a failure never
  leaves half a document behind;
- a broken template is one line naming the file and the text around the error.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

from masg_cli.errors import Refused
from masg_cli.folders import make_private

# The templates masg ships and reads, by file name (SPEC.md names the first six).
SHIPPED = (
    "agenda.docx",
    "background-pack.docx",
    "decision-sheet.docx",
    "decision-email.txt",
    "followup-letter.docx",
    "final-review-form.docx",
    "invite-email.txt",
    "pack-email.txt",
)

_MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ics": "text/calendar",
    ".txt": "text/plain",
    ".csv": "text/csv",
}

T = TypeVar("T")


# --- finding templates ---------------------------------------------------------------------

def shipped_folder() -> Path:
    """The templates installed with masg (the repository's templates/ folder)."""
    from importlib.resources import files

    return Path(str(files("masg_cli.templates")))


def user_folder() -> Path | None:
    """The co-ordinator's own templates (--templates / MASG_TEMPLATES), if any."""
    from masg_cli.cli.context import options

    return Path(options.templates).expanduser() if options.templates else None


def check_before_writing(*, pdf: bool = False) -> None:
    """What would stop a document command part-way is found before any file is written: a
    templates folder that is not there (letters would quietly go out on the shipped letterhead)
    and, for --pdf, LibreOffice."""
    folder = user_folder()
    if folder is not None and not folder.is_dir():
        raise Refused(f"the templates folder {folder} (--templates or MASG_TEMPLATES) is not a folder; "
                      f"correct the path, or make it with 'masg templates copy {folder}'")
    if pdf and soffice() is None:
        raise Refused(NO_LIBREOFFICE)


def template_path(name: str) -> Path:
    """The template to use for ``name``: the user's copy if they have one, else the shipped one."""
    check_before_writing()
    folder = user_folder()
    if folder is not None and (folder / name).is_file():
        return folder / name
    shipped = shipped_folder() / name
    if shipped.is_file():
        return shipped
    where = f"in {folder} or " if folder is not None else ""
    raise Refused(f"template {name} was not found {where}among the shipped templates; "
                  "run 'masg templates copy DIR' to get the shipped set")


def _resolve(template) -> Path:
    """Accept a template name (looked up) or a path (used as given)."""
    if isinstance(template, Path):
        return template
    if os.sep in str(template) or "/" in str(template):
        return Path(template)
    return template_path(str(template))


# --- rendering ----------------------------------------------------------------------------------

def _environment(*, autoescape: bool):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=autoescape, undefined=StrictUndefined,
                               keep_trailing_newline=True)
    env.filters["uk"] = _uk_filter
    return env


def _uk_filter(value) -> str:
    from datetime import date

    from masg_cli.dates import uk

    return uk(value) if isinstance(value, date) else str(value)


def _template_problem(name: str, exc: Exception) -> Refused:
    """One line for a broken template: its file, what Jinja said, and the words around it."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    around = getattr(exc, "docx_context", None)
    text = ""
    if around is not None:
        text = " ".join(" ".join(line.split()) for line in around if line.strip())
        text = text[:160]
    elif getattr(exc, "lineno", None):
        text = f"line {exc.lineno}"
    near = f" near '{text}'" if text else ""
    return Refused(f"template {name} has an error: {message}{near}; "
                   "fix it in Word (or run 'masg templates check')")


def multiline(text: str | None):
    """Text whose line breaks should stay line breaks in a Word document (escaped safely)."""
    from docxtpl import Listing

    return Listing(text or "")


def render_docx(template, context: dict, out_dir: Path, filename: str) -> Path:
    """Fill a Word template with ``context`` and write ``out_dir/filename`` whole, or not at all."""
    from jinja2 import TemplateError

    from masg_cli.word import NotWord, WordTemplate

    path = _resolve(template)
    target = prepare_folder(Path(out_dir)) / filename
    try:
        docx = WordTemplate.open(path)
    except NotWord:
        raise _not_word(path) from None
    if docx is None:  # tags in the document's properties: only docxtpl's full path fills those
        return _render_with_docxtpl(path, context, target)
    try:
        parts = docx.render(context, _environment(autoescape=True))
    except TemplateError as exc:
        raise _template_problem(path.name, exc) from None
    with _atomic(target) as tmp:
        docx.save(tmp, parts)
    return target


def _render_with_docxtpl(path: Path, context: dict, target: Path) -> Path:
    from jinja2 import TemplateError

    tpl = _open_docx(path)
    try:
        tpl.render(context, jinja_env=_environment(autoescape=True))
    except TemplateError as exc:
        raise _template_problem(path.name, exc) from None
    with _atomic(target) as tmp:
        tpl.save(tmp)
    return target


def _not_word(path: Path) -> Refused:
    return Refused(f"template {path.name} is not a Word document (.docx) masg can read; "
                   "save it again from Word as .docx")


def _open_docx(path: Path):
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(path)
        tpl.init_docx()
    except Exception:  # a zip error, a missing part: not a Word document at all
        raise _not_word(path) from None
    return tpl


def render_text(template, context: dict) -> str:
    """Fill a plain-text template (an e-mail's covering message); no HTML escaping in plain text."""
    from jinja2 import TemplateError

    path = _resolve(template)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise Refused(f"template {path.name} cannot be read as UTF-8 text") from None
    try:
        return _environment(autoescape=False).from_string(source).render(context)
    except TemplateError as exc:
        raise _template_problem(path.name, exc) from None


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
def _atomic(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target``, renamed onto it only when writing succeeded."""
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".masg-", suffix=".part")
    except OSError as exc:
        raise Refused(f"cannot write in {target.parent} ({exc.strerror}); choose another --out") from None
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise Refused(f"cannot write {target} ({exc.strerror}); choose another --out") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes) -> Path:
    """Write a whole file atomically (used for calendars and e-mail drafts)."""
    target = prepare_folder(Path(target).parent) / Path(target).name
    with _atomic(target) as tmp:
        tmp.write_bytes(data)
    return target


# --- PDF through LibreOffice ---------------------------------------------------------------------

NO_LIBREOFFICE = ("LibreOffice is not installed, so no PDF can be made; install it "
                  "(for example 'apt-get install libreoffice-writer-nogui') or leave out --pdf")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(path: Path) -> Path:
    """A PDF beside the document, made by LibreOffice headless with a profile of its own."""
    program = soffice()
    if program is None:
        raise Refused(NO_LIBREOFFICE)
    path = Path(path)
    target = path.with_suffix(".pdf")
    # Its own profile: a second LibreOffice on the same profile exits 0 without converting.
    with tempfile.TemporaryDirectory(prefix="masg-soffice-") as work:
        profile = Path(work, "profile").as_uri()
        outdir = Path(work, "out")
        command = [program, f"-env:UserInstallation={profile}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(outdir), str(path)]
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            raise Refused(f"LibreOffice could not convert {path.name} to PDF; "
                          "open it in Word or LibreOffice and save it as PDF") from None
        made = outdir / target.name
        if not made.is_file() or made.stat().st_size == 0:
            raise Refused(f"LibreOffice made no PDF from {path.name}; "
                          "open it in Word or LibreOffice and save it as PDF")
        write_bytes(target, made.read_bytes())
    return target


# --- e-mail drafts --------------------------------------------------------------------------------

def _address(item):
    """An address from 'a@b', 'Name <a@b>' or (name, address): display names are quoted safely."""
    from email.headerregistry import Address
    from email.utils import parseaddr

    name, addr = (item[0], item[1]) if isinstance(item, (tuple, list)) else parseaddr(str(item))
    if "@" not in addr or any(c in addr for c in "\r\n"):
        raise Refused(f"'{addr}' is not an e-mail address; correct it before making a draft")
    user, domain = addr.rsplit("@", 1)
    return Address(display_name=name or "", username=user, domain=domain)


def write_eml(out_dir: Path, filename: str, *, to, subject: str, body: str,
              attachments: Iterable[Path] = (), sender: str | None = None) -> Path:
    """An unsent e-mail draft (.eml) that Outlook opens ready to send, documents attached.

    ``to`` is an address, or a list of addresses or (name, address) pairs.
    """
    from email.message import EmailMessage
    from email.utils import formatdate

    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMessage()
    try:
        message["To"] = tuple(_address(r) for r in recipients)
        if sender:
            message["From"] = sender
        message["Subject"] = subject
    except ValueError:
        raise Refused(f"an e-mail address or subject for {filename} holds a line break; correct it") from None
    message["Date"] = formatdate(localtime=True)
    message["X-Unsent"] = "1"
    message.set_content(body)
    for attachment in attachments:
        attachment = Path(attachment)
        mime = _MIME.get(attachment.suffix.lower()) or mimetypes.guess_type(attachment.name)[0]
        maintype, subtype = (mime or "application/octet-stream").split("/", 1)
        message.add_attachment(attachment.read_bytes(), maintype=maintype, subtype=subtype,
                               filename=attachment.name)
    return write_bytes(prepare_folder(Path(out_dir)) / filename, bytes(message))


# --- the record of what was produced ----------------------------------------------------------

def record_document(uow, kind: str, path: Path, *, referral=None, meeting=None):
    """Remember a produced document (for 'referral show') and put it in the audit trail."""
    from masg_cli.dates import now_utc
    from masg_cli.models import Document

    row = Document(kind=kind, referral_id=getattr(referral, "id", None),
                   meeting_id=getattr(meeting, "id", None), path=str(path), produced_at=now_utc())
    uow.session.add(row)
    changes = {"kind": kind, "file": Path(path).name}
    if meeting is not None:
        changes["meeting"] = meeting.id
    uow.record("document", getattr(referral, "reference", None), changes)
    return row


# --- templates: copy and check ----------------------------------------------------------------

def copy_templates(dest: Path, *, overwrite: bool = False) -> tuple[list[Path], list[Path]]:
    """Put the shipped templates in ``dest`` for re-branding; existing files are kept unless told."""
    dest = prepare_folder(Path(dest))
    copied, kept = [], []
    for name in SHIPPED:
        source = shipped_folder() / name
        if not source.is_file():
            continue
        target = dest / name
        if target.exists() and not overwrite:
            kept.append(target)
            continue
        write_bytes(target, source.read_bytes())
        copied.append(target)
    return copied, kept


def check_templates(folder: Path | None) -> list[str]:
    """Each template's problems, one line each starting with its file name (empty: all fine).

    A user's folder is checked file by file against the shipped templates: a Jinja error, a
    file that is not a Word document, a value masg does not fill, or a file name masg never reads.
    """
    if folder is None:
        folder, names = shipped_folder(), [n for n in SHIPPED if (shipped_folder() / n).is_file()]
    else:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise Refused(f"{folder} is not a folder of templates")
        names = sorted(p.name for p in folder.iterdir()
                       if p.is_file() and p.suffix in (".docx", ".txt") and not p.name.startswith((".", "~$")))
    problems = []
    for name in names:
        if name not in SHIPPED:
            problems.append(f"{name}: masg does not use a template of this name "
                            f"(it reads {', '.join(SHIPPED)})")
            continue
        problems.extend(f"{name}: {p}" for p in _check_one(folder / name))
    return problems


def _variables(path: Path) -> set[str]:
    """The values a template asks for; raises Refused when it cannot be read or parsed."""
    from jinja2 import TemplateError, meta

    env = _environment(autoescape=path.suffix == ".docx")
    try:
        if path.suffix == ".docx":
            return set(_open_docx(path).get_undeclared_template_variables(jinja_env=env))
        return set(meta.find_undeclared_variables(env.parse(path.read_text(encoding="utf-8"))))
    except TemplateError as exc:
        if path.suffix == ".docx":
            _raise_with_context(path, env)
        raise _template_problem(path.name, exc) from None
    except (OSError, UnicodeDecodeError):
        raise Refused(f"template {path.name} cannot be read") from None


def _raise_with_context(path: Path, env) -> None:
    """Render once so docxtpl attaches the words around the error, and report those."""
    from jinja2 import TemplateError

    try:
        _open_docx(path).render({}, jinja_env=env)
    except TemplateError as exc:
        raise _template_problem(path.name, exc) from None


def _check_one(path: Path) -> list[str]:
    try:
        wanted = _variables(path)
    except Refused as exc:
        return [exc.message.removeprefix(f"template {path.name} ")]
    shipped = shipped_folder() / path.name
    if not shipped.is_file() or shipped.resolve() == path.resolve():
        return []
    unknown = sorted(wanted - _variables(shipped))
    if unknown:
        return [f"uses {', '.join(unknown)}, which masg does not fill "
                f"(the shipped {path.name} uses: {', '.join(sorted(_variables(shipped)))})"]
    return []


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
