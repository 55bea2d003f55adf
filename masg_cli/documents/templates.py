"""The templates masg fills: the shipped set, the co-ordinator's own folder over it, copy and check.

A co-ordinator re-brands the shipped Word files and points --templates (MASG_TEMPLATES) at their
folder; each file there replaces the shipped one of the same name, the rest stay shipped.
"""

from __future__ import annotations

from pathlib import Path

from masg_cli.documents import pdf as pdf_
from masg_cli.documents.render import (
    environment,
    open_docx,
    prepare_folder,
    template_problem,
    try_template,
    write_bytes,
)
from masg_cli.errors import Refused

# The templates masg ships and reads, by file name (SPEC.md names the first six).
SHIPPED = (
    "agenda.docx",
    "background-pack.docx",
    "decision-sheet.docx",
    "decision-email.txt",
    "family-letter.docx",
    "followup-letter.docx",
    "final-review-form.docx",
    "invite-email.txt",
    "pack-email.txt",
    "minutes.docx",
    "minutes-email.txt",
)


def shipped_folder() -> Path:
    """The templates installed with masg (the repository's templates/ folder)."""
    from importlib.resources import files

    return Path(str(files("masg_cli.templates")))


def check_before_writing(folder: Path | None = None, *, pdf: bool = False) -> None:
    """What would stop a document command part-way is found before any file is written: a
    templates folder that is not there (letters would quietly go out on the shipped letterhead)
    and, for --pdf, LibreOffice.

    ``folder`` is the co-ordinator's own templates (--templates / MASG_TEMPLATES: the unit of
    work's ``templates``), or None for the shipped ones alone.
    """
    if folder is not None and not folder.is_dir():
        raise Refused(f"the templates folder {folder} (--templates or MASG_TEMPLATES) is not a folder; "
                      f"correct the path, or make it with 'masg templates copy {folder}'")
    if pdf:
        pdf_.require_converter()


def template_path(name: str, folder: Path | None = None) -> Path:
    """The template to use for ``name``: the copy in ``folder`` if there is one, else the shipped one."""
    check_before_writing(folder)
    if folder is not None and (folder / name).is_file():
        return folder / name
    shipped = shipped_folder() / name
    if shipped.is_file():
        return shipped
    where = f"in {folder} or " if folder is not None else ""
    raise Refused(f"template {name} was not found {where}among the shipped templates; "
                  "run 'masg templates copy DIR' to get the shipped set")


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
        write_bytes(target, source.read_bytes(), overwrite=overwrite)
        copied.append(target)
    return copied, kept


def check_templates(folder: Path | None) -> list[str]:
    """Each template's problems, one line each starting with its file name (empty: all fine).

    Every template is parsed, its values compared with what masg fills, and then filled in for a
    fictional case with every value given (samples.py), exactly as a document would be; so a
    template that passes here renders for real cases too. Also reported: a file that is not a
    Word document, and a file name masg never reads.
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
    samples: dict[str, dict] = {}
    for name in names:
        if name not in SHIPPED:
            problems.append(f"{name}: masg does not use a template of this name "
                            f"(it reads {', '.join(SHIPPED)})")
            continue
        if not samples:
            from masg_cli.documents.samples import sample_contexts

            samples = sample_contexts()
        problems.extend(f"{name}: {p}" for p in _check_one(folder / name, samples[name]))
    return problems


def _variables(path: Path) -> set[str]:
    """The values a template asks for; raises Refused when it cannot be read or parsed."""
    from jinja2 import TemplateError, meta

    from masg_cli.documents.sandbox import TemplateLimit

    env = environment(autoescape=path.suffix == ".docx")
    try:
        if path.suffix == ".docx":
            wanted = set(open_docx(path).get_undeclared_template_variables(jinja_env=env))
        else:
            wanted = set(meta.find_undeclared_variables(env.parse(path.read_text(encoding="utf-8"))))
    except TemplateError as exc:
        if path.suffix == ".docx" and not isinstance(exc, TemplateLimit):
            _raise_with_context(path, env)
        raise template_problem(path.name, exc, path) from None
    except (OSError, UnicodeDecodeError):
        raise Refused(f"template {path.name} cannot be read") from None
    except Refused:  # not a Word document at all: open_docx says so
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. a RecursionError from brackets nested too deep
        raise template_problem(path.name, exc, path) from None
    return wanted - set(env.globals)  # range, namespace...: Jinja's, not values masg fills


def _raise_with_context(path: Path, env) -> None:
    """Render once so docxtpl attaches the words around the error, and report those."""
    from jinja2 import TemplateError

    try:
        open_docx(path).render({}, jinja_env=env)
    except TemplateError as exc:
        raise template_problem(path.name, exc, path) from None


def _check_one(path: Path, sample: dict) -> list[str]:
    """A template's problem, if any: it does not parse, asks for a value masg does not fill (the
    names come from the context the document is built with), or fails when filled in."""
    try:
        unknown = sorted(_variables(path) - set(sample))
        if unknown:
            return [f"uses {', '.join(unknown)}, which masg does not fill "
                    f"(it fills: {', '.join(sorted(sample))})"]
        try_template(path, sample)
    except Refused as exc:
        return [exc.message.removeprefix(f"template {path.name} ")]
    return []
