"""The architecture holds: imports run downward only (README, "Layout").

Analysis never imports the dataset package (it works on frames, whatever file they came
from); the dataset package never imports analysis, views or render; only cli.py imports typer;
only cli.py and render.py import rich; `miler --help` imports neither pandas nor rich.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "miler"
MODULES = sorted(SRC.rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


def imported_by(prefix: str):
    return [(module_name(p), m) for p in MODULES for m in imports(p) if m == prefix or m.startswith(prefix + ".")]


def test_analysis_never_imports_the_dataset_package_views_or_render():
    wrong = [(a, m) for a, m in imported_by("miler.dataset") + imported_by("miler.views") + imported_by("miler.render")
             + imported_by("miler.cli") if a.startswith("miler.analysis")]
    assert wrong == []


def test_the_dataset_package_never_imports_analysis_views_render_or_cli():
    wrong = [(a, m) for a, m in imported_by("miler.analysis") + imported_by("miler.views") + imported_by("miler.render")
             + imported_by("miler.cli") if a.startswith("miler.dataset")]
    assert wrong == []


def in_cli(module: str) -> bool:
    return module == "miler.cli" or module.startswith("miler.cli.")


def test_only_cli_imports_typer_and_only_cli_and_render_import_rich():
    assert all(in_cli(a) for a, _ in imported_by("typer"))
    assert all(in_cli(a) or a == "miler.render" for a, _ in imported_by("rich"))


@pytest.mark.parametrize("args", [["--help"], ["h2h", "--help"]])
def test_help_imports_neither_pandas_nor_rich(args):
    code = ("import sys; from miler.cli import main; sys.argv = ['miler', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'pyarrow', 'rich.table', 'numpy') if m in sys.modules]\n"
            "sys.stderr.write(repr(heavy))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
