"""Commands about races and meets: h2h, gaps, meet, meets, athletes, events, list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from miler.cli import common
from miler.cli.app import command
from miler.cli.options import (
    AsOpt,
    AthletesArg,
    ChartOpt,
    DataOpt,
    ForceOpt,
    Format,
    FormatOpt,
    RoundOpt,
    SourcesOpt,
    refuse,
    with_filters,
)

if TYPE_CHECKING:
    from miler.dataset import Dataset


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
    ds = common.load(data)
    names = common.named(ds, athletes)
    races = common.filtered(ds, filters, as_, athletes=names)
    result = h2h.head_to_head(races, *names) if len(names) == 2 else h2h.group(races, names)
    if result.meetings.empty:
        raise EmptyResultError(f"{' and '.join(names)} have not met in these races{common.within(filters)}")
    result = common.sourced(result, "meetings", races, names, sources)
    if len(names) == 2:
        return common.emit(common.with_card(ds, result, common.sources_shown(views.h2h(result), sources)), fmt)
    common.emit(common.sources_shown(views.group(result), sources), fmt)


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

    ds = common.load(data)
    try:
        names, notes = common.resolve(ds, query) if len(query) == 2 else (None, [])
    except MilerError:
        names, notes = None, []
    if not names:
        refuse(chart is not None, "--chart draws two athletes' gaps, e.g. miler gaps kerr ingebrigtsen --chart gaps.png")
        return common.emit(common.sources_shown(_meet(ds, " ".join(query), filters, round_, sources), sources), fmt)
    common.print_notes(notes)
    races = common.filtered(ds, filters, athletes=list(names))
    result = pair_gaps(races, *names, round_=round_)
    if result.gaps.empty:
        raise EmptyResultError(f"{names[0]} and {names[1]} have not both finished a race{common.within(filters)}")
    if chart:
        common.write_chart(chart, force, lambda c: c.gaps(result, common.all_sources(result.gaps, races, names)))
    common.emit(common.sources_shown(views.pair_gaps(common.sourced(result, "gaps", races, names, sources)), sources), fmt)


def _meet(ds: Dataset, query: str, filters, round_: str | None, sources: bool = False):
    from miler import views
    from miler.analysis.meets import meet_results

    found = meet_results(ds.one_row_per_race(), query, filters, round_,
                         rows_of=lambda choice: ds.rows(meet=choice.meet, year=choice.year))
    common.print_notes([found.choice.note])
    rows = ds.rows(meet=found.choice.meet, year=found.choice.year) if sources else None
    return views.races(common.sourced_races(found.races, rows) if sources else found.races, heading=found.heading)


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
    common.emit(common.sources_shown(_meet(common.load(data), " ".join(query), filters, round_, sources), sources), fmt)


@command("meets", short_help="The meets in the dataset.")
@with_filters()
def meets_command(data: DataOpt = None, fmt: FormatOpt = Format.table, filters=None) -> None:
    """The meets in the dataset, with dates, races and athletes.

    \b
    Example: miler meets --year 2024 --level diamond-league
    """
    from miler import views
    from miler.analysis.meets import meet_table

    common.emit(views.meets(meet_table(common.filtered(common.load(data), filters))), fmt)


@command("athletes", short_help="The athletes in the dataset.")
@with_filters()
def athletes_command(data: DataOpt = None, fmt: FormatOpt = Format.table, filters=None) -> None:
    """The athletes in the dataset, most races first, with wins and events.

    \b
    Example: miler athletes --event 1500m --level championships
    """
    from miler import views
    from miler.analysis.catalog import athletes

    common.emit(views.listing("Athletes", athletes(common.filtered(common.load(data), filters))), fmt)


@command("events", short_help="The events in the dataset.")
@with_filters("year", "since", "until", "indoor", "level", "finals_only", "sex")
def events_command(data: DataOpt = None, fmt: FormatOpt = Format.table, filters=None) -> None:
    """The events in the dataset, indoor and outdoor apart, with races and athletes.

    \b
    Example: miler events --year 2024
    """
    from miler import views
    from miler.analysis.catalog import events

    common.emit(views.listing("Events", events(common.filtered(common.load(data), filters))), fmt)


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
    from miler import views
    from miler.analysis.toplist import toplist
    from miler.errors import EmptyResultError

    refuse(not filters.event, "a list is of one event: give it, e.g. --event 1500m")
    ds = common.load(data)
    result = toplist(ds.races, filters, all_marks=all_marks, top=top)
    if result.marks.empty:
        raise EmptyResultError(f"no marks match {filters.describe()} in {ds.races_path}")
    common.emit(views.toplist(result), fmt)
