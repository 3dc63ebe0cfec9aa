"""The command line: options in, one call into analysis, one call into render.

This is the one place where errors become messages and exit codes: 0 success, 1 a data or
lookup problem (a message on stderr, no traceback), 2 a usage error (Typer's own), 130 Ctrl-C.
Nothing heavy (pandas, rich tables) is imported until a command runs, so --help stays fast.
"""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from miler import __version__

if TYPE_CHECKING:
    from miler.load import Dataset

app = typer.Typer(
    name="miler",
    help="Race results for middle-distance running: head-to-heads, gaps, progressions, quotes.\n\n"
    "Example: miler h2h kerr ingebrigtsen",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


DataOpt = Annotated[
    Optional[Path],
    typer.Option("--data", help="Folder holding races.csv (and quotes.yaml), or a CSV file. "
                 "Default: $MILER_DATA, else the bundled dataset.", show_default=False),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def handles_errors(fn):
    """Turn miler's errors into a message on stderr and exit code 1."""
    from miler.errors import DataError, MilerError

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DataError as exc:
            for p in exc.problems:
                _err(f"error: {p}")
            if exc.total > len(exc.problems):
                _err(f"error: … and {exc.total - len(exc.problems)} more problems not shown")
            raise typer.Exit(exc.exit_code) from None
        except MilerError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def command(*args, **kwargs):
    """app.command, with miler's error handling around the function."""

    def decorate(fn):
        return app.command(*args, **kwargs)(handles_errors(fn))

    return decorate


def _load(data: Path | None) -> Dataset:
    from miler.load import load

    ds = load(data)
    for w in ds.warnings:
        _err(f"warning: {w}")
    return ds


def _athletes(ds: Dataset, queries: list[str]) -> list[str]:
    """Resolve each query to an athlete; notes about other possible matches go to stderr."""
    from miler.errors import MilerError
    from miler.names import resolve

    counts = ds.races["athlete"].value_counts().to_dict()
    names = []
    for q in queries:
        r = resolve(q, counts)
        if r.note:
            _err(r.note)
        names.append(r.name)
    if len(set(names)) < len(names):
        raise MilerError(f"the names {', '.join(queries)} do not name different athletes")
    return names


def _emit(blocks, payload, fmt: Format) -> None:
    from miler.render import write

    write(blocks, fmt.value, sys.stdout, payload)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"miler {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Race results for middle-distance running: head-to-heads, gaps, progressions, quotes.

    Example: miler h2h kerr ingebrigtsen
    """


@command("h2h")
def h2h_command(
    athletes: Annotated[list[str], typer.Argument(help="Two athletes: a full name, surname, given name or prefix.")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Head-to-head record of two athletes: every meeting, places, times and the gap.

    The gap is the first athlete's time minus the second's: -0.27 means the first was ahead.

    Example: miler h2h kerr ingebrigtsen --format json
    """
    from miler import views
    from miler.analysis.h2h import head_to_head

    if len(athletes) != 2:
        raise typer.BadParameter("give two athletes, e.g. miler h2h kerr ingebrigtsen", param_hint="ATHLETES")
    ds = _load(data)
    a, b = _athletes(ds, athletes)
    _emit(*views.h2h(head_to_head(ds.races, a, b)), fmt)


@command("validate")
def validate_command(data: DataOpt = None) -> None:
    """Check a dataset: every problem as FILE:LINE: what is wrong; exit 1 if there are any.

    Example: miler validate --data ~/my-results
    """
    from miler.errors import DataError
    from miler.load import dataset_paths, read_quotes, read_races

    races_path, quotes_path = dataset_paths(data)
    problems, total, warnings = [], 0, []
    races = quotes = None
    for path, reader in ((races_path, read_races), (quotes_path, read_quotes)):
        if path is None:
            continue
        try:
            result = reader(path)
        except DataError as exc:
            problems.extend(exc.problems)
            total += exc.total
            continue
        if reader is read_races:
            races, warnings = result
        else:
            quotes = result
    for w in warnings:
        _err(f"warning: {w}")
    if problems:
        from miler import views

        _emit(*views.problems(problems, total), Format.table)
        raise typer.Exit(1)
    summary = (
        f"{races_path}: {len(races):,} rows, {races['race_id'].nunique():,} races, "
        f"{races['athlete'].nunique():,} athletes"
    )
    if quotes is not None:
        summary += f"; {quotes_path.name}: {len(quotes):,} quotes"
    typer.echo(f"ok: {summary}")


def main() -> None:
    """The console script: run the app; Ctrl-C and a closed pipe end quietly."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    import os

    # Python flushes stdout at exit; point it at devnull so that flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)
