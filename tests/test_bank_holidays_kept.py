"""Bank holidays are the holidays library's, kept between commands so that the morning list need
not import it: the kept days are the library's own, and anything doubtful asks it again."""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import date

import pytest

from masg_cli import bank_holidays as kept
from masg_cli.bank_holidays import bank_holidays, from_library, kept_file


def test_the_kept_days_are_the_librarys_whether_asked_first_or_again():
    years = range(2019, 2032)
    assert not kept_file().exists()
    assert bank_holidays(years) == from_library(years)  # asked: the library, then kept
    assert kept_file().exists()
    assert bank_holidays(years) == from_library(years)  # kept
    assert bank_holidays([2026]) == from_library([2026])
    assert bank_holidays([2026])[date(2026, 12, 28)] == from_library([2026])[date(2026, 12, 28)]
    assert bank_holidays([]) == {}


def test_kept_days_are_read_without_importing_the_library(monkeypatch):
    bank_holidays([2026, 2027])
    monkeypatch.delitem(sys.modules, "holidays", raising=False)
    monkeypatch.setattr(kept, "from_library", lambda years: pytest.fail("the library was asked"))
    assert date(2026, 12, 25) in bank_holidays([2027, 2026])


def test_a_year_not_kept_yet_is_asked_and_then_kept_too(monkeypatch):
    bank_holidays([2026])
    asked = []
    real = kept.from_library
    monkeypatch.setattr(kept, "from_library", lambda years: asked.append(list(years)) or real(years))
    assert bank_holidays([2026, 2030]) == from_library([2026, 2030])
    assert asked == [[2030]]
    assert bank_holidays([2030]) == from_library([2030]) and asked == [[2030]]


def test_another_library_install_or_a_damaged_file_asks_the_library_again(monkeypatch):
    bank_holidays([2026])
    asked = []
    real = kept.from_library
    monkeypatch.setattr(kept, "from_library", lambda years: asked.append(list(years)) or real(years))
    monkeypatch.setattr(kept, "library_mark", lambda: "another install of holidays")
    assert bank_holidays([2026]) == from_library([2026]) and asked == [[2026]]
    kept_file().write_text("{not json")
    assert bank_holidays([2026]) == from_library([2026]) and len(asked) == 2
    data = json.loads(kept_file().read_text())
    data["years"]["2026"] = "damaged"
    kept_file().write_text(json.dumps(data))
    assert bank_holidays([2026]) == from_library([2026]) and len(asked) == 3


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_the_kept_file_is_its_owners_alone():
    bank_holidays([2026])
    assert stat.S_IMODE(kept_file().stat().st_mode) == 0o600
    assert stat.S_IMODE(kept_file().parent.stat().st_mode) == 0o700
    assert [p.name for p in kept_file().parent.iterdir()] == [kept_file().name]  # no partial file left


def test_a_data_folder_that_cannot_be_written_still_answers(monkeypatch, tmp_path):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setattr(kept, "kept_file", lambda: blocked / "bank-holidays.json")
    assert bank_holidays([2026]) == from_library([2026])
