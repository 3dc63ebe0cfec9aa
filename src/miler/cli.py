"""The command line: options in, one call into analysis, one view, one render.

This is the one place where errors become messages and exit codes: 0 success, 1 a data or
lookup problem (a message on stderr, no traceback), 2 a usage error (Typer's own), 70 an
internal error (one line; the traceback with MILER_DEBUG=1), 130 Ctrl-C, 141 a closed pipe.
Nothing heavy (pandas, rich tables) is imported until a command runs, and only the command
that runs is built, so --help and every command start fast.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
import typer.core

from miler import __version__

if TYPE_CHECKING:
    import pandas as pd

    from miler.dataset import Dataset

SETTINGS = dict(
    name="miler",
    help="Race results for middle-distance running: head-to-heads, gaps, progressions, quotes.\n\n"
    "Example: miler h2h kerr ingebrigtsen",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**SETTINGS)

INTERNAL_ERROR = 70  # sysexits.h EX_SOFTWARE
FIRST_YEAR, LAST_YEAR = 1896, date.today().year + 1
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


# --- options, defined once -------------------------------------------------------------------


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


def _refuse(condition: bool, message: str) -> None:
    """An option that would change nothing here is a usage error, never silently ignored."""
    if condition:
        raise typer.BadParameter(message)


# --- errors become messages -------------------------------------------------------------------


def _err(message: str) -> None:
    from miler.display import safe

    typer.echo(safe(message), err=True)


def handles_errors(fn):
    """miler's errors become a message on stderr and exit 1; anything unexpected becomes one
    line and exit 70 (the traceback too with MILER_DEBUG=1)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from miler.errors import DataError, MilerError

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
        except BrokenPipeError:  # the reader went away (| head): before Typer makes it exit 1
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, _CLICK_ERROR):
            raise
        except OSError as exc:
            if exc.filename is None:
                raise _internal(exc) from None
            from miler.errors import PathError

            _err(f"error: {PathError(exc.filename, exc)}")
            raise typer.Exit(1) from None
        except Exception as exc:
            raise _internal(exc) from None

    return wrapper


def _internal(exc: BaseException) -> typer.Exit:
    """A bug: one line for the user (the traceback too with MILER_DEBUG=1), and exit 70."""
    if os.environ.get("MILER_DEBUG") == "1":
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    first = str(exc).splitlines()[0] if str(exc) else ""
    _err(f"miler: internal error ({type(exc).__name__}: {first}) — please report it with the command you ran")
    return typer.Exit(INTERNAL_ERROR)


class _Command(typer.core.TyperCommand):
    """Usage lines that name arguments plainly: ATHLETE..., not {ATHLETE...}."""

    def collect_usage_pieces(self, ctx):
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def command(name: str, **kwargs):
    """app.command, with miler's error handling around the function."""

    def decorate(fn):
        return app.command(name, cls=_Command, **kwargs)(handles_errors(fn))

    return decorate


# --- the dataset, names, output ---------------------------------------------------------------

PROGRESS_BYTES = 20_000_000  # a file this large takes a second or more to read the first time


def _load(data: list[Path] | None) -> Dataset:
    from miler.dataset import load
    from miler.dataset.locate import data_sources

    files = [races for races, _ in data_sources(data)]
    size = sum(f.stat().st_size for f in files)
    if size >= PROGRESS_BYTES and sys.stderr.isatty():
        from miler.render import status

        with status(f"Reading {', '.join(f.name for f in files)} ({size / 1e6:,.0f} MB)…"):
            ds = load(data)
    else:
        ds = load(data)
    for w in ds.warnings:
        _err(f"warning: {w}")
    return ds


