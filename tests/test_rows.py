"""Asking for fewer rows: a command that needs two athletes' results, or one meet's, gets only
those rows, found on the codes (in memory after a first read, memory-mapped from the cache), and
they are exactly the rows of the whole frame it would have filtered (issue 15)."""

import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PROPERTY, REPO, SMALL
from miler.cli import app
from miler.dataset import Dataset, cache, load

SHIPPED = REPO / "data"


@pytest.fixture(params=["first read", "from the cache"])
def shipped(request, monkeypatch):
    """The shipped dataset as a first read gives it (one batch) and as the cache gives it
    (memory-mapped, in batches of 100 rows)."""
    monkeypatch.setattr(cache, "BATCH_ROWS", 100)
    ds = load(SHIPPED)
    if request.param == "from the cache":
        ds = load(SHIPPED)
        assert len(ds.coded.batches) > 1
    return ds


def test_rows_of_athletes_are_the_rows_of_the_whole_frame(shipped):
    whole = load(SHIPPED).races
    for names in (["Josh Kerr", "Jakob Ingebrigtsen"], ["Yared Nuguse"], ["Nobody At All"], []):
        pdt.assert_frame_equal(shipped.rows(athletes=names), whole[whole["athlete"].isin(names)])


def test_rows_of_races_and_of_a_meet_are_the_rows_of_the_whole_frame(shipped):
    whole = load(SHIPPED).races
    ids = sorted(whole["race_id"].unique())[::7]
    pdt.assert_frame_equal(shipped.rows(races=ids), whole[whole["race_id"].isin(ids)])
    for meet, year in whole.assign(year=whole["date"].dt.year)[["meet", "year"]].drop_duplicates().itertuples(index=False):
        pdt.assert_frame_equal(shipped.rows(meet=meet, year=year),
                               whole[(whole["meet"] == meet) & (whole["date"].dt.year == year)])


def test_one_row_per_race_is_the_first_row_of_each_race(shipped):
    whole = load(SHIPPED).races
    pdt.assert_frame_equal(shipped.one_row_per_race(), whole[~whole["race_id"].duplicated()])


def test_athlete_counts_are_value_counts_in_the_same_order(shipped):
    whole = load(SHIPPED).races
    assert list(shipped.athlete_counts().items()) == list(whole["athlete"].value_counts().to_dict().items())


def test_the_whole_frame_from_the_cache_equals_the_first_read(shipped):
    pdt.assert_frame_equal(shipped.races, load(SHIPPED).races)


@PROPERTY
@given(picks=st.lists(st.integers(0, 10_000), max_size=6), batch=st.sampled_from([1, 7, 100, 1 << 17]))
def test_any_rows_asked_for_equal_the_same_rows_of_the_whole_frame(picks, batch):
    cache.BATCH_ROWS, before = batch, cache.BATCH_ROWS
    try:
        load(SHIPPED)
        ds = load(SHIPPED)  # from the cache, in batches of `batch` rows
    finally:
        cache.BATCH_ROWS = before
    whole = ds.races
    names = sorted(whole["athlete"].unique())
    chosen = [names[p % len(names)] for p in picks]
    pdt.assert_frame_equal(ds.rows(athletes=chosen), whole[whole["athlete"].isin(chosen)])
    races = whole["race_id"].unique()
    ids = [int(races[p % len(races)]) for p in picks]
    pdt.assert_frame_equal(ds.rows(races=ids), whole[whole["race_id"].isin(ids)])
    both = ds.rows(athletes=chosen[:1], races=ids)
    pdt.assert_frame_equal(both, whole[whole["athlete"].isin(chosen[:1]) & whole["race_id"].isin(ids)])


def test_meet_lookup_on_one_row_per_race_finds_what_it_finds_on_every_row():
    """miler meet looks a meet up among one row per race: the same answer as among all rows,
    for every meet of the shipped data (by name and year, and by city)."""
    from miler.analysis.meets import find_meet
    from miler.errors import MilerError

    ds = load(SHIPPED)
    whole, heads = ds.races, ds.one_row_per_race()
    editions = whole.assign(year=whole["date"].dt.year)[["meet", "city", "year"]].drop_duplicates()
    for meet, city, year in editions.itertuples(index=False):
        for query in (f"{meet} {year}", f"{city} {year}", str(meet).split()[0]):
            try:
                expected = find_meet(whole, query)
            except MilerError as exc:
                with pytest.raises(type(exc), match="."):
                    find_meet(heads, query)
                continue
            assert find_meet(heads, query) == expected, query


# --- the commands' output is the same whichever rows they are given ---------------------------


def _as_before(monkeypatch):
    """Datasets that give every command the whole frame, as miler did before."""
    monkeypatch.setattr(Dataset, "rows", lambda self, athletes=None, races=None, meet=None, year=None: (
        self.races if meet is None else
        self.races[(self.races["meet"] == meet) & (self.races["date"].dt.year == year)]))
    monkeypatch.setattr(Dataset, "one_row_per_race", lambda self: self.races)
    monkeypatch.setattr(Dataset, "athlete_counts", lambda self: self.races["athlete"].value_counts().to_dict())


