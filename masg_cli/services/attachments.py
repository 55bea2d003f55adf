"""Attachments: the documents of a case file, kept inside the store.

Inside the store, not beside it, so that a backup, 'store copy', retention and subject access
carry them like every other record. A file is accepted by what its bytes are (file_kinds.py),
never by its name; it is read once, in pieces: each piece is hashed, checked and written as it
is read, so a 20 MB scan is never held whole in memory (nor several copies of it). Its SHA-256
is shown, audited, and checked again whenever it is given back and by 'masg doctor'.

The audit entry never holds the file's name: a scan is often named after the child.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from sqlalchemy import func, select
from sqlmodel import Session, col

from masg_cli import file_kinds, rules
from masg_cli.dates import now_utc
from masg_cli.errors import NotFound, Refused, UsageProblem
from masg_cli.models import Attachment, AttachmentChunk, Referral, id_of
from masg_cli.services.referrals import get_referral

PIECE = 1024 * 1024
_PIECES = AttachmentChunk.__table__  # type: ignore[attr-defined]


def megabytes(size: int) -> str:
    """A size as people read it: '340 KB', '20.0 MB'."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# --- Taking a file in --------------------------------------------------------------------------


def _open_source(given: str) -> tuple[BinaryIO, int]:
    """The file to attach, opened, with its size; refused in one line if it cannot be."""
    path = Path(given).expanduser()
    if ".." in Path(given).parts:
        raise Refused(f"{given} goes up through '..'; give the file's own path (for example its full path)")
    if path.name.startswith("."):
        raise Refused(f"{given} is a hidden file (its name starts with a dot), not a case document; "
                      "rename it (for example caf.pdf) and attach that")
    try:
        if path.is_dir():
            raise Refused(f"{given} is a folder; attach the files in it one at a time")
        if path.exists() and not path.is_file():  # a pipe or a device: opening it could hang
            raise Refused(f"{given} is not a document file; attach a PDF, Word, image or text file")
        handle = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise Refused(f"there is no file {given}; check the path") from None
    except OSError as exc:
        raise Refused(f"{given} cannot be read ({exc.strerror}); check its permissions") from None
    info = os.fstat(handle.fileno())
    if info.st_size == 0:
        handle.close()
        raise Refused(f"{given} is empty; nothing to attach")
    if info.st_size > rules.ATTACHMENT_MAX_BYTES:
        handle.close()
        raise Refused(_too_big(given, info.st_size))
    return handle, info.st_size


def _too_big(given: str, size: int) -> str:
    return (f"{given} is {megabytes(size)}; an attachment may be at most "
            f"{megabytes(rules.ATTACHMENT_MAX_BYTES)}: save a smaller copy (a lower-resolution scan, "
            "or the document in parts)")


def _refuse_content(given: str, looks_like: str) -> Refused:
    return Refused(f"{given} looks like {looks_like}, not {file_kinds.ACCEPTED_KINDS}; "
                   "masg keeps only those: save it as a PDF and attach that")


def _content_by_head(handle: BinaryIO, given: str) -> str | None:
    """What the file's first bytes (and, for a zip, its list of names) say it is; None when only
    reading the whole of it can tell (plain text)."""
    head = handle.read(file_kinds.HEAD_BYTES)
    handle.seek(0)
    kind, looks_like = file_kinds.by_head(head)
    if head.startswith(file_kinds.ZIP):
        import zipfile

        try:
            with zipfile.ZipFile(handle) as archive:
                kind, looks_like = file_kinds.zip_kind(set(archive.namelist()))
        except (zipfile.BadZipFile, OSError, ValueError):
            kind, looks_like = None, "a damaged zip archive"
        handle.seek(0)
    if looks_like:
        raise _refuse_content(given, looks_like)
    return kind


@dataclass
class Stored:
    size: int
    sha256: str
    text: bool


