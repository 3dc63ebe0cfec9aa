"""From bytes on disk to one validated dataset: the only names the command line uses.

- ``load(data)`` -> Dataset: the races (validated; read from miler's cache until a file changes;
  a frame of every row, or of only the rows a command asks for), the quotes and the athletes
  (read when first asked for). DATA may be one folder or file, or a list of them: each is read
  (a file in another known schema through miler.dataset.importing) and they are merged in the
  order given (miler.dataset.merge).
- ``validate(data)`` -> Report: every problem of every file, the warnings, and a summary.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Union

from miler.dataset.locate import beside, data_sources
from miler.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from miler.dataset.coded import Coded

Data = Union[str, os.PathLike, list, tuple, None]  # one folder or file, or several


class Dataset:
    """A loaded dataset: validated races, quotes and athletes read on first use, warnings for stderr.

    ``races`` is every row as one frame, built on first use. A command that needs fewer rows
    asks for them (``rows``, ``one_row_per_race``, ``athlete_counts``): they are found on the
    codes the races are held as (miler.dataset.coded), and only those rows become a frame, equal
    to the same rows of ``races`` (same columns, dtypes, categories and index)."""

    def __init__(self, races_path: Path, quotes_path: Path | None, races: pd.DataFrame | None = None,
                 warnings: list[str] | None = None, *, coded: Coded | None = None,
                 athletes_path: Path | None = None) -> None:
        if races is None and coded is None:
            raise TypeError("a Dataset needs its races, as a frame or as codes")
        self.races_path = races_path
        self.quotes_path = quotes_path
        self.athletes_path = athletes_path
        self.warnings = list(warnings or [])
        self.coded = coded
        if races is not None:
            self.__dict__["races"] = races

    @cached_property
    def races(self) -> pd.DataFrame:
        return self.coded.frame()

    @cached_property
    def quotes(self) -> pd.DataFrame:
        from miler.dataset.quotes import read_quotes
        from miler.schema import empty_quotes

        if self.quotes_path is None or not self.quotes_path.is_file():
            return empty_quotes()
        return read_quotes(self.quotes_path)

    @cached_property
    def athletes(self) -> pd.DataFrame:
        """athletes.csv (miler.dataset.athletes): athlete, born, nat, source, complete."""
        from miler.dataset.athletes import empty_athletes, read_athletes

        if self.athletes_path is None:
            return empty_athletes()
        return read_athletes(self.athletes_path)
    def athlete_counts(self) -> dict[str, int]:
        """Each athlete's number of results, most first: races["athlete"].value_counts() as a
        dict, in the same order, without building the rows."""
        import numpy as np
        import pandas as pd

        if self.coded is None:
            return self.races["athlete"].value_counts().to_dict()
        counts = self.coded.fact("rows")
        if int(pd.__version__.split(".")[0]) >= 3:  # value_counts sorts stably: ties in category order
            order = np.argsort(-counts, kind="stable")
            return dict(zip(self.coded.categories["athlete"].take(order).to_pylist(), counts[order].tolist()))
        counts = pd.Series(counts, index=self.coded.index("athlete"), copy=False).sort_values(ascending=False)
        return dict(zip(counts.index.tolist(), counts.to_numpy().tolist()))

    def rows(self, *, athletes: list[str] | None = None, races: list[int] | None = None,
             meet: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The rows of ``races`` that pass every condition given: an athlete among athletes, a
        race id among races, this meet in this year."""
        if self.coded is None:
            import pandas as pd

            frame = self.races
            mask = pd.Series(True, index=frame.index)
            if athletes is not None:
                mask &= frame["athlete"].isin(list(athletes))
            if races is not None:
                mask &= frame["race_id"].isin(list(races))
            if meet is not None:
                mask &= frame["meet"] == meet
            if year is not None:
                mask &= frame["date"].dt.year == year
            return frame[mask]
        return self.coded.frame(self.coded.select(athletes=athletes, races=races, meet=meet, year=year))

    def races_of(self, athletes: list[str]) -> pd.DataFrame:
        """Every row of every race these athletes ran (their rivals' rows too)."""
        mine = self.rows(athletes=athletes)
        return self.rows(races=mine["race_id"].unique().tolist())

    def one_row_per_race(self) -> pd.DataFrame:
        """The first row of each race (in file order): for questions about races (which meets,
        which races) rather than results."""
        if self.coded is None:
            return self.races[~self.races["race_id"].duplicated()]
        return self.coded.frame(self.coded.select(heads=True))


def load(data: Data = None) -> Dataset:
    """The dataset at data (see miler.dataset.locate): each source validated once and then read
    from miler's cache (miler.dataset.cache) until it changes; several sources merged in order."""
    sources = data_sources(data)
    trouble: list[str] = []  # the cache's one warning

    def warn(message: str) -> None:
        if not trouble:
            trouble.append(message)

    read = [(path, *_read_source(path, warn)) for path, _ in sources]
    warnings = [w for _, _, found in read for w in found]
    quotes_path = next((q for _, q in sources if q is not None), None)
    athletes_path = next((a for a in (beside(r, "athletes.csv") for r, _ in sources) if a is not None), None)
    if len(read) == 1:
        return Dataset(sources[0][0], quotes_path, warnings=warnings + trouble, coded=read[0][1],
                       athletes_path=athletes_path)
    from miler.dataset.merge import merge

    races, report = merge([(path.name, coded.frame()) for path, coded, _ in read])
    return Dataset(sources[0][0], quotes_path, races, warnings + _merge_warnings(report) + trouble,
                   athletes_path=athletes_path)


