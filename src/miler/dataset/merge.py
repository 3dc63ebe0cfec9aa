"""Several sources into one dataset: each result once, disagreements reported, never hidden.

Sources are merged in the order given; the first is the reference. A race of a later source is
the same race as one already there when they share the date, the event and the sex (where both
say it), their rounds agree where both know them ('final' and 'final 1' agree, 'heat 1' and
'heat 2' do not), and they share an athlete, or, with no athlete in common, have the same round
and the same meet or city. That race then takes the first source's identity (its meet name,
round, level), so "Weltklasse Zürich" and "Letzigrund, Zürich (SUI)" are one race.

The same athlete in the same race is the same result: one row, whose source names both. Where
the two disagree on the place or the time (beyond the coarser precision of the two marks), the
first source's values stay, the row's note gains "conflict", and the conflict is listed with
both values and both sources. A later source's row that would break a race of the first (a
place that disagrees with the times) is left out and listed too.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from miler.names import fold
from miler.schema import as_text, race_ids

CONFLICT_TAG = "conflict"
TEXT = ("meet", "city", "country", "level", "event", "round", "athlete", "nat", "time", "note", "source",
        "sex", "status")  # fmt: skip


@dataclass(frozen=True)
class Conflict:
    date: str
    meet: str
    event: str
    round: str
    athlete: str
    field: str  # place, time, or race (a row left out)
    first: str
    first_source: str
    second: str
    second_source: str


@dataclass
class MergeReport:
    sources: list[str]
    duplicates: int = 0  # results given by two sources, kept once
    shared_races: int = 0  # races of a later source that were races already there
    added: int = 0  # rows a later source added
    conflicts: list[Conflict] = field(default_factory=list)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["conflicts"] = [asdict(c) for c in self.conflicts]
        return d


def merge(frames: list[tuple[str, pd.DataFrame]]) -> tuple[pd.DataFrame, MergeReport]:
    """Validated frames (as read_races returns them), merged in order; see the module docstring."""
    report = MergeReport([name for name, _ in frames])
    merged = _plain(frames[0][1])
    for _, frame in frames[1:]:
        merged = _merge_two(merged, _plain(frame), report)
    return _finish(merged), report


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    df = as_text(frame).reset_index(drop=True).copy()
    for c in TEXT:
        if c not in df.columns:
            df[c] = ""
        df[c] = df[c].fillna("").astype("str").astype(object)
    return df


@functools.lru_cache(maxsize=1 << 18)
def _fold(text: str) -> str:
    return fold(text)


def _folded(series: pd.Series) -> pd.Series:
    """fold of each value (names, meets, cities: the same few thousand again and again)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    folded = np.array([_fold(str(u)) for u in uniques] + [""], dtype=object)
    return pd.Series(folded[codes], index=series.index)


