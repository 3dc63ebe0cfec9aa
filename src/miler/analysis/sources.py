"""Where each row of an answer was confirmed: the source of the dataset's rows it shows."""

from __future__ import annotations

import pandas as pd

from miler.schema import RACE_KEY, as_text


def attach(frame: pd.DataFrame, races: pd.DataFrame, athletes: list[str] | None = None) -> pd.DataFrame:
    """frame with a ``source`` column: for each row, the sources (a list, each once, in file
    order) of the rows of races it shows. Rows are matched on the race columns frame has (date,
    meet, event, round) and the athlete: the frame's own athlete column, or each of athletes
    (a meeting of two shows both of their rows). frame is not changed."""
    keys = [c for c in RACE_KEY if c in frame.columns]
    left = as_text(frame[keys + ([] if athletes else ["athlete"])]).assign(_pos=range(len(frame)))
    if athletes:
        left = pd.concat([left.assign(athlete=a) for a in athletes], ignore_index=True)
    rows = as_text(races.loc[races["athlete"].isin(left["athlete"].unique()), keys + ["athlete", "source"]])
    found = left.merge(rows, on=keys + ["athlete"], how="inner")
    lists = found.groupby("_pos")["source"].agg(lambda s: list(dict.fromkeys(x for x in s if x)))
    return frame.assign(source=[lists.get(i, []) for i in range(len(frame))])
