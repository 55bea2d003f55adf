"""One child across the store: every referral they are in (person find), and everything held
about them for a subject access request (person export)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import text

from masg_cli.errors import Refused
from masg_cli.names import birth_dates, fold, sound, words

_CHILDREN = (
    "SELECT r.reference, r.status, c.name, c.dob, l.name, r.received, r.id FROM child c "
    "JOIN referral r ON r.id = c.referral_id JOIN locality l ON l.id = r.locality_id"
)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def find(session, name: str, *, dob: date | None = None) -> list[dict]:
    """Every referral with a child each of whose words is matched by a word of ``name``: by
    spelling (folded: ``exact``) or only by sound (phonetic key: ``similar``); exact ones first."""
    wanted = words(name)
    if not wanted:
        raise Refused("give the child's name to look for (letters, not only punctuation)")
    # The store narrows by sound (a word spelt the same sounds the same); Python then tells
    # spelling from sound, word by word.
    where: list[str] = []
    params: dict[str, object] = {}
    for i, word in enumerate(wanted):
        where.append(f"(' ' || c.name_sound || ' ') LIKE :s{i}")
        params[f"s{i}"] = f"% {sound(word)} %"
    if dob is not None:
        dobs = birth_dates(dob)
        where.append("c.dob IN (:dob, :swapped)")
        params.update(dob=dobs[0], swapped=dobs[-1])
    found = []
    for ref, status, child, born, locality, received, _ in session.connection().execute(
            text(_CHILDREN + " WHERE " + " AND ".join(where) + " ORDER BY r.received, r.id, c.position"), params):
        match = _match(wanted, child)
        if match:
            found.append({"reference": ref, "status": status, "child": child, "dob": _day(born),
                          "locality": locality, "received": _day(received), "match": match})
    return sorted(found, key=lambda row: row["match"] != "exact")


def _match(wanted: list[str], child: str) -> str | None:
    spelt = set(words(child))
    heard = {sound(w) for w in spelt}
    if all(w in spelt for w in wanted):
        return "exact"
    if all(w in spelt or sound(w) in heard for w in wanted):
        return "similar"
    return None


def exact_referrals(session, name: str, dob: date) -> list[str]:
    """The references of every referral with this child: the folded name and the date of birth exactly."""
    rows = session.connection().execute(text(
        "SELECT DISTINCT r.reference, r.id FROM child c JOIN referral r ON r.id = c.referral_id "
        "WHERE c.name_key = :key AND c.dob = :dob ORDER BY r.id"), {"key": fold(name), "dob": dob})
    return [reference for reference, _ in rows]


def export(uow, *, name: str, dob: date, out_dir: Path, on: date) -> list[Path]:
    """Subject access: everything held about the child, as JSON and as a readable Word document,
    each 0600 and named by the date alone (never the child's name); audited on every referral."""
    from masg_cli.documents.render import prepare_folder, removed_on_failure, write_bytes
    from masg_cli.documents.subject_access import docx_bytes
    from masg_cli.services.casefile import referral_detail

    session = uow.session
    references = exact_referrals(session, name, dob)
    if not references:
        raise Refused("no referral holds a child of that name and date of birth; "
                      "look with 'masg person find NAME' first")
    held = {"child": {"name": name.strip(), "dob": dob}, "produced": on,
            "referrals": [referral_detail(session, ref) for ref in references]}
    folder = prepare_folder(out_dir)
    stem = f"subject-access-{on.isoformat()}"
    with removed_on_failure([]) as written:
        written.append(write_bytes(folder / f"{stem}.json", json.dumps(
            held, default=_plain, ensure_ascii=False, indent=2).encode("utf-8")))
        written.append(write_bytes(folder / f"{stem}.docx", docx_bytes(held)))
        from masg_cli.services.access import record_view

        for reference in references:
            uow.record("person export", reference, {"files": [p.name for p in written],
                                                    "referrals": len(references)})
            record_view(uow, reference, "person export")
    return written


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
