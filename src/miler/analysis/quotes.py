"""Quotes: what the athletes said, filtered by speaker, subject, topic or words."""

from __future__ import annotations

import pandas as pd

from miler.names import fold

QUOTE_COLUMNS = ["date", "speaker", "about", "occasion", "publication", "url", "text", "topics", "source"]


def filter_quotes(
    quotes: pd.DataFrame,
    speaker: str | None = None,
    about: str | None = None,
    topic: str | None = None,
    search: str | None = None,
) -> pd.DataFrame:
    """Quotes in date order. speaker and about are full names; topic matches a tag or part of
    one ('next guy' finds 'just-the-next-guy'); search matches the text ignoring case and accents."""
    q = quotes
    if speaker:
        q = q[q["speaker"] == speaker]
    if about:
        q = q[q["about"].map(lambda names: about in names)]
    if topic:
        t = fold(topic)
        q = q[q["topics"].map(lambda tags: any(t in fold(tag) for tag in tags))]
    if search:
        s = fold(search)
        q = q[q["text"].map(lambda text: s in fold(text))]
    return q.sort_values("date", kind="stable")[QUOTE_COLUMNS].reset_index(drop=True)


def dated(quotes: pd.DataFrame, f) -> pd.DataFrame:
    """Quotes within the date filters (year, since, until) of a Filters value."""
    q = quotes
    if f.year:
        q = q[q["date"].dt.year == f.year]
    if f.since:
        q = q[q["date"] >= pd.Timestamp(f.since)]
    if f.until:
        q = q[q["date"] <= pd.Timestamp(f.until)]
    return q


def people(quotes: pd.DataFrame) -> set[str]:
    """Everyone who speaks or is spoken about."""
    names = set(quotes["speaker"])
    for about in quotes["about"]:
        names.update(about)
    return names
