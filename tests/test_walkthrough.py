"""The README's walkthrough script, run as a new co-ordinator would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


pytestmark = pytest.mark.slow  # the whole README walkthrough, as real processes

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.sqlite_only
def test_the_walkthrough_runs_on_its_own_store_even_when_masg_db_names_another(tmp_path):
    own = tmp_path / "my-real-store.db"
    env = {**os.environ, "MASG_DB": str(own), "MASG_DEMO_DB": str(tmp_path / "demo" / "demo.db"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", str(ROOT / "examples" / "walkthrough.sh")], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not own.exists()
    assert (tmp_path / "demo" / "demo.db").exists()
    assert "Demonstration store: " + str(tmp_path / "demo" / "demo.db") in done.stdout