def _round_parts(rounds: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = rounds.str.extract(r"^(.*?)(?:\s+([0-9]+|[a-c]))?$")
    return parts[0].fillna(rounds), parts[1].fillna("")


def _races(df: pd.DataFrame) -> pd.DataFrame:
    races = df.groupby("race_id", sort=False).agg(
        date=("date", "first"), event=("event", "first"), sex=("sex", "first"), round=("round", "first"),
        meet=("meet", "first"), city=("city", "first"), country=("country", "first"), level=("level", "first"),
        indoor=("indoor", "first"),
    ).reset_index()
    races["_meet"] = _folded(races["meet"])
    races["_city"] = _folded(races["city"])
    races["_kind"], races["_num"] = _round_parts(races["round"])
    return races


def _match_races(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """For each race of b that is a race of a: (race_id_b, race_id_a)."""
    ra, rb = _races(a), _races(b)
    pairs = rb.merge(ra, on=["date", "event"], suffixes=("_b", "_a"))
    if pairs.empty:
        return pd.DataFrame({"race_id_b": [], "race_id_a": []}, dtype="int64")
    rows_a = a[["race_id", "_who", "date", "event"]]
    rows_b = b[["race_id", "_who", "date", "event"]]
    shared = rows_b.merge(rows_a, on=["date", "event", "_who"], suffixes=("_b", "_a"))
    counts = shared.groupby(["race_id_b", "race_id_a"]).size().rename("_shared").reset_index()
    pairs = pairs.merge(counts, on=["race_id_b", "race_id_a"], how="left")
    pairs["_shared"] = pairs["_shared"].fillna(0)
    sex_ok = (pairs["sex_a"] == pairs["sex_b"]) | (pairs["sex_a"] == "") | (pairs["sex_b"] == "")
    round_ok = (pairs["_kind_a"] == pairs["_kind_b"]) & (
        (pairs["_num_a"] == pairs["_num_b"]) | (pairs["_num_a"] == "") | (pairs["_num_b"] == ""))
    exact = pairs["round_a"] == pairs["round_b"]
    same_meet = pairs["_meet_a"] == pairs["_meet_b"]
    same_city = (pairs["_city_a"] == pairs["_city_b"]) & (pairs["_city_a"] != "")
    ok = sex_ok & round_ok & ((pairs["_shared"] > 0) | (exact & (same_meet | same_city)))
    pairs = pairs[ok].assign(_score=pairs["_shared"] * 100 + exact * 10 + same_meet * 2 + same_city)
    # one race of each source to one of the other: the best pairs first
    best = pairs.sort_values(["_score", "race_id_b"], ascending=[False, True], kind="stable")
    return best.drop_duplicates("race_id_b").drop_duplicates("race_id_a")


def _merge_two(a: pd.DataFrame, b: pd.DataFrame, report: MergeReport) -> pd.DataFrame:
    a = a.copy()
    b = b.copy()
    a["_who"] = _folded(a["athlete"])
    b["_who"] = _folded(b["athlete"])
    if "_added" not in a.columns:
        a["_added"] = False
    best = _match_races(a, b)
    report.shared_races += len(best)
    # fill what the first source's race leaves empty (city, country, sex; a level of 'other')
    per_a = best.drop_duplicates("race_id_a").set_index("race_id_a")
    in_a = a["race_id"].isin(per_a.index)
    for col, empty in (("city", ""), ("country", ""), ("sex", ""), ("level", "other")):
        theirs = a["race_id"].map(per_a[f"{col}_b"])
        fill = in_a & (a[col] == empty) & theirs.notna() & (theirs != empty)
        a.loc[fill, col] = theirs[fill]
    a_races = _races(a).set_index("race_id")

    to_a = dict(zip(best["race_id_b"], best["race_id_a"]))
    matched = b["race_id"].isin(to_a)
    b["_race_a"] = b["race_id"].map(to_a).astype("float64")
    _same_meets(a, b, best, matched)
    # the first source's identity for the races it already has
    for col in ("date", "meet", "city", "country", "level", "event", "round", "indoor", "sex"):
        b.loc[matched, col] = b.loc[matched, "_race_a"].map(a_races[col]).to_numpy()
    # the same athlete in the same race: one result
    left = b.loc[matched, ["_race_a", "_who"]].reset_index().rename(columns={"index": "_row_b"})
    right = a[["race_id", "_who"]].reset_index().rename(columns={"index": "_row_a", "race_id": "_race_a"})
    right["_race_a"] = right["_race_a"].astype("float64")
    dups = left.merge(right, on=["_race_a", "_who"]).drop_duplicates("_row_b").drop_duplicates("_row_a")
    dups = pd.concat([dups[["_row_b", "_row_a"]], _spelled_apart(a, b, matched, dups)], ignore_index=True)
    report.duplicates += len(dups)
    _same_results(a, dups["_row_a"].to_numpy(), b.loc[dups["_row_b"].to_numpy()], report)
    added = b.drop(index=dups["_row_b"].to_numpy()).drop(columns=["_race_a"]).assign(_added=True)
    # a name the two sources spell apart: the first source's spelling for every row of the later one
    spelled = a.loc[dups["_row_a"].to_numpy(), "athlete"].to_numpy(), b.loc[dups["_row_b"].to_numpy(), "_who"]
    aliases = {who: name for name, who in zip(*spelled) if _fold(name) != who}
    if aliases:
        renamed = added["_who"].isin(aliases)
        added.loc[renamed, "athlete"] = added.loc[renamed, "_who"].map(aliases)
    report.added += len(added)
    both = pd.concat([a, added], ignore_index=True)
    both["race_id"] = race_ids(both)
    both = _keep_races_whole(both, report)
    return both.drop(columns=["_who"])


def _same_meets(a: pd.DataFrame, b: pd.DataFrame, best: pd.DataFrame, matched: pd.Series) -> None:
    """A meet of the later source that is a meet of the first (some race of it is): its other
    races take the first's meet name, city, country and level too, on the days that meet was held
    ("Eugene" heat 1 of the 2022 World Championships, whose heat 2 both sources have)."""
    if best.empty:
        return
    names = best[["meet_b", "meet_a", "date"]].drop_duplicates(["meet_b", "meet_a"])
    names = names[names["meet_b"] != names["meet_a"]]
    for meet_b, meet_a, day in names.itertuples(index=False):
        edition = a[(a["meet"] == meet_a) & (a["date"].dt.year == day.year)]
        first, last = edition["date"].min(), edition["date"].max()
        rows = ~matched & (b["meet"] == meet_b) & (b["date"] >= first) & (b["date"] <= last)
        if rows.any():
            ref = edition.iloc[0]
            for col in ("meet", "city", "country", "level"):
                b.loc[rows, col] = ref[col]


def _spelled_apart(a: pd.DataFrame, b: pd.DataFrame, matched: pd.Series, dups: pd.DataFrame) -> pd.DataFrame:
    """Results of one race the two sources give under two spellings of a name ('Charlie Grice',
    'Charlie Da'Vall Grice'): the same place and time, and the same family name or nationality,
    among the rows not matched by name. (_row_b, _row_a) pairs."""
    rest_b = b.loc[matched & ~b.index.isin(dups["_row_b"]) & b["place"].notna()]
    if rest_b.empty:
        return pd.DataFrame({"_row_b": [], "_row_a": []}, dtype="int64")
    races = set(rest_b["_race_a"].astype("int64"))
    rest_a = a.loc[a["race_id"].isin(races) & ~a.index.isin(dups["_row_a"]) & a["place"].notna()]
    cols = ["_race_a", "_place", "seconds", "decimals", "nat", "_who"]
    left = rest_b.assign(_place=rest_b["place"].astype("int64"))[cols].reset_index().rename(columns={"index": "_row_b"})
    right = rest_a.assign(_race_a=rest_a["race_id"].astype("float64"), _place=rest_a["place"].astype("int64"))[cols]
    right = right.reset_index().rename(columns={"index": "_row_a"})
    pairs = left.merge(right, on=["_race_a", "_place"], suffixes=("_b", "_a"))
    if pairs.empty:
        return pd.DataFrame({"_row_b": [], "_row_a": []}, dtype="int64")
    precision = 10.0 ** -np.minimum(pairs["decimals_a"].astype("int64"), pairs["decimals_b"].astype("int64"))
    same_time = ((pairs["seconds_a"] - pairs["seconds_b"]).abs() <= precision / 2 + 1e-9) | (
        pairs["seconds_a"].isna() & pairs["seconds_b"].isna())
    family = pairs["_who_a"].str.split().str[-1] == pairs["_who_b"].str.split().str[-1]
    nat = (pairs["nat_a"] == pairs["nat_b"]) & (pairs["nat_a"] != "")
    pairs = pairs[same_time & (family | nat)].drop_duplicates("_row_b").drop_duplicates("_row_a")
    return pairs[["_row_b", "_row_a"]]


def _same_results(a: pd.DataFrame, rows_a: np.ndarray, b: pd.DataFrame, report: MergeReport) -> None:
    """One row for each result both sources give: the first's values, both sources named, the
    nationality filled where the first leaves it empty, and each disagreement listed."""
    if not len(rows_a):
        return
    ra = a.loc[rows_a].reset_index(drop=True)
    rb = b.reset_index(drop=True)
    a.loc[rows_a, "source"] = [
        s_a if not s_b or s_b in s_a.split("; ") else (f"{s_a}; {s_b}" if s_a else s_b)
        for s_a, s_b in zip(ra["source"], rb["source"])
    ]
    nat = (ra["nat"] == "") & (rb["nat"] != "")
    a.loc[rows_a[nat.to_numpy()], "nat"] = rb.loc[nat, "nat"].to_numpy()
    pa, pb = ra["place"].astype("float64"), rb["place"].astype("float64")
    place_differs = (pa.notna() & pb.notna() & (pa != pb)).to_numpy()
    status_differs = (ra["status"] != rb["status"]).to_numpy()
    precision = 10.0 ** -np.minimum(ra["decimals"].to_numpy(dtype="int64"), rb["decimals"].to_numpy(dtype="int64"))
    with np.errstate(invalid="ignore"):
        far = np.abs(ra["seconds"].to_numpy() - rb["seconds"].to_numpy()) > precision / 2 + 1e-9
    time_differs = status_differs | (~status_differs & far)
    name_differs = (ra["_who"] != rb["_who"]).to_numpy()
    flagged = place_differs | time_differs | name_differs
    if not flagged.any():
        return
    for i in np.flatnonzero(flagged):
        x, y = ra.iloc[i], rb.iloc[i]
        row = rows_a[i]
        tags = str(a.at[row, "note"]).split()
        if CONFLICT_TAG not in tags:
            a.at[row, "note"] = " ".join(tags + [CONFLICT_TAG])
        first_source = x["source"].split("; ")[0]
        if place_differs[i]:
            report.conflicts.append(Conflict(_day(x["date"]), x["meet"], x["event"], x["round"], x["athlete"],
                                             "place", str(int(pa.iat[i])), first_source, str(int(pb.iat[i])),
                                             y["source"]))
        if name_differs[i]:
            report.conflicts.append(Conflict(_day(x["date"]), x["meet"], x["event"], x["round"], x["athlete"],
                                             "athlete", x["athlete"], first_source, y["athlete"], y["source"]))
        if time_differs[i]:
            report.conflicts.append(Conflict(_day(x["date"]), x["meet"], x["event"], x["round"], x["athlete"],
                                             "time", x["time"] or x["status"], first_source, y["time"] or y["status"],
                                             y["source"]))


def _day(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d") if pd.notna(value) else ""


def _keep_races_whole(df: pd.DataFrame, report: MergeReport) -> pd.DataFrame:
    """A later source's rows that make a race break a rule (athlete twice, a place against the
    times) are left out and listed; the first source's rows stay."""
    for _ in range(5):
        found = _race_problems(df)
        if not found:
            return df
        drop: set = set()
        for label, text in found:
            if df.at[label, "_added"]:
                targets = [label]
            else:  # a first-source row flagged: the race's added rows are to blame
                targets = list(df.index[(df["race_id"] == df.at[label, "race_id"]) & df["_added"]])
            for t in targets:
                if t in drop:
                    continue
                drop.add(t)
                r = df.loc[t]
                report.conflicts.append(Conflict(
                    _day(r["date"]), r["meet"], r["event"], r["round"], r["athlete"], "race",
                    "", "", f"{r['time'] or r['status']} left out: {text}", r["source"],
                ))
        if not drop:
            return df
        report.added -= len(drop)
        df = df.drop(index=sorted(drop))
        df["race_id"] = race_ids(df)
    return df


def _race_problems(df: pd.DataFrame) -> list[tuple[object, str]]:
    """The rows of merged races that break a race rule of miler.dataset.rules, by label: an
    athlete twice in a race (the later row), a place whose time is not behind the places ahead."""
    found = []
    twice = df.duplicated(["race_id", "athlete"], keep="first") & (df["athlete"] != "")
    found += [(label, f"{df.at[label, 'athlete']} appears twice in one race") for label in df.index[twice]]
    timed = df[df["place"].notna() & df["seconds"].notna()].sort_values(["race_id", "place", "seconds"],
                                                                       kind="stable")
    same = timed["race_id"].eq(timed["race_id"].shift())
    place, secs = timed["place"].astype("float64"), timed["seconds"].astype("float64")
    faster = same & (place > place.shift()) & (secs < secs.shift() - 1e-9)
    tied = same & (place == place.shift()) & ((secs - secs.shift()).abs() > 1e-9)
    found += [(label, f"place {int(df.at[label, 'place'])} disagrees with the times: {df.at[label, 'time']} is not "
               "behind the athlete placed ahead in this race") for label in timed.index[(faster | tied).to_numpy()]]
    return found


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=[c for c in ("_added", "_who", "_race_a") if c in df.columns])
    df = df.sort_values(["race_id", "place", "seconds"], na_position="last", kind="stable").reset_index(drop=True)
    for c in TEXT:
        df[c] = df[c].astype("category")
    df["place"] = df["place"].astype("Int64")
    if "starters" in df.columns:
        df["starters"] = df["starters"].astype("Int64")
    df["indoor"] = df["indoor"].astype(bool)
    df["race_id"] = race_ids(df)
    return df
