"""The command line: options in, one call into analysis, one call into render.

This is the one place where errors become messages and exit codes: 0 success, 1 a data or
lookup problem (a message on stderr, no traceback), 2 a usage error (Typer's own), 130 Ctrl-C.
Nothing heavy (pandas, rich tables) is imported until a command runs, so --help stays fast.
"""

from __future__ import annotations

import functools
import inspect
import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from miler import __version__

if TYPE_CHECKING:
    from miler.dataset import Dataset

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

# The shared filters: the same names and meaning in every command.
EventOpt = Annotated[Optional[str], typer.Option("--event", "-e", help="Only this event: 1500m, Mile, 5000m, …")]
YearOpt = Annotated[Optional[int], typer.Option("--year", "-y", help="Only this calendar year.")]
SinceOpt = Annotated[
    Optional[datetime], typer.Option("--since", formats=["%Y-%m-%d"], help="Only races on or after this date.")
]
UntilOpt = Annotated[
    Optional[datetime], typer.Option("--until", formats=["%Y-%m-%d"], help="Only races on or before this date.")
]
IndoorOpt = Annotated[
    Optional[bool], typer.Option("--indoor/--outdoor", help="Only indoor, or only outdoor, races.", show_default=False)
]
LevelOpt = Annotated[
    Optional[str],
    typer.Option("--level", help="Only these levels, comma-separated (olympics, worlds, world-indoors, europeans, "
                 "commonwealth, diamond-league, national, other) or 'championships'."),
]
FinalsOpt = Annotated[bool, typer.Option("--finals-only", help="Only finals (no heats or semi-finals).")]
AsOpt = Annotated[
    Optional[str],
    typer.Option("--as", help="Show 1500m and mile marks as this event (1500m or mile), converting the other "
                 "with the factor 1.08; converted marks are shown with ≈ and their original."),
]


def _filters(event=None, year=None, since=None, until=None, indoor=None, level=None, finals_only=False):
    """The shared filter options as one Filters value."""
    from miler.analysis.filters import Filters, levels

    if level:
        levels(level)  # an unknown level is an error before anything is loaded
    return Filters(
        event=event,
        year=year,
        since=since.date() if since else None,
        until=until.date() if until else None,
        indoor=indoor,
        level=level,
        finals_only=finals_only,
    )


PROGRESS_BYTES = 20_000_000  # a file this large takes a second or more to read the first time


_FILTER_OPTIONS = {
    "event": (EventOpt, None),
    "year": (YearOpt, None),
    "since": (SinceOpt, None),
    "until": (UntilOpt, None),
    "indoor": (IndoorOpt, None),
    "level": (LevelOpt, None),
    "finals_only": (FinalsOpt, False),
}


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
        except BrokenPipeError:  # the reader went away (| head): before Typer makes it exit 1
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130) from None

    return wrapper


def command(*args, **kwargs):
    """app.command, with miler's error handling around the function."""

    def decorate(fn):
        return app.command(*args, **kwargs)(handles_errors(fn))

    return decorate


def _load(data: Path | None) -> Dataset:
    from miler.dataset import load
    from miler.dataset.locate import dataset_paths

    races_path, _ = dataset_paths(data)
    size = races_path.stat().st_size
    if size >= PROGRESS_BYTES and sys.stderr.isatty():
        from miler.render import status

        with status(f"Reading {races_path.name} ({size / 1e6:,.0f} MB)…"):
            ds = load(data)
    else:
        ds = load(data)
    for w in ds.warnings:
        _err(f"warning: {w}")
    return ds


def _athletes(ds: Dataset, queries: list[str]) -> list[str]:
    """Resolve each query to an athlete; notes about other possible matches go to stderr."""
    from miler.errors import MilerError
    from miler.names import resolve

    counts = ds.athlete_counts()
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


