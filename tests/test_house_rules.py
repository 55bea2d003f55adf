"""The house rules a machine checks: Ruff bans the heavy libraries at the top of the modules that
`masg --help` loads, and nowhere else (CI runs `ruff check .`; these tests pin the scope)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = "import sqlmodel\nfrom docxtpl import DocxTemplate\n\nprint(sqlmodel, DocxTemplate)\n"

pytestmark = pytest.mark.skipif(importlib.util.find_spec("ruff") is None,
                                reason="ruff is not installed (pip install -e '.[dev]')")


def banned_imports_reported(path: str, source: str = HEAVY) -> list[str]:
    """Ruff's TID253 findings for ``source`` as if it were the file ``path`` of this repository."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID253", "--output-format", "concise",
         "--stdin-filename", path, "-"],
        input=source, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    return [line for line in result.stdout.splitlines() if "TID253" in line]


@pytest.mark.parametrize("path", [
    "masg_cli/cli/referral.py", "masg_cli/cli/app.py", "masg_cli/render.py", "masg_cli/views.py",
    "masg_cli/views_reports.py", "masg_cli/dates.py", "masg_cli/errors.py", "masg_cli/rules.py",
])
def test_a_heavy_import_at_the_top_of_a_module_on_the_help_path_is_refused(path):
    assert len(banned_imports_reported(path)) == 2


@pytest.mark.parametrize("path", [
    "masg_cli/services/referrals.py", "masg_cli/documents/agenda.py", "masg_cli/store.py", "masg_cli/models.py",
])
def test_services_documents_and_the_store_may_import_the_heavy_libraries_at_the_top(path):
    assert banned_imports_reported(path) == []


def test_a_command_may_import_a_heavy_library_inside_the_function_that_needs_it():
    inside = "def run():\n    import sqlmodel\n\n    return sqlmodel\n"
    assert banned_imports_reported("masg_cli/cli/referral.py", inside) == []
