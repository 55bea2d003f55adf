"""The layers point one way: nothing below the command line pulls in Typer or masg's CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import masg_cli

ROOT = Path(masg_cli.__file__).parent


def _modules_below_the_command_line() -> list[str]:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[0] in ("cli", "__main__") or parts[-1] == "__init__" and len(parts) == 1:
            continue
        names.append(".".join(("masg_cli", *[p for p in parts if p != "__init__"])))
    return names


def test_every_module_below_the_command_line_imports_without_typer_or_the_cli():
    modules = _modules_below_the_command_line()
    assert "masg_cli.services.referrals" in modules and "masg_cli.documents.render" in modules
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'typer' or m.startswith(('typer.', 'masg_cli.cli')))\n"
        "print(' '.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"pulled in by the layers below cli/: {done.stdout.strip()}"
