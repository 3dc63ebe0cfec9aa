"""Event equivalence between the 1500m and the mile.

A mile time is taken as the 1500m time multiplied by 1.08, and a 1500m time as the mile time
divided by 1.08: the conversion Track & Field News has printed in its annuals for decades
(https://forum.trackandfieldnews.com/forum/historical/3897-2-mile-to-3000m-conversion).
It builds in the fatigue of the extra 109 metres, so it is an estimate, never a result:
every converted mark is flagged (column ``converted``) and keeps its original.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from miler.errors import MilerError
from miler.marks import format_mark, normalise_event

MILE_PER_1500 = 1.08
PAIR = {"1500m": "Mile", "Mile": "1500m"}


def target_event(text: str) -> str:
    event = normalise_event(text)
    if event not in PAIR:
        raise MilerError(f"--as converts between the 1500m and the Mile, not to '{text}'")
    return event


def convert_seconds(seconds, from_event: str, to_event: str):
    """Seconds at one event as the equivalent at the other (1500m <-> Mile)."""
    if from_event == to_event:
        return seconds
    if (from_event, to_event) == ("1500m", "Mile"):
        return seconds * MILE_PER_1500
    if (from_event, to_event) == ("Mile", "1500m"):
        return seconds / MILE_PER_1500
    raise MilerError(f"no conversion from {from_event} to {to_event}")


def with_conversion(races: pd.DataFrame, target: str) -> pd.DataFrame:
    """The races with every mark of the partner event converted to the target event.

    Converted rows get event = target, seconds and time converted (to the hundredth),
    converted = True and original_time / original_event keeping what was run.
    Every other row is unchanged, with converted = False.
    """
    source = PAIR[target]
    out = races.assign(time=races["time"].astype("str"), event=races["event"].astype("str"))
    conv = (out["event"] == source).to_numpy()
    out["converted"] = conv
    out["original_time"] = np.where(conv, out["time"], "")
    out["original_event"] = np.where(conv, source, "")
    secs = out.loc[conv, "seconds"].map(lambda s: convert_seconds(s, source, target))
    out.loc[conv, "seconds"] = secs.round(2)
    out.loc[conv, "time"] = [t if pd.isna(s) else format_mark(s, 2) for t, s in zip(out.loc[conv, "time"], secs)]
    out.loc[conv, "event"] = target
    return out
