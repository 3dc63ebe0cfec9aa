"""Commands about athletes: progression, athlete, rivals, rank, odds."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from miler.cli import common
from miler.cli.app import command
from miler.cli.options import (
    AsOpt,
    ChartOpt,
    DataOpt,
    EventOpt,
    FIRST_YEAR,
    ForceOpt,
    Format,
    FormatOpt,
    LAST_YEAR,
    MinOpt,
    SourcesOpt,
    refuse,
    with_filters,
)


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
    refuse(plot and fmt != Format.table, "--plot draws a chart in the terminal: it takes no --format")
    refuse(plot and season is not None, "--plot charts season bests across years: it takes no --season")
    refuse(season is not None and len(athletes) != 1, "--season takes one athlete")
    refuse(chart is not None and season is not None, "--chart draws season bests across years: it takes no --season")
    ds = common.load(data)
    names = common.named(ds, athletes)
    races = common.filtered(ds, filters, as_, athletes=names)
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
        raise EmptyResultError(f"{name} has no races in {year}{f' at {ev}' if ev else ''}{common.within(filters)}")
    common.emit(views.season(frame, name, year), fmt)


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
        raise EmptyResultError(f"no {ev} marks for {', '.join(names)}{common.within(filters)}")
    if chart:
        common.write_chart(chart, force, lambda c: c.progression(bests, ev, common.all_sources(bests, races)))
    if plot:
        from miler.plots import plot_progression

        return plot_progression(bests, ev, sys.stdout)
    common.emit(views.progression(bests, prog.pb_progression(races, names, ev), ev), fmt)


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

    ds = common.load(data)
    (who,) = common.named(ds, [name])
    races = common.filtered(ds, Filters(), as_)
    result = common.sourced(profile(races, who, min_meetings), ("personal_bests", "season_bests", "championships", "recent"),
                      races, [who], sources)
    common.emit(common.sources_shown(views.athlete(result), sources), fmt)


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

    ds = common.load(data)
    (who,) = common.named(ds, [name])
    found = rivals(common.filtered(ds, filters), who, minimum)
    if found.empty:
        raise EmptyResultError(f"{who} has met nobody {minimum} or more times in these races{common.within(filters)}")
    common.emit(views.rivals(found, who), fmt)


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
    refuse(plot and not history, "--plot charts one athlete's rating: give --history ATHLETE")
    refuse(chart is not None and not history, "--chart draws one athlete's rating: give --history ATHLETE")
    refuse(plot and fmt != Format.table, "--plot draws a chart in the terminal: it takes no --format")
    refuse(history is not None and top != 25, "--top lists the ratings table: it does not apply to --history")
    ds = common.load(data)
    who = common.named(ds, [history])[0] if history else None
    races = common.filtered(ds, filters)
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
    common.emit(views.ratings(ratings, top), fmt)


def _rating_history(races, who: str, fmt: Format, plot: bool, chart=None, force: bool = False) -> None:
    from miler import views
    from miler.analysis.rating import rate
    from miler.errors import EmptyResultError

    history = rate(races).of(who)
    if history.empty:
        raise EmptyResultError(f"{who} has no rated races in these results")
    if chart:
        common.write_chart(chart, force, lambda c: c.history(history, who, common.all_sources(history, races, [who])))
    if plot:
        from miler.plots import plot_history

        return plot_history(history, who, sys.stdout)
    common.emit(views.rating_history(history, who), fmt)


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
    from miler import views
    from miler.analysis import odds
    from miler.marks import normalise_event

    refuse(check and bool(athletes), "--check scores the odds of every race: give no athletes with it")
    refuse(not check and len(athletes or []) < 2, "give two or more athletes (miler odds kerr ingebrigtsen), "
            "or --check")
    ds = common.load(data)
    races = common.filtered(ds, filters)
    event = normalise_event(filters.event) if filters.event else None
    if check:
        return common.emit(views.odds_check(odds.check(races), event), fmt)
    common.emit(views.odds(odds.odds(races, common.named(ds, athletes)), event), fmt)