def _filtered(ds: Dataset, filters, as_event: str | None = None, athletes=None) -> "pd.DataFrame":  # noqa: F821
    """The dataset's races (only these athletes' rows, when given; converted first with --as)
    through the shared filters; nothing left is an error naming the filters."""
    from miler.analysis.filters import apply
    from miler.errors import EmptyResultError

    races = ds.races if athletes is None else ds.rows(athletes=athletes)
    if as_event:
        from miler.analysis.convert import target_event, with_conversion

        races = with_conversion(races, target_event(as_event))
    races = apply(races, filters)
    if races.empty and athletes is not None:  # as the whole dataset would answer
        return _filtered(ds, filters, as_event)
    if races.empty:
        raise EmptyResultError(f"no results match {filters.describe() or 'these filters'} in {ds.races_path}")
    return races


@command("h2h")
@with_filters()
def h2h_command(
    athletes: Annotated[list[str], typer.Argument(help="Two or more athletes: full name, surname, given name or prefix.")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    as_: AsOpt = None,
    filters=None,
) -> None:
    """Head-to-head: who beat whom, when, and by how much.

    Two athletes: the record (overall, by event, by level), streak, margins and every meeting.
    The gap is the first athlete's time minus the second's: -0.27 means the first was ahead.
    Three or more: a matrix of records (row beat column), then every race two or more of them ran.

    Example: miler h2h kerr ingebrigtsen --level championships
    """
    from miler import views
    from miler.analysis import h2h

    if len(athletes) < 2:
        raise typer.BadParameter("give two or more athletes, e.g. miler h2h kerr ingebrigtsen", param_hint="ATHLETES")
    ds = _load(data)
    names = _athletes(ds, athletes)
    races = _filtered(ds, filters, as_, athletes=names)
    if len(names) == 2:
        _emit(*views.h2h(h2h.head_to_head(races, *names)), fmt)
    else:
        _emit(*views.group(h2h.group(races, names)), fmt)


@command("gaps")
@with_filters()
def gaps_command(
    query: Annotated[list[str], typer.Argument(help="A meet (\"paris 2024\") or two athletes.")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    round_: Annotated[Optional[str], typer.Option("--round", "-r", help="Only this round: final, heat 1, …")] = None,
    filters=None,
) -> None:
    """Time gaps: each finisher's gap to the winner and to the athlete ahead (seconds and %),
    or, given two athletes, the gap between them in every race they both finished and its trend.

    Example: miler gaps "paris 2024" --event 1500m --round final
    Example: miler gaps kerr ingebrigtsen --event 1500m
    """
    from miler import views
    from miler.analysis.gaps import pair_gaps
    from miler.errors import MilerError

    ds = _load(data)
    names = None
    if len(query) == 2:
        try:
            names = _athletes(ds, query)
        except MilerError:
            names = None
    if names:
        _emit(*views.pair_gaps(pair_gaps(_filtered(ds, filters), *names)), fmt)
    else:
        _emit(*_meet_results(ds, " ".join(query), filters, round_), fmt)


def _meet_results(ds: Dataset, query: str, filters, round_: str | None):
    from miler import views
    from miler.analysis.filters import apply
    from miler.analysis.gaps import race_gaps
    from miler.analysis.meets import find_meet
    from miler.errors import EmptyResultError

    races = apply(ds.one_row_per_race(), filters)
    if races.empty:
        raise EmptyResultError(f"no results match {filters.describe()}")
    choice = find_meet(races, query)
    if choice.note:
        _err(choice.note)
    rows = apply(ds.rows(meet=choice.meet, year=choice.year), filters)
    if round_:
        rows = rows[rows["round"] == round_.strip().lower()]
    if rows.empty:
        rounds = ", ".join(sorted(ds.rows(meet=choice.meet, year=choice.year)["round"].unique()))
        wanted = ", ".join(x for x in (filters.describe(), f"round {round_}" if round_ else "") if x)
        raise EmptyResultError(f"{choice.label} has no races with {wanted} (its rounds: {rounds})")
    results = []
    for _, race in rows.groupby("race_id", sort=False):
        first = race.iloc[0]
        info = {k: first[k] for k in ("date", "meet", "city", "event", "round", "indoor", "race_id")}
        results.append((info, race_gaps(race)))
    results.sort(key=lambda r: r[0]["race_id"])
    return views.races(results, heading=f"{choice.label}: {len(results)} race{'s' if len(results) != 1 else ''}")


@command("meet")
@with_filters("event")
def meet_command(
    query: Annotated[list[str], typer.Argument(help="The meet: \"paris 2024\", budapest, \"bowerman mile\", …")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    round_: Annotated[Optional[str], typer.Option("--round", "-r", help="Only this round: final, heat 1, …")] = None,
    filters=None,
) -> None:
    """The results of one meet: every race, or one with --event and --round, with gaps to the winner.

    The query is forgiving: any words of the meet's name, city, year or an event it held.

    Example: miler meet "paris 2024" --event 1500m --round final
    """
    ds = _load(data)
    _emit(*_meet_results(ds, " ".join(query), filters, round_), fmt)


@command("meets")
@with_filters()
def meets_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    filters=None,
) -> None:
    """The meets in the dataset, with dates, races and athletes.

    Example: miler meets --year 2024 --level diamond-league
    """
    from miler import views
    from miler.analysis.meets import meet_table

    ds = _load(data)
    races = _filtered(ds, filters)
    _emit(*views.meets(meet_table(races)), fmt)


@command("athletes")
@with_filters()
def athletes_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    filters=None,
) -> None:
    """The athletes in the dataset, most races first, with wins and events.

    Example: miler athletes --event 1500m --level championships
    """
    from miler import views
    from miler.analysis.catalog import athletes

    ds = _load(data)
    races = _filtered(ds, filters)
    _emit(*views.listing("Athletes", athletes(races)), fmt)


@command("events")
@with_filters("year", "since", "until", "indoor", "level", "finals_only")
def events_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    filters=None,
) -> None:
    """The events in the dataset, indoor and outdoor apart, with races and athletes.

    Example: miler events --year 2024
    """
    from miler import views
    from miler.analysis.catalog import events

    ds = _load(data)
    races = _filtered(ds, filters)
    _emit(*views.listing("Events", events(races)), fmt)