def _store_pieces(session: Session, attachment_id: int, handle: BinaryIO, given: str) -> Stored:
    """Read, hash, check and store the file a piece at a time."""
    digest, text, size, position = hashlib.sha256(), file_kinds.TextCheck(), 0, 0
    connection = session.connection()
    while piece := handle.read(PIECE):
        size += len(piece)
        if size > rules.ATTACHMENT_MAX_BYTES:  # it grew while being read
            raise Refused(_too_big(given, size))
        digest.update(piece)
        text.feed(piece)
        connection.execute(_PIECES.insert(), {"attachment_id": attachment_id, "position": position,
                                              "data": piece})
        position += 1
    return Stored(size, digest.hexdigest(), text.finish())


def attach(uow, reference: str, *, given: str, kind: str) -> Attachment:
    """Keep a document in the case file: judged by content, at most 20 MB, hashed and audited."""
    if kind not in rules.ATTACHMENT_KINDS:
        raise UsageProblem(f"--kind '{kind}' is not one of {', '.join(rules.ATTACHMENT_KINDS)}")
    referral = get_referral(uow.session, reference, for_update=True)
    handle, _ = _open_source(given)
    with handle:
        content = _content_by_head(handle, given)
        name = file_kinds.safe_name(Path(given).name, "attachment")
        attachment = Attachment(referral_id=id_of(referral), name=name, kind=kind, content=content or "",
                                size=0, sha256="", added_at=now_utc())
        uow.session.add(attachment)
        uow.session.flush()
        stored = _store_pieces(uow.session, id_of(attachment), handle, given)
    if content is None:
        if not stored.text:
            raise _refuse_content(given, "binary data of a kind masg does not keep")
        content = file_kinds.TEXT
    attachment.content, attachment.size, attachment.sha256 = content, stored.size, stored.sha256
    uow.session.add(attachment)
    uow.session.flush()
    uow.record("attach", referral.reference, {"attachment": attachment.id, "kind": kind, "content": content,
                                              "size": stored.size, "sha256": stored.sha256})
    return attachment


# --- Reading them back -------------------------------------------------------------------------


def as_json(attachment: Attachment) -> dict:
    return {"id": attachment.id, "name": attachment.name, "kind": attachment.kind, "size": attachment.size,
            "sha256": attachment.sha256, "added": attachment.added_at.date(), "content": attachment.content}


def attachments_of(session: Session, referral: Referral) -> list[dict]:
    rows = session.execute(select(Attachment).where(col(Attachment.referral_id) == referral.id)
                           .order_by(col(Attachment.id))).scalars()
    return [as_json(a) for a in rows]


def list_attachments(session: Session, reference: str) -> list[dict]:
    return attachments_of(session, get_referral(session, reference))


def get_attachment(session: Session, reference: str, attachment_id: int) -> tuple[Referral, Attachment]:
    referral = get_referral(session, reference)
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.referral_id != referral.id:
        raise NotFound(f"{referral.reference} has no attachment {attachment_id}; see "
                       f"'masg attachment list {referral.reference}'")
    return referral, attachment


def pieces(session: Session, attachment_id: int) -> Iterator[bytes]:
    """An attachment's bytes, one piece per query, so only one piece is in memory at a time."""
    count = session.execute(select(func.count()).select_from(_PIECES)
                            .where(_PIECES.c.attachment_id == attachment_id)).scalar_one()
    for position in range(count):
        data = session.execute(select(_PIECES.c.data).where(_PIECES.c.attachment_id == attachment_id,
                                                            _PIECES.c.position == position)).scalar()
        if data is None:
            return  # a missing piece: the hash check names the damage
        yield bytes(data)


def intact(session: Session, attachment: Attachment) -> bool:
    """Do the stored pieces still give the size and SHA-256 recorded when it was attached?"""
    digest, size = hashlib.sha256(), 0
    for piece in pieces(session, id_of(attachment)):
        digest.update(piece)
        size += len(piece)
    return size == attachment.size and digest.hexdigest() == attachment.sha256


