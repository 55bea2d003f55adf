"""The path and permission helpers on Windows, simulated here by faking os.name.

``os.name`` is faked for masg's own helpers only (``masg_cli.folders.os``, the one place masg asks
which platform it is on): faking it for the whole process would make pathlib refuse to work.
"""

from __future__ import annotations

import os
import stat
import types
from pathlib import Path

import pytest

from masg_cli import folders, staging, store
from masg_cli.services import doctor


class FakeOs(types.SimpleNamespace):
    """The os module with another ``name``; every chmod is recorded, none is done."""

    def __init__(self, name: str):
        super().__init__(name=name, chmods=[])

    def __getattr__(self, attr):
        return getattr(os, attr)

    def chmod(self, path, mode):
        self.chmods.append((Path(path).name, oct(mode)))
        os.chmod(path, mode)


@pytest.fixture
def windows(monkeypatch, tmp_path):
    fake = FakeOs("nt")
    monkeypatch.setattr(folders, "os", fake)
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "Users" / "sam.coordinator"))
    return fake


def test_on_windows_masg_sets_no_posix_modes_on_folders_or_files(windows, tmp_path):
    folder = tmp_path / "Users" / "sam.coordinator" / "AppData" / "Local" / "masg"
    folders.make_private(folder)
    store.create_sqlite_file(folder / "masg.db")
    folders.restrict(folder / "masg.db", 0o600)
    assert folder.is_dir() and (folder / "masg.db").is_file()
    assert windows.chmods == []


def test_on_linux_the_same_helpers_make_folders_0700_and_files_0600(monkeypatch, tmp_path):
    posix = FakeOs("posix")
    monkeypatch.setattr(folders, "os", posix)
    folders.make_private(tmp_path / "a" / "b")
    store.create_sqlite_file(tmp_path / "a" / "b" / "masg.db")
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b" / "masg.db").stat().st_mode) == 0o600
    assert ("masg.db", "0o600") in posix.chmods


def test_the_store_companions_are_left_to_their_folder_on_windows(windows, tmp_path):
    path = tmp_path / "masg.db"
    for name in ("masg.db", "masg.db-wal", "masg.db-shm"):
        (tmp_path / name).write_text("")
    store.tighten_permissions(path)
    assert windows.chmods == []


def test_a_store_inside_the_profile_is_private_on_windows_and_one_outside_is_warned(windows, tmp_path):
    inside = tmp_path / "Users" / "sam.coordinator" / "AppData" / "Local" / "masg" / "masg.db"
    outside = tmp_path / "Shared" / "Early Help" / "masg.db"
    assert folders.in_profile(inside) and not folders.in_profile(outside)
    assert not folders.in_profile(tmp_path / "Users" / "sam.coordinator-old" / "masg.db")
    good, warned = doctor._permissions_check(inside), doctor._permissions_check(outside)
    assert good.ok and not good.warning and "inside your profile" in good.detail
    assert warned.ok and warned.warning and "outside your profile" in warned.detail
    assert "chmod" not in warned.detail and "data folder" in warned.detail


def test_the_refusal_of_an_unreadable_store_names_no_chmod_on_windows(windows, tmp_path, monkeypatch):
    path = tmp_path / "masg.db"
    path.write_text("")
    monkeypatch.setattr(store.os, "access", lambda *a: False)
    with pytest.raises(Exception) as refused:
        store.check_sqlite_file(path)
    assert "check its permissions" in str(refused.value) and "chmod" not in str(refused.value)


def test_the_saved_password_file_is_named_as_windows_names_it(windows):
    assert store._pgpass() == r"%APPDATA%\postgresql\pgpass.conf"


def test_on_windows_a_staging_owner_is_asked_about_without_a_signal(windows, monkeypatch):
    asked = []
    monkeypatch.setattr(staging, "_windows_alive", lambda pid: asked.append(pid) or False)
    monkeypatch.setattr(staging.os, "kill", lambda *a: pytest.fail("os.kill would send Ctrl+C"))
    assert staging.alive(4242) is False and asked == [4242]


def test_the_data_folder_on_windows_is_local_appdata_not_roaming(monkeypatch, tmp_path):
    import platformdirs
    from platformdirs import windows as platformdirs_windows

    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs_windows.Windows)
    monkeypatch.setattr(platformdirs_windows, "_RESOLVE_WIN_FOLDER",
                        platformdirs_windows.get_win_folder_from_env_vars)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    assert folders.data_folder() == tmp_path / "AppData" / "Local" / "masg"
