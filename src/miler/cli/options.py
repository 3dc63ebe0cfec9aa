"""The options, defined once: the shared filters (the same names and meaning in every command),
the formats, the dataset, and the checks that turn a bad value into a usage error."""

from __future__ import annotations

import functools
import inspect
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


FIRST_YEAR, LAST_YEAR = 1896, date.today().year + 1


def _level(value: str | None) -> str | None:
    from miler.analysis.filters import levels
    from miler.errors import NotFoundError

    try:
        return value and (levels(value) and value)
    except NotFoundError as exc:
        raise typer.BadParameter(str(exc)) from None


def _sex(value: str | None) -> str | None:
    from miler.analysis.filters import sex_of
    from miler.errors import NotFoundError

    try:
        return value and sex_of(value)
    except NotFoundError as exc:
        raise typer.BadParameter(str(exc)) from None


def _as_event(value: str | None) -> str | None:
    from miler.marks import normalise_event

    if value is None:
        return None
    event = normalise_event(value)
    if event not in ("1500m", "Mile"):
        raise typer.BadParameter(f"'{value}': --as converts between the 1500m and the mile (give 1500m or mile)")
    return event


DataOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--data", help="Folder holding races.csv (and quotes.yaml), or a results file in any schema "
                 "miler reads (see miler formats); repeat it to merge several, each result once, the first "
                 "winning where they disagree. Default: $MILER_DATA, else the bundled dataset.", show_default=False,
                 metavar="PATH"),
]


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.", metavar="table|csv|json|markdown")]


DATE = dict(formats=["%Y-%m-%d"], metavar="YYYY-MM-DD")


# The shared filters: the same names and meaning in every command.
EventOpt = Annotated[Optional[str], typer.Option("--event", "-e", help="Only this event: 1500m, Mile, 5000m, …",
                                                 metavar="EVENT")]


YearOpt = Annotated[Optional[int], typer.Option("--year", "-y", help="Only this calendar year.", min=FIRST_YEAR,
                                                max=LAST_YEAR, metavar="YEAR")]


SinceOpt = Annotated[Optional[datetime], typer.Option("--since", help="Only races on or after this date.", **DATE)]


UntilOpt = Annotated[Optional[datetime], typer.Option("--until", help="Only races on or before this date.", **DATE)]


IndoorOpt = Annotated[
    Optional[bool], typer.Option("--indoor/--outdoor", help="Only indoor, or only outdoor, races.", show_default=False)
]


LevelOpt = Annotated[
    Optional[str],
    typer.Option("--level", callback=_level, metavar="LEVELS",
                 help="Only these levels, comma-separated (olympics, worlds, world-indoors, europeans, "
                 "commonwealth, diamond-league, national, other) or 'championships'."),
]


FinalsOpt = Annotated[bool, typer.Option("--finals-only", help="Only finals (no heats or semi-finals).")]


SexOpt = Annotated[Optional[str], typer.Option("--sex", callback=_sex, metavar="M|W",
                                               help="Only men's (M) or women's (W) races.")]


AsOpt = Annotated[
    Optional[str],
    typer.Option("--as", callback=_as_event, metavar="1500m|mile",
                 help="Show 1500m and mile marks as this event, converting the other with the factor 1.08; "
                 "converted marks are shown with ≈ and their original."),
]


RoundOpt = Annotated[Optional[str], typer.Option("--round", "-r", help="Only this round: final, semi, heat 1, …",
                                                 metavar="ROUND")]


# Options of issue 16: sources beside rows, charts to files
SourcesOpt = Annotated[
    bool, typer.Option("--sources", help="Add each row's source: its site or file in the table, the whole URL "
                       "in CSV and JSON.")
]


ChartOpt = Annotated[
    Optional[Path],
    typer.Option("--chart", help="Also draw a chart to this file (.png or .svg; needs pip install 'miler[charts]').",
                 show_default=False, metavar="FILE"),
]


ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the chart file if it exists.")]


AthletesArg = Annotated[list[str], typer.Argument(help="Two or more athletes: full name, surname, given name or prefix.",
                                                  metavar="ATHLETE...", show_default=False)]


MinOpt = Annotated[int, typer.Option("--min", help="Only rivals met at least this many times.", min=1,
                                            metavar="N")]


_FILTER_OPTIONS = {
    "event": (EventOpt, None),
    "year": (YearOpt, None),
    "since": (SinceOpt, None),
    "until": (UntilOpt, None),
    "indoor": (IndoorOpt, None),
    "level": (LevelOpt, None),
    "finals_only": (FinalsOpt, False),
    "sex": (SexOpt, None),
}


def _filters(event=None, year=None, since=None, until=None, indoor=None, level=None, finals_only=False, sex=None):
    """The shared filter options as one Filters value; --since after --until is a usage error."""
    from miler.analysis.filters import Filters

    if since and until and since > until:
        raise typer.BadParameter(f"--since {since.date()} is after --until {until.date()}")
    return Filters(event=event, year=year, since=since.date() if since else None,
                   until=until.date() if until else None, indoor=indoor, level=level, finals_only=finals_only,
                   sex=sex)


def with_filters(*names: str):
    """Give a command the shared filter options (all of them, or those named), defined once
    here, and hand it one Filters value as its ``filters`` argument."""
    names = names or tuple(_FILTER_OPTIONS)

    def decorate(fn):
        sig = inspect.signature(fn, eval_str=True)
        kept = [p for p in sig.parameters.values() if p.name != "filters"]
        added = [
            inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=_FILTER_OPTIONS[n][0],
                              default=_FILTER_OPTIONS[n][1])
            for n in names
        ]

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            values = {n: kwargs.pop(n) for n in names}
            return fn(*args, filters=_filters(**values), **kwargs)

        wrapper.__signature__ = sig.replace(parameters=kept + added)
        wrapper.__annotations__ = {p.name: p.annotation for p in kept + added}
        return wrapper

    return decorate


def refuse(condition: bool, message: str) -> None:
    """An option that would change nothing here is a usage error, never silently ignored."""
    if condition:
        raise typer.BadParameter(message)