def _read_source(path: Path, warn) -> tuple[Coded, list[str]]:
    """One races file, from the cache when it holds it: miler's own CSV through read_races, a
    file in a schema miler recognises (miler formats) through its reader."""
    from miler.dataset import cache

    key = cache.key(path)
    hit = cache.get(key, warn) if key is not None else None
    if hit is not None:
        return hit
    reader = _known_reader(path)
    if reader is None:
        from miler.dataset.races import read_races  # the reader and the rules: only when reading

        coded, warnings = read_races(path, codes=True)
    else:
        from miler.dataset.coded import Coded
        from miler.dataset.importing import read_source

        races, report = read_source(path)
        coded = Coded.from_frame(races)
        left = report.read - report.kept
        warnings = [f"{path.name}: read as {report.title}: {report.kept:,} of {report.read:,} rows"
                    + (f" ({left:,} left out; `miler import {path.name} -o FILE.csv` says which and why)" if left
                       else "")]
    if key is not None:
        cache.put(key, coded, warnings, warn)
    return coded, warnings
def _known_reader(path: Path) -> str | None:
    """The kind of a file in another schema miler recognises; None for miler's own CSV and for
    anything unrecognised (read_races then says what is wrong with it)."""
    from miler.dataset.formats import Sample, detect, miler_own

    try:
        sample = Sample(path)
        if sample.looks_json:
            return detect(sample)[0].name  # JSON no reader knows: detect says so
        if miler_own.recognise(sample):
            return None
        kind, _ = detect(sample)
    except (DataError, OSError, ValueError):
        if path.suffix.lower() == ".json":
            raise
        return None
    if kind.name == "table":
        return None
    return kind.name


def _merge_warnings(report) -> list[str]:
    from miler.dataset.importing import describe_conflict

    out = [f"merged {len(report.sources)} sources in the order given: {report.duplicates:,} results found in more "
           f"than one kept once; {report.added:,} rows added; {len(report.conflicts):,} conflicts (the first "
           "source's values kept)"]
    shown = 5
    out.extend("conflict: " + describe_conflict(c) for c in report.conflicts[:shown])
    if len(report.conflicts) > shown:
        out.append(f"… and {len(report.conflicts) - shown:,} more conflicts (miler import … --conflicts FILE.csv "
                   "lists them all)")
    return out


@dataclass
class Report:
    """What validate found: problems (the first of them, with the total), warnings, a summary."""

    problems: list[Problem]
    total: int
    warnings: list[str]
    summary: str  # one line: rows, races, athletes, quotes; "" when there are problems

    @property
    def ok(self) -> bool:
        return self.total == 0


def validate(data: Data = None) -> Report:
    """Check every file of a dataset; every problem, not just the first."""
    sources = data_sources(data)
    given = data is not None or bool(os.environ.get("MILER_DATA"))
    reports = [_validate_one(races_path, quotes_path, given) for races_path, quotes_path in sources]
    if len(reports) == 1:
        return reports[0]
    problems = [p for r in reports for p in r.problems]
    total = sum(r.total for r in reports)
    warnings = [w for r in reports for w in r.warnings]
    return Report(problems, total, warnings, "" if total else "; ".join(r.summary for r in reports))


def _validate_one(races_path: Path, quotes_path: Path | None, given: bool) -> Report:
    from miler.dataset.quotes import read_quotes

    problems: list[Problem] = []
    total = 0
    warnings: list[str] = []
    races = quotes = None
    try:
        if _known_reader(races_path) is None:
            from miler.dataset.races import note_warnings, read_races

            coded, warnings = read_races(races_path, codes=True)
            races = coded.frame()
            warnings = warnings + note_warnings(races_path, races)
        else:
            coded, warnings = _read_source(races_path, warnings.append)
            races = coded.frame()
    except DataError as exc:
        problems.extend(_as_given(exc.problems, races_path))
        total += exc.total
    if quotes_path is not None:
        try:
            quotes = read_quotes(quotes_path)
        except DataError as exc:
            problems.extend(_as_given(exc.problems, quotes_path))
            total += exc.total
    athletes_path = beside(races_path, "athletes.csv")
    if athletes_path is not None:
        from miler.dataset.athletes import check_against_races, read_athletes

        try:
            athletes = read_athletes(athletes_path, warnings)
            if races is not None:
                warnings.extend(check_against_races(athletes_path.name, athletes, races))
        except DataError as exc:
            problems.extend(_as_given(exc.problems, athletes_path))
            total += exc.total
    if total:
        return Report(problems, total, warnings, "")
    where = str(races_path) if given else f"{races_path.name} (the bundled dataset)"
    summary = (
        f"{where}: {len(races):,} rows, {races['race_id'].nunique():,} races, "
        f"{races['athlete'].nunique():,} athletes"
    )
    if quotes is not None:
        summary += f"; {quotes_path.name}: {len(quotes):,} quotes"
    if athletes_path is not None:
        summary += f"; {athletes_path.name}: {len(athletes):,} athletes"
    return Report(problems, total, warnings, summary)


def _as_given(problems: list[Problem], path: Path) -> list[Problem]:
    """Problems naming the file by the path the user gave (as compilers do), not its name."""
    return [Problem(str(path), p.line, p.message) if p.file == path.name else p for p in problems]