def _resolve(ds: Dataset, queries: list[str], quotes: bool = False):
    """Each query resolved to an athlete (without printing); the notes to print once the
    command has decided that these are its athletes."""
    from miler.errors import MilerError
    from miler.names import resolve

    counts = ds.athlete_counts()
    if quotes:
        from miler.analysis.quotes import people

        for p in people(ds.quotes):
            counts[p] = counts.get(p, 0) + 1
    found = [resolve(q, counts) for q in queries]
    names = [r.name for r in found]
    if len(set(names)) < len(names):
        raise MilerError(f"the names {', '.join(queries)} do not name different athletes")
    return names, [r.note for r in found if r.note]


def _athletes(ds: Dataset, queries: list[str]) -> list[str]:
    from miler.errors import NotFoundError

    try:
        names, notes = _resolve(ds, queries)
    except NotFoundError:
        _quoted_only(ds, queries)
        raise
    _notes(notes)
    return names


def _quoted_only(ds: Dataset, queries: list[str]) -> None:
    """A name the quotes know but the results do not is an error that says so."""
    import shlex

    from miler.analysis.quotes import people
    from miler.errors import NotFoundError
    from miler.names import only_quoted, unknown

    athletes = ds.races["athlete"].unique().tolist()
    quoted = people(ds.quotes) - set(athletes) if not ds.quotes.empty else set()
    for q in (q for q in queries if unknown(q, athletes)):
        name = only_quoted(q, quoted)
        if name:
            raise NotFoundError(f"{name} is in the quotes but has no results in {ds.races_path.name} "
                                f"(what was said: miler quotes --about {shlex.quote(q)})")


def _notes(notes) -> None:
    for note in notes:
        if note:
            _err(note)


def _filtered(ds: Dataset, filters, as_event: str | None = None, athletes=None) -> pd.DataFrame:
    """The dataset's races (only these athletes' rows, when given; converted first with --as)
    through the shared filters; nothing left is an error naming the filters."""
    from miler.analysis.filters import apply
    from miler.errors import EmptyResultError

    races = ds.races if athletes is None else ds.rows(athletes=athletes)
    if as_event:
        from miler.analysis.convert import with_conversion

        races = with_conversion(races, as_event)
    races = apply(races, filters)
    if races.empty and athletes is not None:  # as the whole dataset would answer
        return _filtered(ds, filters, as_event)
    if races.empty:
        raise EmptyResultError(f"no results match {filters.describe() or 'these filters'} in {ds.races_path}")
    return races


def _within(filters) -> str:
    return f" ({filters.describe()})" if filters.describe() else ""


def _emit(sections, fmt: Format) -> None:
    from miler.render import write

    write(sections, fmt.value, sys.stdout)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"miler {__version__}")
        raise typer.Exit()


