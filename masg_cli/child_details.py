"""A child's optional details, checked: what returns (Annex A) and safe identification need.

Pure, as rules.py is: the NHS number's modulus-11 check and the UPN's check letter are
python-stdnum's (stdnum.gb.nhs, stdnum.gb.upn), not hand-written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from masg_cli.errors import Refused

SEXES = ("female", "male", "other", "unknown")
# The DfE school census ethnicity codes (main categories), as Annex A and the census use them.
ETHNICITY_CODES = ("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
                   "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT")
POSTCODE_FORM = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
_NUMBER_CHECKS = {  # python-stdnum's error -> which check failed, said without the number
    "InvalidLength": "has the wrong number of characters",
    "InvalidFormat": "holds characters it cannot hold",
    "InvalidChecksum": "fails its check",
    "InvalidComponent": "has a part that is not valid",
}


@dataclass
class ChildDetails:
    """A child's optional details; None: not given (or not known)."""

    sex: str | None = None
    ethnicity: str | None = None
    school: str | None = None
    gp: str | None = None
    postcode: str | None = None
    nhs_number: str | None = None
    upn: str | None = None

    def given(self) -> dict:
        return {name: value for name, value in vars(self).items() if value is not None}


def _checked_number(module, value: str, option: str, what: str, fix: str) -> str:
    from stdnum.exceptions import ValidationError

    try:
        return module.validate(value)
    except ValidationError as exc:
        # Which check failed, never the number itself: it identifies the child.
        failed = _NUMBER_CHECKS.get(type(exc).__name__, "is not valid")
        raise Refused(f"{option} {failed} ({what}); {fix}") from None


def check_child_details(details: ChildDetails) -> ChildDetails:
    """Each detail given, checked and written the one way the store keeps it."""
    from stdnum.gb import nhs, upn

    out = ChildDetails(**{k: (v.strip() if isinstance(v, str) else v) for k, v in vars(details).items()})
    if out.sex and out.sex.lower() not in SEXES:
        raise Refused(f"--sex is not one of: {', '.join(SEXES)}")
    out.sex = out.sex.lower() if out.sex else out.sex
    if out.ethnicity and out.ethnicity.upper() not in ETHNICITY_CODES:
        raise Refused("--ethnicity is not a DfE census code; give one such as WBRI, MWBC or NOBT "
                      "(REFU: refused, NOBT: not yet obtained)")
    out.ethnicity = out.ethnicity.upper() if out.ethnicity else out.ethnicity
    if out.postcode:
        compact = re.sub(r"\s+", "", out.postcode.upper())
        if not POSTCODE_FORM.match(compact):
            raise Refused("--postcode is not a UK postcode; give one such as LS1 4AP")
        out.postcode = f"{compact[:-3]} {compact[-3:]}"
    if out.nhs_number:
        out.nhs_number = _checked_number(nhs, out.nhs_number, "--nhs-number",
                                         "10 digits, the last a modulus-11 check digit",
                                         "copy it again from the child's health record")
    if out.upn:
        out.upn = _checked_number(upn, out.upn, "--upn", "13 characters, a check letter first",
                                  "copy it again from the school's record")
    return out