def damaged(session: Session) -> tuple[int, int, list[str]]:
    """For 'masg doctor': how many attachments, their bytes, and each one whose hash fails, as
    'REF attachment ID' (never its name)."""
    checked, total, bad = 0, 0, []
    rows = session.execute(select(Attachment, col(Referral.reference))
                           .join(Referral, col(Referral.id) == Attachment.referral_id)
                           .order_by(col(Attachment.id))).all()
    for attachment, reference in rows:
        checked, total = checked + 1, total + attachment.size
        if not intact(session, attachment):
            bad.append(f"{reference} attachment {attachment.id}")
    return checked, total, bad


def write_copy(session: Session, attachment: Attachment, target: Path) -> None:
    """Write the attachment to ``target`` piece by piece; refused if it no longer matches its hash."""
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for piece in pieces(session, id_of(attachment)):
            digest.update(piece)
            out.write(piece)
    if digest.hexdigest() != attachment.sha256:
        raise Refused(f"attachment {attachment.id} no longer matches the SHA-256 it was stored with "
                      "(damaged); nothing was written: run 'masg doctor' and restore the store from a backup")


def get_copy(uow, reference: str, attachment_id: int, out_dir: Path) -> tuple[Attachment, Path]:
    """Give an attachment back as a 0600 file under its own name (made safe) in ``out_dir``; the
    file appears only once the audit entry of who took it is saved."""
    from masg_cli.documents.render import prepare_folder
    from masg_cli.services.export import output_on_commit

    referral, attachment = get_attachment(uow.session, reference, attachment_id)
    folder = prepare_folder(Path(out_dir))
    target = folder / file_kinds.safe_name(attachment.name, f"attachment-{attachment.id}")
    if target.exists():
        raise Refused(f"{target} already exists; give another --out folder, or move that file first")
    with output_on_commit(uow, target) as tmp:
        write_copy(uow.session, attachment, tmp)
        uow.record("attachment get", referral.reference, {"attachment": attachment.id,
                                                          "sha256": attachment.sha256})
    return attachment, target


# --- With the background pack -------------------------------------------------------------------

EXTENSIONS = {file_kinds.PDF: ".pdf", file_kinds.DOCX: ".docx", file_kinds.PNG: ".png",
              file_kinds.JPEG: ".jpg", file_kinds.TEXT: ".txt"}


def pack_name(reference: str, kind: str, number: int, content: str) -> str:
    """An attachment's name in a background pack folder: the reference, its kind and a number
    ('MASG-2026-0001-caf-1.pdf'), never its own name, which often carries the child's."""
    return f"{reference}-{kind}-{number}{EXTENSIONS.get(content, '')}"


def in_pack(session: Session, referrals: list[Referral]) -> dict[int, list[tuple[Attachment, str]]]:
    """Each case's attachments with the names they have in a pack folder (one query)."""
    named: dict[int, list[tuple[Attachment, str]]] = {id_of(r): [] for r in referrals}
    references = {id_of(r): r.reference for r in referrals}
    numbers: dict[tuple[int, str], int] = {}
    for attachment in session.execute(select(Attachment).where(col(Attachment.referral_id).in_(list(named)))
                                      .order_by(col(Attachment.referral_id), col(Attachment.id))).scalars():
        key = (attachment.referral_id, attachment.kind)
        numbers[key] = numbers.get(key, 0) + 1
        named[attachment.referral_id].append((attachment, pack_name(
            references[attachment.referral_id], attachment.kind, numbers[key], attachment.content)))
    return named


def copy_into_pack(session: Session, referrals: list[Referral], out_dir: Path,
                   written: list[Path]) -> Iterator[tuple[Referral, Path]]:
    """Each case's attachments written 0600 into the pack's folder, each added to ``written`` as
    soon as it exists (so that a failure later removes it with the rest)."""
    from masg_cli.services.export import private_output

    named = in_pack(session, referrals)
    for referral in referrals:
        for attachment, name in named[id_of(referral)]:
            target = Path(out_dir) / name
            with private_output(target) as tmp:
                write_copy(session, attachment, tmp)
            written.append(target)
            yield referral, target
