"""Answers (miler.answer: sections of facts and rows) to terminal tables, CSV, JSON and
Markdown, written to the stream given.

A view describes its answer once, as Sections; every format is derived from them here, so
the table, the CSV, the JSON and the Markdown cannot disagree:

- table / Markdown: each section's title, its facts' lines, then its rows as a table (one
  titled table per group where the section is split).
- CSV: the rows of one section (the primary one, else the last with rows), in the columns
  marked for CSV, spreadsheet-safe.
- JSON: an object of every fact's key and every keyed section's rows (shaped where the view
  says how), or, for an answer that is just one table, the list of its rows.

Every string that came from a file is shown as text: in tables and Markdown, control
characters (C0, C1, ESC) become a visible escape (``\\x1b``), bidi overrides and zero-width
characters become ``<U+202E>``, Rich markup is never parsed (cells are rich.text.Text) and
Markdown's own characters are escaped. CSV and JSON keep the data exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

import pandas as pd

from miler.answer import Section, plain, records, rows_of, text
from miler.display import safe

PIPE_WIDTH = 200  # the width of a table written to a file or a pipe

# --- text that came from a file --------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>|])")


def _markdown_cell(value: str) -> str:
    """Safe text in a Markdown table cell or heading: Markdown's own characters escaped."""
    return _MARKDOWN.sub(r"\\\1", value)


def _markdown_line(value: str) -> str:
    """A line of text in Markdown: what would start markup or a link is escaped."""
    return _MARKDOWN.sub(r"\\\1", value)


# --- writers -------------------------------------------------------------------------------


def write(sections: list[Section], fmt: str, out: IO[str]) -> None:
    """Write an answer in a format to out."""
    if fmt == "json":
        out.write(json.dumps(payload(sections), indent=2, ensure_ascii=False, default=plain) + "\n")
    elif fmt == "csv":
        table = csv_section(sections)
        if table is not None:
            keys = [c.key for c in table.columns if c.csv and c.key in table.frame.columns]
            write_csv(table.frame, keys or list(table.frame.columns), out)
    elif fmt == "markdown":
        _markdown(sections, out)
    else:
        _table(sections, out)


def payload(sections: list[Section]) -> Any:
    """The JSON value of an answer (see the module's docstring)."""
    keyed = any(s.key for s in sections) or any(f.key for s in sections for f in s.facts)
    if not keyed:
        tables = [s for s in sections if s.frame is not None]
        if not tables:
            return []
        rows = tables[-1].records()
        return tables[-1].shape(rows) if tables[-1].shape else rows
    out: dict[str, Any] = {}
    for s in sections:
        for f in s.facts:
            if f.key:
                out[f.key] = f.value
        if s.key and s.frame is not None:
            rows = s.records()
            out[s.key] = s.shape(rows) if s.shape else rows
    return out


def csv_section(sections: list[Section]) -> Section | None:
    tables = [s for s in sections if s.frame is not None]
    if not tables:
        return None
    return next((s for s in tables if s.primary), tables[-1])


def write_csv(frame: pd.DataFrame, keys: Sequence[str], out: IO[str]) -> None:
    """CSV with spreadsheet-safe text cells (miler.dataset.write.write_rows); numbers are left
    alone; a list is written as its items joined by '; '."""
    from miler.dataset.write import write_rows

    rows = (["; ".join(v) if isinstance(v, list) else v for v in row.values()] for row in records(frame, keys))
    write_rows(out, list(keys), rows)


@dataclass
class _Table:
    """One table as strings: headers, alignments and rows of cells, all safe to show."""

    headers: list[str]
    justify: list[str]
    rows: list[list[str]]


def _tables(s: Section) -> list[tuple[str, _Table]]:
    """The section's rows as (title, table) pairs: one untitled table, or one per group."""
    cols = [c for c in s.columns if c.table]
    rows = rows_of(s.frame) if len(s.frame) else []
    groups: list[tuple[str, list[dict]]] = [("", rows)]
    if s.split:
        groups = []
        for row in rows:
            if not groups or groups[-1][1][0][s.split] != row[s.split]:
                groups.append((s.split_title(row) if s.split_title else str(row[s.split]), []))
            groups[-1][1].append(row)
    out = []
    for title, group in groups:
        cells = [[safe((c.show or text)(c.value(r) if c.value else r[c.key]), newlines=True) for c in cols]
                 for r in group]
        out.append((title, _Table([safe(c.title) for c in cols], [c.justify for c in cols], cells)))
    return out