@command("progression")
@with_filters("since", "until", "indoor", "level", "finals_only")
def progression_command(
    athletes: Annotated[list[str], typer.Argument(help="One or more athletes.")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    event: EventOpt = None,
    season: Annotated[
        Optional[int], typer.Option("--season", help="Every race of this season, with the season best as it stood.")
    ] = None,
    plot: Annotated[bool, typer.Option("--plot", help="Chart season bests across years in the terminal.")] = False,
    as_: AsOpt = None,
    filters=None,
) -> None:
    """Season bests year by year and the personal-best progression, for one event
    (by default the one the athletes have most marks in). Indoor and outdoor stay apart;
    a mile is never mixed with a 1500m.

    Example: miler progression kerr ingebrigtsen --event 1500m --plot
    Example: miler progression kerr --season 2024
    Example: miler progression kerr --as mile
    """
    from miler import views
    from miler.analysis import progression as prog
    from miler.errors import EmptyResultError

    ds = _load(data)
    names = _athletes(ds, athletes)
    races = _filtered(ds, filters, as_, athletes=names)
    if as_ and not event:
        event = as_
    within = f" ({filters.describe()})" if filters.describe() else ""
    if season is not None:
        if len(names) != 1:
            raise typer.BadParameter("--season takes one athlete", param_hint="ATHLETES")
        frame = prog.season(races, names[0], season, _event(event))
        if frame.empty:
            at = f" at {_event(event)}" if event else ""
            raise EmptyResultError(f"{names[0]} has no races in {season}{at}{within}")
        _emit(*views.season(frame, names[0], season), fmt)
        return
    ev = _event(event) or prog.default_event(races, names)
    bests = prog.season_bests(races, names, ev)
    if bests.empty:
        raise EmptyResultError(f"no {ev} marks for {', '.join(names)}{within}")
    if plot:
        from miler.render import plot_progression

        plot_progression(bests, ev, sys.stdout)
        return
    _emit(*views.progression(bests, prog.pb_progression(races, names, ev), ev), fmt)


def _event(event: str | None) -> str | None:
    from miler.marks import normalise_event

    return normalise_event(event) if event else None


@command("quotes")
@with_filters("year", "since", "until")
def quotes_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    speaker: Annotated[Optional[str], typer.Option("--speaker", help="Who said it.")] = None,
    about: Annotated[Optional[str], typer.Option("--about", help="Who it was about.")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="A topic tag, or part of one: blindfolded, next guy.")] = None,
    search: Annotated[Optional[str], typer.Option("--search", help="Words in the quote (case and accents ignored).")] = None,
    filters=None,
) -> None:
    """What the athletes said, in date order.

    Example: miler quotes --speaker ingebrigtsen --about kerr --topic blindfolded
    """
    from miler import views
    from miler.analysis.quotes import dated, filter_quotes, people
    from miler.errors import EmptyResultError

    ds = _load(data)
    quotes = ds.quotes
    if quotes.empty:
        raise EmptyResultError(f"no quotes in this dataset ({ds.races_path.parent} has no quotes.yaml)")
    counts = ds.races["athlete"].value_counts().to_dict()
    for p in people(quotes):
        counts[p] = counts.get(p, 0) + 1
    who = [_resolve(q, counts) if q else None for q in (speaker, about)]
    found = filter_quotes(dated(quotes, filters), who[0], who[1], topic, search)
    if found.empty:
        asked = filters.describe()
        parts = [x for x in (who[0] and f"speaker {who[0]}", who[1] and f"about {who[1]}", topic and f"topic '{topic}'",
                             search and f"text '{search}'", asked) if x]
        raise EmptyResultError(f"no quotes match {', '.join(parts)}")
    _emit(*views.quotes(found), fmt)


