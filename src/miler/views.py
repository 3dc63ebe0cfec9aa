"""Each command's presentation: an analysis result -> blocks for render.write and a JSON payload."""

from __future__ import annotations

from typing import Any

from miler.analysis.h2h import HeadToHead
from miler.render import Block, Column, gap_text, records

R = "right"


def record_line(athletes: tuple[str, str], wins: dict[str, int], ties: int = 0) -> str:
    a, b = athletes
    line = f"{a} {wins[a]} – {wins[b]} {b}"
    return line + (f" ({ties} without a winner)" if ties else "")


def h2h(result: HeadToHead) -> tuple[list[Block], dict[str, Any]]:
    a, b = result.athletes
    sa, sb = surname(a), surname(b)
    m = result.meetings
    columns = [
        Column("date"),
        Column("meet"),
        Column("event"),
        Column("round"),
        Column("place_a", f"{sa} pl", justify=R),
        Column("time_a", sa, justify=R),
        Column("place_b", f"{sb} pl", justify=R),
        Column("time_b", sb, justify=R),
        Column("winner"),
        Column("gap", f"gap ({sa}−{sb})", gap_text, justify=R),
    ]
    lines = [record_line(result.athletes, result.wins, result.ties)]
    if m.empty:
        lines.append(f"{a} and {b} have not met in these races.")
    blocks = [Block(f"Head to head: {a} v {b}", lines, m, columns)]
    payload = {
        "athletes": [a, b],
        "wins": result.wins,
        "ties": result.ties,
        "meetings": records(m),
    }
    return blocks, payload


def surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def problems(found: list, total: int) -> tuple[list[Block], list[dict[str, Any]]]:
    """Validation problems as a table of file, line and what is wrong."""
    import pandas as pd

    frame = pd.DataFrame(
        {"file": [p.file for p in found], "line": [p.line for p in found], "problem": [p.message for p in found]}
    )
    more = f" (showing the first {len(found)})" if total > len(found) else ""
    lines = [f"{total} problem{'s' if total != 1 else ''} found{more}"]
    columns = [Column("file"), Column("line", justify=R), Column("problem")]
    return [Block("", lines, frame, columns)], records(frame)