def _blocks(sections: list[Section]) -> list[list[tuple[str, Any]]]:
    """What tables and Markdown show: blocks (printed apart) of ('title', text), ('line', text)
    and ('table', _Table) pieces. A split section is its title and facts, then a block per group."""
    blocks = []
    for s in sections:
        head = [("title", safe(s.title))] if s.title else []
        head += [("line", safe(line)) for f in s.facts for line in f.lines]
        if s.frame is not None and s.frame.empty and s.empty:
            head.append(("line", safe(s.empty)))
        if s.frame is None or not any(c.table for c in s.columns):
            blocks.append(head)
        elif s.split:
            blocks.append(head)
            blocks += [[("title", safe(title)), ("table", t)] for title, t in _tables(s)] if len(s.frame) else []
        else:
            blocks.append(head + [("table", t) for _, t in _tables(s)])
    return [b for b in blocks if b]


def _markdown(sections: list[Section], out: IO[str]) -> None:
    for i, block in enumerate(_blocks(sections)):
        if i:
            out.write("\n")
        has_table = any(kind == "table" for kind, _ in block)
        for kind, item in block:
            if kind == "title":
                out.write(f"### {_markdown_cell(item)}\n\n")
            elif kind == "line":
                out.write(f"{_markdown_line(item)}\n\n" if has_table else f"{_markdown_line(item)}\n")
            else:
                out.write("| " + " | ".join(_markdown_cell(h) for h in item.headers) + " |\n")
                out.write("|" + "|".join("---:" if j == "right" else "---" for j in item.justify) + "|\n")
                for cells in item.rows:
                    out.write("| " + " | ".join(_markdown_cell(x).replace("\n", "<br>") for x in cells) + " |\n")


def _table(sections: list[Section], out: IO[str]) -> None:
    """Rich tables on a terminal; the same text, drawn without Rich, on a file or pipe (where
    it is what Rich would draw at PIPE_WIDTH columns, and Rich draws what does not fit)."""
    blocks = list(_blocks(sections))
    terminal = hasattr(out, "isatty") and out.isatty()
    if not terminal:
        lines = _plain_text(blocks)
        if lines is not None:
            for line in lines:  # line by line, as Rich writes: a reader gone shows at once
                out.write(line + "\n")
            return
    _rich(blocks, out)


def _plain_text(blocks) -> list[str] | None:
    """The blocks as Rich would print them at PIPE_WIDTH with box.SIMPLE_HEAD, no edge, no
    padding at the edges; None when something is too wide for that (Rich would wrap it)."""
    from rich.cells import cell_len

    lines: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            lines.append("")
        for kind, item in block:
            if kind != "table":
                if cell_len(item) > PIPE_WIDTH:
                    return None
                lines.append(item)
                continue
            if any(_unusual(cell) for row in [item.headers, *item.rows] for cell in row):
                return None
            widths = [cell_len(h) for h in item.headers]
            for row in item.rows:
                widths = [max(w, cell_len(cell)) for w, cell in zip(widths, row)]
            total = sum(widths) + 3 * (len(widths) - 1)
            if total > PIPE_WIDTH:
                return None
            for cells in [item.headers, None, *item.rows]:
                if cells is None:
                    lines.append("─" * total)
                    continue
                padded = []
                for cell, w, justify in zip(cells, widths, item.justify):
                    fill = " " * (w - cell_len(cell))
                    padded.append(fill + cell if justify == "right" else cell + fill)
                lines.append("   ".join(padded))
    return lines


def _unusual(cell: str) -> bool:
    """A cell Rich lays out in its own way: several lines, spaces at an end (which Rich trims
    when it aligns), or zero-width characters. Tables holding one are drawn by Rich."""
    from rich.cells import cell_len

    return "\n" in cell or cell != cell.strip() or cell_len(cell) < len(cell)


def console(out: IO[str]):
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 by itself; let the CLI end a closed pipe (| head) its one way.
            self.quiet = True
            raise BrokenPipeError

    terminal = hasattr(out, "isatty") and out.isatty()
    return _Console(file=out, width=None if terminal else PIPE_WIDTH, highlight=False, soft_wrap=False,
                    markup=False, emoji=False)


def status(message: str):
    """A spinner with a message on stderr while something slow runs (a context manager)."""
    from rich.console import Console

    return Console(stderr=True, markup=False, emoji=False, highlight=False).status(safe(message))


def _rich(blocks, out: IO[str]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console(out)
    for i, block in enumerate(blocks):
        if i:
            con.print()
        for kind, item in block:
            if kind == "title":
                con.print(Text(item, style="bold"))
            elif kind == "line":
                con.print(Text(item))
            else:
                table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
                for header, justify in zip(item.headers, item.justify):
                    table.add_column(Text(header), justify=justify, no_wrap=justify == "right")
                for cells in item.rows:
                    table.add_row(*(Text(c) for c in cells))
                con.print(table)