def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Race results for middle-distance running: head-to-heads, gaps, progressions, quotes.

    Example: miler h2h kerr ingebrigtsen
    """


app.callback()(main_options)


# --- the commands -----------------------------------------------------------------------------


@command("h2h", short_help="Head-to-head: who beat whom, when, and by how much.")
@with_filters()
def h2h_command(athletes: AthletesArg, data: DataOpt = None, fmt: FormatOpt = Format.table, as_: AsOpt = None,
                sources: SourcesOpt = False, filters=None) -> None:
    """Head-to-head: who beat whom, when, and by how much.

    Two athletes: the card (nationality, age, bests and medals side by side), the record
    (overall, by event, by level), streak, margins and every meeting.
    The gap is the first athlete's time minus the second's: -0.27 means the first was ahead.
    Three or more: a matrix of records (row beat column), then every race two or more of them ran.

    \b
    Example: miler h2h kerr ingebrigtsen --level championships
    Example: miler h2h kerr ingebrigtsen nuguse hocker --as mile
    """
    from miler import views
    from miler.analysis import h2h
    from miler.errors import EmptyResultError

    if len(athletes) < 2:
        raise typer.BadParameter("give two or more athletes, e.g. miler h2h kerr ingebrigtsen", param_hint="ATHLETE...")
    ds = _load(data)
    names = _athletes(ds, athletes)
    races = _filtered(ds, filters, as_, athletes=names)
    result = h2h.head_to_head(races, *names) if len(names) == 2 else h2h.group(races, names)
    if result.meetings.empty:
        raise EmptyResultError(f"{' and '.join(names)} have not met in these races{_within(filters)}")
    result = _sourced(result, "meetings", races, names, sources)
    if len(names) == 2:
        return _emit(_card(ds, result, _shown(views.h2h(result), sources)), fmt)
    _emit(_shown(views.group(result), sources), fmt)


@command("gaps", short_help="Time gaps in a race, or between two athletes over time.")
@with_filters()
def gaps_command(
    query: Annotated[list[str], typer.Argument(help="A meet (\"paris 2024\") or two athletes.", metavar="MEET|ATHLETES")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    round_: RoundOpt = None,
    sources: SourcesOpt = False,
    chart: ChartOpt = None,
    force: ForceOpt = False,
    filters=None,
) -> None:
    """Time gaps: each finisher's gap to the winner and to the athlete ahead (seconds and %),
    or, given two athletes, the gap between them in every race they both finished and its trend.

    \b
    Example: miler gaps "paris 2024" --event 1500m --round final
    Example: miler gaps kerr ingebrigtsen --event 1500m --chart gaps.png
    """
    from miler import views
    from miler.analysis.gaps import pair_gaps
    from miler.errors import EmptyResultError, MilerError

    ds = _load(data)
    try:
        names, notes = _resolve(ds, query) if len(query) == 2 else (None, [])
    except MilerError:
        names, notes = None, []
    if not names:
        _refuse(chart is not None, "--chart draws two athletes' gaps, e.g. miler gaps kerr ingebrigtsen --chart gaps.png")
        return _emit(_shown(_meet(ds, " ".join(query), filters, round_, sources), sources), fmt)
    _notes(notes)
    races = _filtered(ds, filters)
    result = pair_gaps(races, *names, round_=round_)
    if result.gaps.empty:
        raise EmptyResultError(f"{names[0]} and {names[1]} have not both finished a race{_within(filters)}")
    if chart:
        _write_chart(chart, force, lambda c: c.gaps(result, _all_sources(result.gaps, races, names)))
    _emit(_shown(views.pair_gaps(_sourced(result, "gaps", races, names, sources)), sources), fmt)


def _meet(ds: Dataset, query: str, filters, round_: str | None, sources: bool = False):
    from miler import views
    from miler.analysis.meets import meet_results

    found = meet_results(ds.one_row_per_race(), query, filters, round_,
                         rows_of=lambda choice: ds.rows(meet=choice.meet, year=choice.year))
    _notes([found.choice.note])
    return views.races(_sourced_races(found.races, ds.races) if sources else found.races, heading=found.heading)


@command("meet", short_help="The results of one meet, with gaps to the winner.")
@with_filters("event", "sex")
def meet_command(
    query: Annotated[list[str], typer.Argument(help="The meet: \"paris 2024\", budapest, \"bowerman mile\", …",
                                               metavar="MEET")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    round_: RoundOpt = None,
    sources: SourcesOpt = False,
    filters=None,
) -> None:
    """The results of one meet: every race, or one with --event and --round, with gaps to the winner.

    The query is forgiving: any words of the meet's name, city, year or an event it held.

    \b
    Example: miler meet "paris 2024" --event 1500m --round final
    """
    _emit(_shown(_meet(_load(data), " ".join(query), filters, round_, sources), sources), fmt)


@command("meets", short_help="The meets in the dataset.")
@with_filters()
def meets_command(data: DataOpt = None, fmt: FormatOpt = Format.table, filters=None) -> None:
    """The meets in the dataset, with dates, races and athletes.

    \b
    Example: miler meets --year 2024 --level diamond-league
    """
    from miler import views
    from miler.analysis.meets import meet_table

    _emit(views.meets(meet_table(_filtered(_load(data), filters))), fmt)


@command("athletes", short_help="The athletes in the dataset.")
@with_filters()
def athletes_command(data: DataOpt = None, fmt: FormatOpt = Format.table, filters=None) -> None:
    """The athletes in the dataset, most races first, with wins and events.

    \b
    Example: miler athletes --event 1500m --level championships
    """
    from miler import views
    from miler.analysis.catalog import athletes

    _emit(views.listing("Athletes", athletes(_filtered(_load(data), filters))), fmt)


@command("events", short_help="The events in the dataset.")
@with_filters("year", "since", "until", "indoor", "level", "finals_only", "sex")
def events_command(data: DataOpt = None, fmt: FormatOpt = Format.table, filters=None) -> None:
    """The events in the dataset, indoor and outdoor apart, with races and athletes.

    \b
    Example: miler events --year 2024
    """
    from miler import views
    from miler.analysis.catalog import events

    _emit(views.listing("Events", events(_filtered(_load(data), filters))), fmt)


@command("progression", short_help="Season bests year by year, and PB progressions.")
@with_filters("since", "until", "indoor", "level", "finals_only", "sex")
def progression_command(
    athletes: Annotated[list[str], typer.Argument(help="One or more athletes.", metavar="ATHLETE...")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    event: EventOpt = None,
    season: Annotated[
        Optional[int], typer.Option("--season", help="Every race of this season, with the season best as it stood.",
                                    min=FIRST_YEAR, max=LAST_YEAR, metavar="YEAR")
    ] = None,
    plot: Annotated[bool, typer.Option("--plot", help="Chart season bests across years in the terminal.")] = False,
    as_: AsOpt = None,
    chart: ChartOpt = None,
    force: ForceOpt = False,
    filters=None,
) -> None:
    """Season bests year by year and the personal-best progression, for one event
    (by default the one the athletes have most marks in). Indoor and outdoor stay apart;
    a mile is never mixed with a 1500m unless --as converts one to the other.

    \b
    Example: miler progression kerr ingebrigtsen --event 1500m --plot
    Example: miler progression kerr --season 2024
    Example: miler progression kerr --as mile
    Example: miler progression kerr ingebrigtsen --event 1500m --chart bests.svg
    """
    _refuse(plot and fmt != Format.table, "--plot draws a chart in the terminal: it takes no --format")
    _refuse(plot and season is not None, "--plot charts season bests across years: it takes no --season")
    _refuse(season is not None and len(athletes) != 1, "--season takes one athlete")
    _refuse(chart is not None and season is not None, "--chart draws season bests across years: it takes no --season")
    ds = _load(data)
    names = _athletes(ds, athletes)
    races = _filtered(ds, filters, as_, athletes=names)
    if season is not None:
        return _season(races, names[0], season, event, as_, filters, fmt)
    _bests(races, names, event or as_, filters, fmt, plot, chart, force)


def _season(races, name: str, year: int, event: str | None, as_event: str | None, filters, fmt: Format) -> None:
    from miler import views
    from miler.analysis import progression as prog
    from miler.errors import EmptyResultError
    from miler.marks import normalise_event

    ev = normalise_event(event) if event else None
    frame = prog.season(races, name, year, ev)
    if frame.empty:
        raise EmptyResultError(f"{name} has no races in {year}{f' at {ev}' if ev else ''}{_within(filters)}")
    _emit(views.season(frame, name, year), fmt)


def _bests(races, names: list[str], event: str | None, filters, fmt: Format, plot: bool, chart=None,
           force: bool = False) -> None:
    from miler import views
    from miler.analysis import progression as prog
    from miler.errors import EmptyResultError
    from miler.marks import normalise_event

    from miler.analysis.convert import compared_as

    ev = compared_as(races, normalise_event(event) if event else prog.default_event(races, names))
    bests = prog.season_bests(races, names, ev)
    if bests.empty:
        raise EmptyResultError(f"no {ev} marks for {', '.join(names)}{_within(filters)}")
    if chart:
        _write_chart(chart, force, lambda c: c.progression(bests, ev, _all_sources(bests, races)))
    if plot:
        from miler.render import plot_progression

        return plot_progression(bests, ev, sys.stdout)
    _emit(views.progression(bests, prog.pb_progression(races, names, ev), ev), fmt)


@command("quotes", short_help="What the athletes said, in date order.")
@with_filters("year", "since", "until")
def quotes_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    speaker: Annotated[Optional[str], typer.Option("--speaker", help="Who said it.", metavar="ATHLETE")] = None,
    about: Annotated[Optional[str], typer.Option("--about", help="Who it was about.", metavar="ATHLETE")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="A topic tag, or part of one: blindfolded, next guy.",
                                                             metavar="TOPIC")] = None,
    search: Annotated[Optional[str], typer.Option("--search", help="Words in the quote (case and accents ignored).",
                                                              metavar="WORDS")] = None,
    filters=None,
) -> None:
    """What the athletes said, in date order.

    \b
    Example: miler quotes --speaker ingebrigtsen --about kerr --topic blindfolded
    """
    from miler import views
    from miler.analysis.quotes import dated, filter_quotes
    from miler.errors import EmptyResultError

    ds = _load(data)
    if ds.quotes.empty:
        raise EmptyResultError(f"no quotes in this dataset ({ds.races_path.parent} has no quotes.yaml)")
    who, notes = _resolve(ds, [q for q in (speaker, about) if q], quotes=True)
    _notes(notes)
    speaker_name, about_name = (who.pop(0) if q else None for q in (speaker, about))
    found = filter_quotes(dated(ds.quotes, filters), speaker_name, about_name, topic, search)
    if found.empty:
        asked = [x for x in (speaker_name and f"speaker {speaker_name}", about_name and f"about {about_name}",
                             topic and f"topic '{topic}'", search and f"text '{search}'", filters.describe()) if x]
        raise EmptyResultError(f"no quotes match {', '.join(asked)}")
    _emit(views.quotes(found), fmt)


@command("timeline", short_help="The rivalry as a story: meetings and words in date order.")
@with_filters("since", "until")
def timeline_command(
    athletes: Annotated[list[str], typer.Argument(help="Two athletes.", metavar="ATHLETE ATHLETE")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    sources: SourcesOpt = False,
    filters=None,
) -> None:
    """The rivalry as a story: every meeting and every word between two athletes, in date order,
    with the running record after each race.

    \b
    Example: miler timeline kerr ingebrigtsen --since 2023-01-01
    """
    from miler import views
    from miler.analysis.filters import apply
    from miler.analysis.quotes import dated
    from miler.analysis.timeline import timeline
    from miler.errors import EmptyResultError

    if len(athletes) != 2:
        raise typer.BadParameter("give two athletes, e.g. miler timeline kerr ingebrigtsen", param_hint="ATHLETE ATHLETE")
    ds = _load(data)
    a, b = _athletes(ds, athletes)
    story = timeline(apply(ds.races, filters), dated(ds.quotes, filters), a, b, sources=sources)
    if story.empty:
        raise EmptyResultError(f"{a} and {b} have no meetings and no quotes about each other{_within(filters)}")
    _emit(_shown(views.timeline(story, a, b), sources), fmt)


MinOpt = Annotated[int, typer.Option("--min", help="Only rivals met at least this many times.", min=1,
                                            metavar="N")]


@command("athlete", short_help="An athlete's profile: bests, championships, rivals.")
def athlete_command(
    name: Annotated[str, typer.Argument(help="The athlete: full name, surname, given name or prefix.", metavar="ATHLETE")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    min_meetings: Annotated[int, typer.Option("--min", help="Show the record against rivals met this often.", min=1,
                                                        metavar="N")] = 3,
    as_: AsOpt = None,
    sources: SourcesOpt = False,
) -> None:
    """An athlete's profile: events, personal bests (indoor and outdoor apart), the latest
    season's bests, championship finals and medals, record against frequent rivals, last races.

    \b
    Example: miler athlete kerr --as mile
    """
    from miler import views
    from miler.analysis.filters import Filters
    from miler.analysis.profile import profile

    ds = _load(data)
    (who,) = _athletes(ds, [name])
    races = _filtered(ds, Filters(), as_)
    result = _sourced(profile(races, who, min_meetings), ("personal_bests", "season_bests", "championships", "recent"),
                      races, [who], sources)
    _emit(_shown(views.athlete(result), sources), fmt)


@command("rivals", short_help="Everyone an athlete has met, and the record against each.")
@with_filters()
def rivals_command(
    name: Annotated[str, typer.Argument(help="The athlete.", metavar="ATHLETE")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    minimum: MinOpt = 1,
    filters=None,
) -> None:
    """Everyone an athlete has met: meetings, record and average margin, most meetings first.

    The margin is the rival's time minus the athlete's where both finished: positive means
    the athlete was ahead on average.

    \b
    Example: miler rivals ingebrigtsen --min 3
    """
    from miler import views
    from miler.analysis.rivals import rivals
    from miler.errors import EmptyResultError

    ds = _load(data)
    (who,) = _athletes(ds, [name])
    found = rivals(_filtered(ds, filters), who, minimum)
    if found.empty:
        raise EmptyResultError(f"{who} has met nobody {minimum} or more times in these races{_within(filters)}")
    _emit(views.rivals(found, who), fmt)


@command("rank", short_help="Ratings from every finishing order (openskill).")
@with_filters()
def rank_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    top: Annotated[int, typer.Option("--top", "-n", help="How many athletes to list (0: all).", min=0,
                                                     metavar="N")] = 25,
    history: Annotated[Optional[str], typer.Option("--history", help="One athlete's rating race by race.",
                                                   metavar="ATHLETE")] = None,
    plot: Annotated[bool, typer.Option("--plot", help="With --history: chart the rating in the terminal.")] = False,
    chart: ChartOpt = None,
    force: ForceOpt = False,
    filters=None,
) -> None:
    """Ratings of every athlete from all finishing orders, race by race in date order
    (Weng–Lin with the Plackett–Luce model, via openskill): rating = mu − 3·sigma.

    \b
    Example: miler rank --event 1500m --since 2023-01-01
    Example: miler rank --event 1500m --history kerr --plot
    Example: miler rank --event 1500m --history kerr --chart kerr-rating.png
    """
    _refuse(plot and not history, "--plot charts one athlete's rating: give --history ATHLETE")
    _refuse(chart is not None and not history, "--chart draws one athlete's rating: give --history ATHLETE")
    _refuse(plot and fmt != Format.table, "--plot draws a chart in the terminal: it takes no --format")
    _refuse(history is not None and top != 25, "--top lists the ratings table: it does not apply to --history")
    ds = _load(data)
    who = _athletes(ds, [history])[0] if history else None
    races = _filtered(ds, filters)
    if who:
        return _rating_history(races, who, fmt, plot, chart, force)
    _ratings(races, top, fmt)


def _ratings(races, top: int, fmt: Format) -> None:
    from miler import views
    from miler.analysis.rating import rate
    from miler.errors import EmptyResultError

    ratings = rate(races)
    if ratings.table.empty:
        raise EmptyResultError("no race in these results has two or more starters to rate")
    _emit(views.ratings(ratings, top), fmt)


def _rating_history(races, who: str, fmt: Format, plot: bool, chart=None, force: bool = False) -> None:
    from miler import views
    from miler.analysis.rating import rate
    from miler.errors import EmptyResultError

    history = rate(races).of(who)
    if history.empty:
        raise EmptyResultError(f"{who} has no rated races in these results")
    if chart:
        _write_chart(chart, force, lambda c: c.history(history, who, _all_sources(history, races, [who])))
    if plot:
        from miler.render import plot_history

        return plot_history(history, who, sys.stdout)
    _emit(views.rating_history(history, who), fmt)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


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
    _refuse(force and output is None, "--force replaces an output file: give -o FILE")
    ds = _load(data)
    rows = export_rows(ds.races, filters, _athletes(ds, athlete) if athlete else [])
    kind = fmt.value if fmt else ("json" if output is not None and output.suffix.lower() == ".json" else "csv")
    with open_output(output, force=force) as out:
        write.write_races(rows, out, kind)
    if output is not None:
        _err(f"wrote {len(rows):,} rows to {output}")


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
        _err(f"warning: {w}")
    if report.ok:
        return typer.echo(f"ok: {report.summary}")
    if fmt is None and not sys.stdout.isatty():
        for p in report.problems:
            typer.echo(_plain(str(p)))
        if report.total > len(report.problems):
            typer.echo(f"… and {report.total - len(report.problems)} more problems not shown")
    else:
        _emit(views.problems(report.problems, report.total), fmt or Format.table)
    raise typer.Exit(1)


def _plain(message: str) -> str:
    from miler.display import safe

    return safe(message)


# --- toplists and odds (issue 16) ------------------------------------------------------------


@command("list", short_help="The fastest marks of an event: a season's list or all-time.")
@with_filters("event", "year", "since", "until", "indoor", "level", "finals_only", "sex")
def list_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    top: Annotated[int, typer.Option("--top", "-n", help="List down to this rank, ties at the cut included (0: all).",
                                     min=0, metavar="N")] = 25,
    all_marks: Annotated[bool, typer.Option("--all-marks", help="Every mark, not only each athlete's best.")] = False,
    filters=None,
) -> None:
    """The fastest marks of an event: a season's list with --year, else the all-time list of the
    dataset; one line per athlete (their best) or --all-marks. Equal marks share a rank (=3); a
    hand time ranks after electronic ones of equal value. WL, PB and SB say what a mark was when
    it was run, computed from the marks in the data.

    \b
    Example: miler list --event 1500m --year 2024 --top 10
    Example: miler list --event mile --all-marks
    """
    from miler import views_lists
    from miler.analysis.toplist import toplist
    from miler.errors import EmptyResultError

    _refuse(not filters.event, "a list is of one event: give it, e.g. --event 1500m")
    ds = _load(data)
    result = toplist(ds.races, filters, all_marks=all_marks, top=top)
    if result.marks.empty:
        raise EmptyResultError(f"no marks match {filters.describe()} in {ds.races_path}")
    _emit(views_lists.toplist(result), fmt)


@command("odds", short_help="Chances for the next race from the ratings, and their track record.")
@with_filters()
def odds_command(
    athletes: Annotated[Optional[list[str]], typer.Argument(help="Two or more athletes (none with --check).",
                                                            metavar="[ATHLETE...]", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Replay the races in date order and score the odds each "
                                        "would have been given against what happened.")] = False,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    filters=None,
) -> None:
    """Each athlete's chance of winning the next race between them, and of finishing ahead of
    each of the others, from the ratings `miler rank` computes, with their uncertainty. With
    --check: how well such odds predicted the races in the data, each race from the races
    before it only, beside a coin flip and "the faster season best wins".

    \b
    Example: miler odds kerr ingebrigtsen nuguse --event 1500m
    Example: miler odds --check --event 1500m
    """
    from miler import views_odds
    from miler.analysis import odds
    from miler.marks import normalise_event

    _refuse(check and bool(athletes), "--check scores the odds of every race: give no athletes with it")
    _refuse(not check and len(athletes or []) < 2, "give two or more athletes (miler odds kerr ingebrigtsen), "
            "or --check")
    ds = _load(data)
    races = _filtered(ds, filters)
    event = normalise_event(filters.event) if filters.event else None
    if check:
        return _emit(views_odds.check(odds.check(races), event), fmt)
    _emit(views_odds.odds(odds.odds(races, _athletes(ds, athletes)), event), fmt)


# --- sources, the head-to-head card and charts in existing commands (issue 16) ---------------


def _sourced(result, fields, races, athletes, on: bool):
    """result (a dataclass) with the frames named given a source column, when on."""
    if not on:
        return result
    from dataclasses import replace

    from miler.analysis.sources import attach

    fields = (fields,) if isinstance(fields, str) else fields
    return replace(result, **{f: attach(getattr(result, f), races, athletes) for f in fields})


def _shown(sections, on: bool):
    """The sections with their source columns shown (--sources)."""
    from miler.views_lists import with_sources

    return with_sources(sections) if on else sections


def _card(ds: Dataset, result, sections):
    """The head-to-head's sections opened by its card (bests and medals from all of the
    dataset's races, not only the filtered ones)."""
    from miler import views_lists
    from miler.analysis.card import card

    return views_lists.card(card(ds.races, ds.athletes, result), sections)


