"""Commands about the data itself: export, validate, import, formats, info."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from miler.cli import common
from miler.cli.app import command, err
from miler.cli.options import (
    DataOpt,
    ExportFormat,
    Format,
    FormatOpt,
    ReportFormat,
    refuse,
    with_filters,
)


@command("export", short_help="Export results in the dataset's own columns (CSV or JSON).")
@with_filters()
def export_command(
    athlete: Annotated[
        Optional[list[str]], typer.Option("--athlete", "-a", help="Only this athlete's results; repeat for several.",
                                          metavar="ATHLETE")
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write to this file (whole, or not at all) instead of stdout.",
                     show_default=False, metavar="FILE"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    fmt: Annotated[
        Optional[ExportFormat],
        typer.Option("--format", "-f", help="csv (default; -o FILE.json means json) or json.", show_default=False,
                     metavar="csv|json"),
    ] = None,
    data: DataOpt = None,
    filters=None,
) -> None:
    """Export results in the dataset's own columns, as CSV or JSON.

    A CSV export is itself a miler dataset: miler h2h kerr ingebrigtsen --data kerr-2024.csv
    reads it back. In CSV, a text cell a spreadsheet would run as a formula (one starting with
    = + - @) is saved with a leading ' ; miler reads it back without it.

    \b
    Example: miler export --athlete kerr --year 2024 -o kerr-2024.csv
    """
    from miler.analysis.export import export_rows
    from miler.dataset import write
    from miler.files import output as open_output

    output = None if output is not None and str(output) == "-" else output
    refuse(force and output is None, "--force replaces an output file: give -o FILE")
    ds = common.load(data)
    kind = fmt.value if fmt else ("json" if output is not None and output.suffix.lower() == ".json" else "csv")
    names = common.named(ds, athlete) if athlete else []
    # an athlete's export needs only the races they ran (whole: a race's field is judged on all its rows)
    rows = export_rows(ds.races_of(names) if names else ds.races, filters, names, field=kind == "json")
    with open_output(output, force=force) as out:
        write.write_races(rows, out, kind)
    if output is not None:
        err(f"wrote {len(rows):,} rows to {output}")


@command("validate", short_help="Check a dataset: every problem as FILE:LINE.")
def validate_command(data: DataOpt = None, fmt: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="A table (the default on a terminal), or json: a list of {file, line, problem}; "
        "without a terminal, PATH:LINE: problem lines.", show_default=False, metavar="table|csv|json|markdown")] = None) -> None:
    """Check a dataset: every problem as PATH:LINE: what is wrong; exit 1 if there are any.

    \b
    Example: miler validate --data ~/my-results
    """
    from miler import views
    from miler.dataset import validate

    report = validate(data)
    for w in report.warnings:
        err(f"warning: {w}")
    if report.ok:
        return typer.echo(f"ok: {report.summary}")
    if fmt is None and not sys.stdout.isatty():
        for p in report.problems:
            typer.echo(_plain(str(p)))
        if report.total > len(report.problems):
            typer.echo(f"… and {report.total - len(report.problems)} more problems not shown")
    else:
        common.emit(views.problems(report.problems, report.total), fmt or Format.table)
    raise typer.Exit(1)


def _plain(message: str) -> str:
    from miler.display import safe

    return safe(message)


@command("import", short_help="Convert results files in other schemas into one miler dataset.")
def import_command(
    sources: Annotated[list[Path], typer.Argument(help="Results files: World Athletics lists, athlib/Tilastopaja or "
                                                  "Diamond League JSON, miler's own CSV/JSON, any CSV, TSV or "
                                                  "spreadsheet (see miler formats).", show_default=False,
                                                  metavar="SOURCE...")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The dataset to write: CSV (JSON if it ends in "
                                         ".json), whole or not at all.", show_default=False)],
    from_: Annotated[Optional[str], typer.Option("--from", help="Read the sources as this kind (miler formats) "
                                                 "instead of recognising it.")] = None,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="THEIR=OURS: their column holds miler's "
                                                      "(athlete, time, place, date, meet, event, round, venue, nat, "
                                                      "given, family, …); repeatable.")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="COLUMN=VALUE for every row, for what the file "
                                                      "leaves implicit (event=800m); repeatable.")] = None,
    columns: Annotated[Optional[str], typer.Option("--columns", help="a,b,c: the columns of a file without a "
                                                   "header.")] = None,
    date_format: Annotated[Optional[str], typer.Option("--date-format", help="How the dates are written: "
                                                       "DD/MM/YYYY, MM/DD/YYYY, or a strftime format.")] = None,
    conflicts: Annotated[Optional[Path], typer.Option("--conflicts", help="Write the conflicts between sources to "
                                                      "this CSV file.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output files if they exist.")] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="The report: text on stderr, or json on "
                                              "stdout.")] = ReportFormat.text,
) -> None:
    """Convert results files into one miler dataset, merging several (each result once, the first
    source winning where they disagree), with a report of what was read, left out and guessed.

    \b
    Example: miler import wa-1500m-2022.csv -o wa2022.csv
    Example: miler import squad.xlsx --map Name=athlete --map Result=time --set event=800m -o squad.csv
    """
    import json

    from miler.dataset.importing import options_from, run_import

    try:
        options = options_from(from_, map_ or [], set_ or [], columns, date_format)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    report = run_import(sources, options, output, conflicts, force)
    if fmt is ReportFormat.json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            err(line)
    if not report.rows:
        from miler.errors import EmptyResultError

        raise EmptyResultError(f"nothing imported: every row was left out; {output} was not written")
    err(f"wrote {report.rows:,} rows ({report.races:,} races, {report.athletes:,} athletes) to {output}")


@command("formats", short_help="The results schemas miler reads, and how each is recognised.")
def formats_command(fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")]
                    = ReportFormat.text) -> None:
    """The schemas miler reads, with miler import and --data, and how each is recognised.

    \b
    Example: miler formats
    """
    import json

    from miler.dataset.formats import kinds

    found = [{"kind": k.name, "title": k.title, "recognised": k.recognised} for k in kinds()]
    if fmt is ReportFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for k in found:
        typer.echo(f"{k['kind']}: {k['title']}\n    recognised by {k['recognised']}")


@command("info", short_help="What a dataset covers: its dates, its races, what it lacks.")
def info_command(data: DataOpt = None, fmt: FormatOpt = Format.table) -> None:
    """What a dataset covers: its size, its first and last race, the date its sources reach, the
    races it holds only in part (fewer rows than their starters, or places missing), those its
    NOTES.md lists as looked for and not confirmed, and its races year by year.

    \b
    Example: miler info
    """
    from miler import views
    from miler.analysis.coverage import coverage
    from miler.dataset.gaps import read_notes
    from miler.dataset.locate import beside

    ds = common.load(data)
    notes_path = beside(ds.races_path, "NOTES.md")
    where = str(ds.races_path) if data or os.environ.get("MILER_DATA") else f"{ds.races_path.name} (the bundled dataset)"
    athletes = len(ds.athletes) if ds.athletes_path is not None else 0
    common.emit(views.info(where, coverage(ds.races), read_notes(notes_path), len(ds.quotes), athletes), fmt)
