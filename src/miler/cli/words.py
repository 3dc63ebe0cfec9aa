"""Commands about what was said: quotes, timeline."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from miler.cli import common
from miler.cli.app import command
from miler.cli.options import (
    DataOpt,
    Format,
    FormatOpt,
    SourcesOpt,
    with_filters,
)


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

    ds = common.load(data)
    if ds.quotes.empty:
        raise EmptyResultError(f"no quotes in this dataset ({ds.races_path.parent} has no quotes.yaml)")
    who, notes = common.resolve(ds, [q for q in (speaker, about) if q], quotes=True)
    common.print_notes(notes)
    speaker_name, about_name = (who.pop(0) if q else None for q in (speaker, about))
    found = filter_quotes(dated(ds.quotes, filters), speaker_name, about_name, topic, search)
    if found.empty:
        asked = [x for x in (speaker_name and f"speaker {speaker_name}", about_name and f"about {about_name}",
                             topic and f"topic '{topic}'", search and f"text '{search}'", filters.describe()) if x]
        raise EmptyResultError(f"no quotes match {', '.join(asked)}")
    common.emit(views.quotes(found), fmt)


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
    ds = common.load(data)
    a, b = common.named(ds, athletes)
    story = timeline(apply(ds.rows(athletes=[a, b]), filters), dated(ds.quotes, filters), a, b, sources=sources)
    if story.empty:
        raise EmptyResultError(f"{a} and {b} have no meetings and no quotes about each other{common.within(filters)}")
    common.emit(common.sources_shown(views.timeline(story, a, b), sources), fmt)
