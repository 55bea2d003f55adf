"""How fast masg starts, against a bare Typer app of the same shape.

    python benchmarks/startup.py [--runs 9] [--referrals 10000]

Times, in fresh processes, alternated in one loop (these machines are noisy, so compare ratios):
- `masg --help` against the bare app's `--help` (target: within 1.2x);
- `masg referral list --json` on a store of 10,000 referrals against the bare app's start-up plus
  `import sqlmodel` and one trivial query on the same store (target: within 1.5x).
The bare app is generated into a temporary file with as many groups and commands as masg has.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def masg_shape() -> list[tuple[str, int]]:
    """masg's command groups and how many commands each has ("" for top-level commands)."""
    import typer

    from masg_cli.cli.app import app

    root = typer.main.get_command(app)
    shape = []
    top = 0
    for name, command in root.commands.items():
        if getattr(command, "commands", None):
            shape.append((name, sum(1 for _ in walk(command))))
        else:
            top += 1
    shape.append(("", top))
    return shape


def walk(group):
    for command in group.commands.values():
        if getattr(command, "commands", None):
            yield from walk(command)
        else:
            yield command


def bare_app_source(shape: list[tuple[str, int]]) -> str:
    """A Typer app with the same groups and command counts, each command with a few options."""
    lines = [
        "import typer",
        "app = typer.Typer(help='A bare app of the same shape.', no_args_is_help=True,",
        "                  pretty_exceptions_enable=False, rich_markup_mode=None)",
        "",
        "@app.callback()",
        "def root(db: str = typer.Option(None, '--db', envvar='BARE_DB', help='The store.'),",
        "         user: str = typer.Option(None, '--user', help='Who.'),",
        "         templates: str = typer.Option(None, '--templates', help='Templates.')):",
        "    global DB",
        "    DB = db",
        "",
        "@app.command('query')",
        "def query(json: bool = typer.Option(False, '--json', help='Print JSON.')):",
        "    '''Import SQLModel and run one trivial query on the store.'''",
        "    import sqlmodel",
        "    from sqlalchemy import text",
        "    engine = sqlmodel.create_engine(f'sqlite:///{DB}')",
        "    with engine.connect() as conn:",
        "        print(conn.execute(text('SELECT 1')).scalar())",
        "",
    ]
    for g, (group, count) in enumerate(shape):
        owner = "app"
        if group:
            owner = f"group{g}"
            lines += [f"{owner} = typer.Typer(help='Group {group}.', no_args_is_help=True)",
                      f"app.add_typer({owner}, name='{group}')"]
        for c in range(count):
            lines += [
                f"@{owner}.command('cmd{c}')",
                f"def {owner}_cmd{c}(ref: str = typer.Argument(None, help='A reference.'),",
                "        status: str = typer.Option(None, '--status', help='A status.'),",
                "        locality: str = typer.Option(None, '--locality', help='A locality.'),",
                "        json: bool = typer.Option(False, '--json', help='Print JSON.')):",
                f"    '''Command {c} of {group or 'the root'}.'''",
                "    print(ref)",
                "",
            ]
    return "\n".join(lines) + "\n"


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()[-500:]}")
    return elapsed


def main(argv=None) -> dict:
    import os

    from make_store import make_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--referrals", type=int, default=10_000)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="masg-bench-"))
    store = make_store(work / "bench.db", args.referrals)
    shape = masg_shape()
    bare = work / "bare_app.py"
    bare.write_text(bare_app_source(shape))
    env = {**os.environ, "MASG_DB": str(store), "MASG_USER": "bench", "PYTHONPATH": str(work)}
    # An installed package runs from cached bytecode: let both apps write and use it (the warm-up
    # run writes it), whatever PYTHONDONTWRITEBYTECODE says in this shell.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    masg = [py, "-c", "from masg_cli.cli.app import main; main()"]
    bare_app = [py, "-c", "from bare_app import app; app()"]
    cases = {
        "masg --help": [*masg, "--help"],
        "bare --help": [*bare_app, "--help"],
        "masg referral list --json": [*masg, "referral", "list", "--json"],
        "bare + import sqlmodel + SELECT 1": [*bare_app, "--db", str(store), "query"],
    }
    for command in cases.values():  # warm the file cache and the .pyc files
        timed(command, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # alternate, so that noise falls on all alike
        for name, command in cases.items():
            times[name].append(timed(command, env))
    medians = {name: statistics.median(values) for name, values in times.items()}

    groups = sum(1 for g, _ in shape if g)
    commands = sum(n for _, n in shape)
    print(f"shape: {groups} groups, {commands} commands; {args.referrals} referrals; "
          f"median of {args.runs} runs each")
    for name, value in medians.items():
        print(f"{name}: {value:.3f} s")
    help_ratio = medians["masg --help"] / medians["bare --help"]
    list_ratio = medians["masg referral list --json"] / medians["bare + import sqlmodel + SELECT 1"]
    print(f"ratio masg --help / bare --help: {help_ratio:.2f} (target <= 1.2) "
          f"{'ok' if help_ratio <= 1.2 else 'MISSED'}")
    print(f"ratio referral list --json / bare + sqlmodel + query: {list_ratio:.2f} (target <= 1.5) "
          f"{'ok' if list_ratio <= 1.5 else 'MISSED'}")
    return {"medians": medians, "help_ratio": help_ratio, "list_ratio": list_ratio}


if __name__ == "__main__":
    main()