COMMANDS = [
    ["h2h", "kerr", "ingebrigtsen"],
    ["h2h", "kerr", "ingebrigtsen", "--format", "json"],
    ["h2h", "kerr", "ingebrigtsen", "--level", "championships"],
    ["h2h", "kerr", "ingebrigtsen", "--as", "mile", "-f", "csv"],
    ["h2h", "kerr", "ingebrigtsen", "--year", "1999"],  # nothing at all matches
    ["h2h", "kerr", "nuguse", "--event", "5000m"],
    ["h2h", "kerr", "ingebrigtsen", "nuguse", "hocker"],
    ["h2h", "kerr", "nobody"],
    ["progression", "kerr"],
    ["progression", "kerr", "ingebrigtsen", "--event", "1500m", "-f", "json"],
    ["progression", "kerr", "--season", "2024"],
    ["progression", "kerr", "--as", "mile"],
    ["progression", "kerr", "--level", "olympics", "--event", "5000m"],
    ["meet", "paris 2024"],
    ["meet", "budapest", "--event", "1500m", "--round", "final"],
    ["meet", "paris", "--round", "heat 9"],
    ["meet", "bowerman mile"],
    ["meet", "olympics", "-f", "json"],
    ["meet", "nowhere at all"],
    ["gaps", "paris 2024", "--event", "1500m"],
    ["gaps", "kerr", "ingebrigtsen"],
    ["timeline", "kerr", "ingebrigtsen"],
    ["timeline", "kerr", "ingebrigtsen", "--since", "2024-01-01", "--sources"],
    ["gaps", "kerr", "ingebrigtsen", "--round", "final", "--sources"],
    ["meet", "paris 2024", "--sources", "-f", "csv"],
    ["export", "-a", "kerr", "--year", "2024"],
    ["export", "-a", "kerr", "-a", "nuguse", "-f", "json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_output_is_byte_identical_to_answering_from_the_whole_frame(runner, monkeypatch, args):
    full = [*args, "--data", str(SHIPPED)]
    narrow = runner.invoke(app, full)
    load(SHIPPED)  # and from the cache
    cached = runner.invoke(app, full)
    _as_before(monkeypatch)
    before = runner.invoke(app, full)
    assert before.exit_code in (0, 1), before.stderr
    for result in (narrow, cached):
        assert (result.exit_code, result.stdout, result.stderr) == (before.exit_code, before.stdout, before.stderr)


@pytest.mark.parametrize("args", [
    ["h2h", "kerr", "ingebrigtsen"], ["h2h", "kerr", "ingebrigtsen", "--sources"], ["gaps", "kerr", "ingebrigtsen"],
    ["timeline", "kerr", "ingebrigtsen"], ["export", "-a", "kerr", "-f", "json"], ["progression", "kerr"],
    ["meet", "paris 2024"], ["meet", "paris 2024", "--sources"],
], ids=" ".join)
def test_a_question_about_a_few_athletes_or_one_meet_never_builds_every_row(runner, monkeypatch, args):
    # a million-row dataset must not become a million-row frame to answer about two athletes
    from miler.dataset.coded import Coded

    whole = len(load(SHIPPED).races)
    built = []
    frame = Coded.frame
    monkeypatch.setattr(Coded, "frame", lambda self, pos=None: built.append(len(self) if pos is None else len(pos))
                        or frame(self, pos))
    for _ in range(2):  # a first read, then from the cache
        result = runner.invoke(app, [*args, "--data", str(SHIPPED)])
        assert result.exit_code == 0, result.stderr
    assert built and max(built) < whole / 2


def test_a_frame_backed_dataset_answers_the_same_questions(small_dir):
    """A Dataset made from a frame (races merged from several sources, say) filters it."""
    coded = load(small_dir)
    framed = Dataset(coded.races_path, None, coded.races)
    for ds in (coded, framed):
        pdt.assert_frame_equal(ds.rows(athletes=["Josh Kerr"]), coded.races[coded.races["athlete"] == "Josh Kerr"])
        assert ds.athlete_counts() == coded.races["athlete"].value_counts().to_dict()
        assert len(ds.one_row_per_race()) == coded.races["race_id"].nunique() == 5
    assert len(SMALL) == len(framed.races)
    assert isinstance(framed.races, pd.DataFrame)


@PROPERTY
@given(codes=st.lists(st.integers(-1, 30), max_size=20), n=st.integers(1, 31))
def test_as_text_equals_astype_str_whatever_the_categories(codes, n):
    """as_text converts only the categories a few rows hold: the same strings as astype."""
    from miler.schema import as_text

    codes = [min(c, n - 1) for c in codes]
    cats = pd.Index([f"value {i}" for i in range(n)], dtype="str")
    frame = pd.DataFrame({"a": pd.Categorical.from_codes(codes, categories=cats), "b": range(len(codes))},
                         index=[i * 3 for i in range(len(codes))])
    pdt.assert_frame_equal(as_text(frame), frame.assign(a=frame["a"].astype("str")))
