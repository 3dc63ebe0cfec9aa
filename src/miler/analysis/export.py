"""Export: the rows of a dataset that pass the shared filters (and belong to given athletes),
in the dataset's own columns, so that what is exported is itself a dataset miler can read."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from miler.analysis.filters import Filters, apply
from miler.errors import EmptyResultError
from miler.schema import COLUMNS, OPTIONAL


def export_rows(races: pd.DataFrame, filters: Filters = Filters(), athletes: Sequence[str] = (),
                field: bool = False) -> pd.DataFrame:
    """The rows of races that pass filters and, when athletes are given, are theirs.

    Rows keep the dataset's order and only its own columns (COLUMNS), typed as loaded; races
    is not changed. Nothing left is an EmptyResultError that names what was asked for. With
    field, a last column "field" says of each row's race whether the dataset holds only part
    of its field ("partial field (2 of 12)"; None where it looks complete), judged on every row
    of the race in races, not only the rows exported.
    """
    rows = apply(races, filters)
    if athletes:
        rows = rows[rows["athlete"].isin(list(athletes))]
    if rows.empty:
        asked = ", ".join(x for x in (", ".join(athletes), filters.describe()) if x)
        if asked:
            raise EmptyResultError(f"nothing to export: no results match {asked}")
        raise EmptyResultError("nothing to export: the dataset has no results")
    keep = [c for c in COLUMNS if c not in OPTIONAL or (rows[c].notna() & (rows[c].astype("str") != "")).any()]
    out = rows[keep].reset_index(drop=True)
    if field:
        out["field"] = field_notes(races, rows["race_id"].to_numpy())
    return out


def field_notes(races: pd.DataFrame, race_ids: np.ndarray) -> list[str | None]:
    """For each of race_ids, the field note of that race over all its rows in races."""
    from miler.analysis.gaps import partial_fields

    notes = partial_fields(races, pd.unique(race_ids))
    return [notes.get(r) for r in race_ids.tolist()]