def _resolve(query: str, counts: dict[str, int]) -> str:
    from miler.names import resolve

    r = resolve(query, counts)
    if r.note:
        _err(r.note)
    return r.name


@command("timeline")
@with_filters("since", "until")
def timeline_command(
    athletes: Annotated[list[str], typer.Argument(help="Two athletes.")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    filters=None,
) -> None:
    """The rivalry as a story: every meeting and every word between two athletes, in date order,
    with the running record after each race.

    Example: miler timeline kerr ingebrigtsen --since 2023-01-01
    """
    from miler import views
    from miler.analysis.filters import apply
    from miler.analysis.quotes import dated
    from miler.analysis.timeline import timeline

    if len(athletes) != 2:
        raise typer.BadParameter("give two athletes, e.g. miler timeline kerr ingebrigtsen", param_hint="ATHLETES")
    ds = _load(data)
    a, b = _athletes(ds, athletes)
    story = timeline(apply(ds.races, filters), dated(ds.quotes, filters), a, b)
    if story.empty:
        from miler.errors import EmptyResultError

        within = f" ({filters.describe()})" if filters.describe() else ""
        raise EmptyResultError(f"{a} and {b} have no meetings and no quotes about each other{within}")
    _emit(*views.timeline(story, a, b), fmt)


@command("athlete")
def athlete_command(
    name: Annotated[str, typer.Argument(help="The athlete: full name, surname, given name or prefix.")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    min_meetings: Annotated[int, typer.Option("--min", help="Show the record against rivals met this often.")] = 3,
    as_: AsOpt = None,
) -> None:
    """An athlete's profile: events, personal bests (indoor and outdoor apart), the latest
    season's bests, championship finals and medals, record against frequent rivals, last races.

    Example: miler athlete kerr --as mile
    """
    from miler import views
    from miler.analysis.filters import Filters
    from miler.analysis.profile import profile

    ds = _load(data)
    (who,) = _athletes(ds, [name])
    _emit(*views.athlete(profile(_filtered(ds, Filters(), as_), who, min_meetings)), fmt)


@command("rivals")
@with_filters()
def rivals_command(
    name: Annotated[str, typer.Argument(help="The athlete.")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    minimum: Annotated[int, typer.Option("--min", help="Only rivals met at least this many times.")] = 1,
    filters=None,
) -> None:
    """Everyone an athlete has met: meetings, record and average margin, most meetings first.

    The margin is the rival's time minus the athlete's where both finished: positive means
    the athlete was ahead on average.

    Example: miler rivals ingebrigtsen --min 3
    """
    from miler import views
    from miler.analysis.rivals import rivals
    from miler.errors import EmptyResultError

    ds = _load(data)
    (who,) = _athletes(ds, [name])
    found = rivals(_filtered(ds, filters), who, minimum)
    if found.empty:
        raise EmptyResultError(f"{who} has met nobody {minimum} or more times in these races")
    _emit(*views.rivals(found, who), fmt)


@command("rank")
@with_filters()
def rank_command(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    top: Annotated[int, typer.Option("--top", "-n", help="How many athletes to list (0: all).")] = 25,
    history: Annotated[Optional[str], typer.Option("--history", help="One athlete's rating race by race.")] = None,
    plot: Annotated[bool, typer.Option("--plot", help="With --history: chart the rating in the terminal.")] = False,
    filters=None,
) -> None:
    """Ratings of every athlete from all finishing orders, race by race in date order
    (Weng–Lin with the Plackett–Luce model, via openskill): rating = mu − 3·sigma.

    Example: miler rank --event 1500m --since 2023-01-01
    Example: miler rank --event 1500m --history kerr --plot
    """
    from miler import views
    from miler.analysis.rating import rate
    from miler.errors import EmptyResultError

    ds = _load(data)
    who = _athletes(ds, [history])[0] if history else None
    races = _filtered(ds, filters)
    ratings = rate(races)
    if who:
        hist = ratings.history[ratings.history["athlete"] == who].drop(columns="athlete").reset_index(drop=True)
        if hist.empty:
            raise EmptyResultError(f"{who} has no rated races in these results")
        if plot:
            from miler.render import plot_history

            plot_history(hist, who, sys.stdout)
            return
        _emit(*views.rating_history(hist, who), fmt)
        return
    if ratings.table.empty:
        raise EmptyResultError("no race in these results has two or more starters to rate")
    _emit(*views.ratings(ratings, top), fmt)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


@command("export")
@with_filters()
def export_command(
    athlete: Annotated[
        Optional[list[str]], typer.Option("--athlete", "-a", help="Only this athlete's results; repeat for several.")
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write to this file (whole, or not at all) instead of stdout.",
                     show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    fmt: Annotated[
        Optional[ExportFormat],
        typer.Option("--format", "-f", help="csv (default; -o FILE.json means json) or json.", show_default=False),
    ] = None,
    data: DataOpt = None,
    filters=None,
) -> None:
    """Export results in the dataset's own columns, as CSV or JSON.

    A CSV export is itself a miler dataset: miler h2h kerr ingebrigtsen --data kerr-2024.csv
    reads it back. In CSV, a text cell a spreadsheet would run as a formula (one starting with
    = + - @) is saved with a leading ' ; miler reads it back without it.

    Example: miler export --athlete kerr --year 2024 -o kerr-2024.csv
    """
    from miler.analysis.export import export_rows
    from miler.dataset.write import write_races
    from miler.files import output as open_output

    if output is not None and str(output) == "-":
        output = None
    ds = _load(data)
    names = _athletes(ds, athlete) if athlete else []
    rows = export_rows(ds.races, filters, names)
    kind = fmt.value if fmt else ("json" if output is not None and output.suffix.lower() == ".json" else "csv")
    with open_output(output, force=force) as out:
        write_races(rows, out, kind)
    if output is not None:
        _err(f"wrote {len(rows):,} rows to {output}")


@command("validate")
def validate_command(data: DataOpt = None) -> None:
    """Check a dataset: every problem as FILE:LINE: what is wrong; exit 1 if there are any.

    Example: miler validate --data ~/my-results
    """
    from miler.dataset import validate

    report = validate(data)
    for w in report.warnings:
        _err(f"warning: {w}")
    if not report.ok:
        from miler import views

        _emit(*views.problems(report.problems, report.total), Format.table)
        raise typer.Exit(1)
    summary = report.summary
    typer.echo(f"ok: {summary}")


def main() -> None:
    """The console script: run the app; Ctrl-C and a closed pipe end quietly."""
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a reader gone since the last write shows here, not at exit
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
