"""E-mail drafts (.eml) that Outlook opens ready to send, and the words that go with them."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Iterable

from masg_cli.documents.render import prepare_folder, write_bytes
from masg_cli.outputs import readable
from masg_cli.errors import Refused

_MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ics": "text/calendar",
    ".txt": "text/plain",
    ".csv": "text/csv",
}


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
              attachments: Iterable[Path] = (), sender=None) -> Path:
    """An unsent e-mail draft (.eml) that Outlook opens ready to send, documents attached.

    ``to`` is an address, or a list of addresses or (name, address) pairs. Written as Outlook
    reads a draft: ``X-Unsent: 1`` (Outlook opens it to edit and send, not as received mail);
    From ``sender`` (an address or a (name, address) pair: sender_of() gives the locality's
    co-ordinator) or, without one, none (Outlook fills in the account that sends it); CRLF
    line endings (RFC 5322; the default policy writes bare LF); the text quoted-printable, so
    the whole file is 7-bit.
    """
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import formatdate

    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMessage(policy=SMTP)
    try:
        message["To"] = tuple(_address(r) for r in recipients)
        if sender:
            message["From"] = _address(sender)
        message["Subject"] = subject
    except ValueError:
        raise Refused(f"an e-mail address or subject for {filename} holds a line break; correct it") from None
    message["Date"] = formatdate(localtime=True)
    message["X-Unsent"] = "1"
    message.set_content(body, cte="quoted-printable")
    for attachment in attachments:
        attachment = Path(attachment)
        mime = _MIME.get(attachment.suffix.lower()) or mimetypes.guess_type(attachment.name)[0]
        maintype, subtype = (mime or "application/octet-stream").split("/", 1)
        message.add_attachment(readable(attachment).read_bytes(), maintype=maintype, subtype=subtype,
                               filename=attachment.name)
    # Headers folded at 998 characters (RFC 5322's limit), not 78: the standard library folds a
    # subject that just overruns 78 straight after "Subject:", and mail programs then read it back
    # with a leading space. The body and attachments were encoded above, in 76-character lines.
    return write_bytes(prepare_folder(Path(out_dir)) / filename,
                       message.as_bytes(policy=SMTP.clone(max_line_length=998)))


def sender_of(context: dict) -> tuple[str, str] | None:
    """The draft's From: the locality's co-ordinator, when their contact holds an e-mail address."""
    address = email_in(context.get("coordinator_contact"))
    return (context.get("coordinator") or "", address) if address else None


def email_in(contact: str | None) -> str | None:
    """The e-mail address inside a contact such as '07700 900123, siân@example.org', if any."""
    found = re.search(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+", contact or "")
    return found.group(0) if found else None


def covering_message(context: dict, what: str, ask: str) -> str:
    """A short covering message; the reference, never a child's name (e-mail is less safe)."""
    return (f"Dear {context['lead_name']},\n\n"
            f"Please find attached the {what} for {context['panel']} referral {context['reference']} "
            f"({context['locality']}), last reviewed by the panel: {context['last_reviewed']}.\n\n"
            f"{ask}\n\n"
            "Kind regards,\n\n"
            f"{context['coordinator']}\nCAF co-ordinator, {context['locality']}\n{context['coordinator_contact']}\n")
