"""What the views share: how a mark, a converted mark, a place and a gap are shown, and the
lines that say what a signed number means."""

from __future__ import annotations

from typing import Any

from miler.names import short_names
from miler.answer import Column, Fact, gap_text, is_missing

R = "right"
IN_DATASET = " (in this dataset)"


def place_time(place: Any, time: Any) -> str:
    """'3:29.38 (1)': a mark with its place, as a table shows one athlete's race."""
    if is_missing(time) or time == "":
        return ""
    return f"{time} ({int(place)})" if not is_missing(place) else str(time)


def with_lines(facts: list[Fact]) -> list[Fact]:
    """Facts without a line or key dropped (a conversion note that does not apply)."""
    return [f for f in facts if f.lines or f.key]


def num2(value: Any) -> str:
    return "" if is_missing(value) else f"{float(value):.2f}"


def pct(value: Any) -> str:
    if is_missing(value):
        return ""
    return "0.00%" if abs(float(value)) < 0.005 else f"{float(value):+.2f}%"


def mark_column(key: str, header: str | None = None, original: str = "original_time") -> Column:
    """A mark, shown '≈3:45.10 (3:28.80 1500m)' where --as converted it."""
    return Column(key, header, justify=R, value=lambda r: shown_mark(r, key, original))


def shown_mark(row: dict[str, Any], key: str, original: str = "original_time") -> Any:
    """The mark as shown: a converted one (it has an original) as '≈3:44.41 (3:27.79 1500m)'."""
    run = row.get(original)
    if is_missing(run) or run == "" or is_missing(row.get(key)):
        return row[key]
    event = row.get("original_event") or row.get("event")
    return f"≈{row[key]} ({run} {event})" if event else f"≈{row[key]} ({run})"


def shown_marks(frame, pairs: list[tuple[str, str]]):
    """For a table of two athletes' marks: a function (row, key) -> the mark as shown."""
    originals = dict(pairs)

    def shown(row, key):
        return shown_mark(row, key, originals[key])

    return shown


# What --as adds to rows (see analysis/convert.py): in CSV and JSON, not as table columns.
CONVERSION = [Column(c, table=False) for c in ("as_event", "converted", "original_time", "original_event")]


def is_converting(frame) -> bool:
    return frame is not None and "converted" in frame.columns


def approx_gap(row: dict[str, Any], key: str = "gap") -> str:
    """A gap between converted marks is an estimate too: '≈+2.10'."""
    shown = gap_text(row[key])
    return f"≈{shown}" if shown and row.get("converted") is True else shown


def conversion_note(frame) -> str | None:
    return conversion_note_of(is_converting(frame) and bool(frame["converted"].fillna(False).any()))


def conversion_note_of(converted: bool) -> str | None:
    if not converted:
        return None
    from miler.analysis.convert import MILE_PER_1500

    return f"≈ marks are converted (mile = 1500m × {MILE_PER_1500}), not run; the original follows in brackets"


def margin_legend(name: str) -> str:
    short = short_names([name])[name]
    return f"avg margin = {short}'s time − the rival's, where both finished: negative where {short} was ahead on average"