def _sourced_races(results, races):
    """A meet's (race, gaps) pairs with each row's source (--sources)."""
    from miler.analysis.sources import attach
    from miler.schema import RACE_KEY

    return [(info, attach(frame.assign(**{k: info[k] for k in RACE_KEY if k in info}), races)) for info, frame in results]


def _all_sources(frame, races, athletes=None) -> list[str]:
    """Every source of the rows of races that frame shows (a chart's caption)."""
    from miler.analysis.sources import attach

    return [s for sources in attach(frame, races, athletes)["source"] for s in sources]


def _write_chart(path: Path, force: bool, draw) -> None:
    """Draw a chart (draw gets miler.charts and returns a figure), then write it whole to path."""
    from miler import charts
    from miler.files import atomic_write

    fmt = charts.chart_format(path)
    figure = draw(charts)
    with atomic_write(path, force=force, encoding=None) as out:
        charts.save(figure, out, fmt)
    _err(f"wrote {path}")


# --- running ----------------------------------------------------------------------------------


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command that runs (building every command's options costs more
    than running a small one); the whole app for help, completion and anything else."""
    wanted = args[0] if args else None
    chosen = [c for c in app.registered_commands if c.name == wanted]
    if not chosen or any(k.startswith("_MILER_COMPLETE") for k in os.environ):
        return app
    one = typer.Typer(**SETTINGS)
    one.callback()(main_options)
    one.registered_commands = chosen
    return one


# --- import and formats (issue 13): readers of other schemas, in miler.dataset.formats -------


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


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
            _err(line)
    if not report.rows:
        from miler.errors import EmptyResultError

        raise EmptyResultError(f"nothing imported: every row was left out; {output} was not written")
    _err(f"wrote {report.rows:,} rows ({report.races:,} races, {report.athletes:,} athletes) to {output}")


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
    from miler import views_lists
    from miler.analysis.coverage import coverage
    from miler.dataset.gaps import read_notes
    from miler.dataset.locate import beside

    ds = _load(data)
    notes_path = beside(ds.races_path, "NOTES.md")
    where = str(ds.races_path) if data or os.environ.get("MILER_DATA") else f"{ds.races_path.name} (the bundled dataset)"
    athletes = len(ds.athletes) if ds.athletes_path is not None else 0
    _emit(views_lists.info(where, coverage(ds.races), read_notes(notes_path), len(ds.quotes), athletes), fmt)


def main() -> None:
    """The console script: run the app. Ctrl-C ends with 130, SIGTERM and SIGHUP with 128 + the
    signal (after clean-up: no temporary file is left), a closed pipe with 141, quietly; an OS
    error on a path that no command turned into a message becomes one, exit 1."""
    from miler import terminal
    from miler.errors import MilerError

    try:
        with terminal.session():
            try:
                _app_for(sys.argv[1:])()
            finally:
                sys.stdout.flush()  # a reader gone since the last write shows here, not at exit
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except terminal.Terminated as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except MilerError as exc:  # the final flush of a full stdout, say
        _err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except OSError as exc:
        if exc.filename is None:
            raise
        from miler.errors import PathError

        _err(f"error: {PathError(exc.filename, exc)}")
        sys.exit(1)


def _quiet_broken_pipe() -> None:
    from miler.terminal import quiet_stdout

    quiet_stdout()  # Python flushes stdout at exit: that flush must not fail again
    sys.exit(141)
