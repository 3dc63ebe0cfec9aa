"""A meet query keeps the README's promise (the latest edition, forgiving rounds, what a meet did
not hold); a race whose data holds part of its field says so and gives no gap it cannot know;
a trend needs races of two seasons.
"""

import json

import pytest
from conftest import PROPERTY, race, races_of, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from miler.analysis.gaps import field_note, pair_gaps, race_gaps
from miler.analysis.meets import in_race_order
from miler.cli import app
from miler.schema import BASE_COLUMNS

K, J, N, H = "Josh Kerr", "Jakob Ingebrigtsen", "Yared Nuguse", "Cole Hocker"


def worlds(date, round_, results, event="1500m", **kw):
    return race(date, "World Championships", event, results, round=round_, level="worlds", city="Budapest",
                country="HUN", **kw)


BUDAPEST = (
    worlds("2023-08-19", "heat 1", [(J, "NOR", 1, "3:33.94"), (K, "GBR", 2, "3:34.00")])
    + worlds("2023-08-19", "heat 3", [(N, "USA", 1, "3:34.50"), (H, "USA", 2, "3:34.60")])
    + worlds("2023-08-20", "semi-final 2", [(J, "NOR", 1, "3:34.98"), (K, "GBR", 2, "3:35.14")])
    + worlds("2023-08-20", "semi-final 1", [(N, "USA", 1, "3:32.50"), (H, "USA", 2, "3:32.60")])
    + worlds("2023-08-23", "final", [(K, "GBR", 1, "3:29.38"), (J, "NOR", 2, "3:29.65"), (N, "USA", 5, "3:30.25")])
    + worlds("2023-08-27", "final", [(J, "NOR", 1, "13:11.30"), (N, "USA", 2, "13:11.44")], event="5000m")
    + race("2017-08-13", "World Championships", "1500m", [(K, "GBR", 1, "3:33.61")], level="worlds", city="London",
           country="GBR")
    + race("2025-07-19", "London Athletics Meet", "1500m", [(K, "GBR", 1, "3:29.37")], city="London", country="GBR")
    + race("2021-08-07", "Olympic Games", "1500m", [(J, "NOR", 1, "3:28.32")], level="olympics", city="Tokyo",
           country="JPN")
    + race("2025-09-16", "World Championships", "1500m", [(J, "NOR", 1, "3:34.00")], level="worlds", city="Tokyo",
           country="JPN")
)


@pytest.fixture
def data(tmp_path):
    write_csv(tmp_path / "races.csv", BUDAPEST)
    return tmp_path


@pytest.fixture
def miler(runner, data):
    return lambda *args: runner.invoke(app, [*args, "--data", str(data)])


# --- 9. meet lookup -----------------------------------------------------------------------


@pytest.mark.parametrize("query, taken, other", [
    ("tokyo", "World Championships 2025", "Olympic Games 2021"),
    ("london", "London Athletics Meet 2025", "World Championships 2017"),
])
def test_an_ambiguous_meet_is_the_latest_edition_with_a_note(miler, query, taken, other):
    result = miler("meet", query)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{taken}: 1 race")
    assert f"note: taking {taken}; also matches {other}" in result.stderr


def test_a_meet_that_did_not_hold_the_event_says_what_it_held(miler):
    result = miler("meet", "budapest", "--event", "mile")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "error: World Championships 2023 held no Mile (its events: 1500m, 5000m)\n"


@pytest.mark.parametrize("query, rounds", [
    ("semi", ["semi-final 1", "semi-final 2"]),
    ("sf", ["semi-final 1", "semi-final 2"]),
    ("sf2", ["semi-final 2"]),
    ("semi 2", ["semi-final 2"]),
    ("heat", ["heat 1", "heat 3"]),
    ("heats", ["heat 1", "heat 3"]),
    ("h3", ["heat 3"]),
    ("final", ["final", "final"]),
])
def test_rounds_match_forgivingly(miler, query, rounds):
    result = miler("meet", "budapest", "--round", query, "-f", "json")
    assert result.exit_code == 0, result.stderr
    found = list(dict.fromkeys((r["event"], r["round"]) for r in json.loads(result.stdout)))
    assert [r for _, r in found] == rounds


def test_a_round_the_meet_did_not_hold_lists_its_rounds_in_race_order(miler):
    result = miler("meet", "budapest", "--round", "quarter")
    assert result.exit_code == 1
    assert "(its rounds: heat 1, heat 3, semi-final 1, semi-final 2, final)" in result.stderr
    result = miler("meet", "budapest", "--event", "5000m", "--round", "semi")
    assert "World Championships 2023 has no 5000m semi (its 5000m rounds: final)" in result.stderr


def test_rounds_in_race_order():
    assert in_race_order(["final", "semi-final 2", "heat 10", "heat 2", "semi-final 1", "heat 2"]) == [
        "heat 2", "heat 10", "semi-final 1", "semi-final 2", "final"]


# --- 11. partial fields -------------------------------------------------------------------


def test_a_race_with_fewer_rows_than_starters_is_a_partial_field(tmp_path):
    rows = [dict(r, starters=12) for r in worlds("2023-08-20", "semi-final 2",
                                                 [(J, "NOR", 1, "3:34.98"), (K, "GBR", 2, "3:35.14")])]
    write_csv(tmp_path / "races.csv", rows, columns=BASE_COLUMNS + ("starters",))
    from miler.dataset.races import read_races

    frame, _ = read_races(tmp_path / "races.csv")
    assert field_note(frame) == "partial field (2 of 12)"
    gaps = race_gaps(frame)
    assert list(gaps["gap_winner"]) == [0.0, 0.16]  # the winner and the one ahead are there
    assert list(gaps["gap_ahead"].fillna(-1)) == [-1, 0.16]


def test_missing_places_make_a_partial_field_without_the_gaps_it_cannot_know(tmp_path):
    rows = race("2024-08-06", "Olympic Games", "1500m",
                [(K, "GBR", 2, "3:27.79"), (N, "USA", 3, "3:27.80"), (J, "NOR", 5, "3:28.24")])
    frame = races_of(rows, tmp_path)
    assert field_note(frame) == "partial field: places 2, 3 and 5 only"
    gaps = race_gaps(frame)
    assert gaps["gap_winner"].isna().all() and gaps["gap_winner_pct"].isna().all()  # the winner is not there
    # Nuguse was right behind Kerr; who was 4th, right ahead of Ingebrigtsen, is not known
    assert gaps["gap_ahead"].tolist()[1] == 0.01 and gaps["gap_ahead"].isna().tolist() == [True, False, True]


def test_a_complete_field_has_no_note_and_ties_keep_their_gaps(tmp_path):
    rows = race("2024-06-01", "Bislett Games", "1500m",
                [(J, "NOR", 1, "3:30.00"), (K, "GBR", 2, "3:30.50"), (N, "USA", 2, "3:30.50"), (H, "USA", 4, "3:31.00"),
                 ("Someone Else", "KEN", "", "DNF")])
    frame = races_of(rows, tmp_path)
    assert field_note(frame) is None
    assert race_gaps(frame)["gap_ahead"].tolist()[1:4] == [0.5, 0.0, 0.5]


def test_an_export_of_two_athletes_shows_no_gap_to_a_winner_it_does_not_hold(runner, data, tmp_path):
    out = tmp_path / "two.csv"
    assert runner.invoke(app, ["export", "-a", "jakob", "-a", "nuguse", "--data", str(data), "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["meet", "budapest", "--round", "final", "--event", "1500m", "--data", str(out)])
    assert "partial field: places 2 and 5 only" in result.stdout
    nuguse = next(line for line in result.stdout.splitlines() if N in line)
    assert nuguse.split() == ["5", "Yared", "Nuguse", "USA", "3:30.25"]  # no gap to a winner it does not hold
    data_ = json.loads(runner.invoke(app, ["meet", "budapest", "--round", "final", "--event", "1500m", "-f", "json",
                                           "--data", str(out)]).stdout)
    assert [(r["athlete"], r["gap_winner"], r["field"]) for r in data_] == [
        (J, None, "partial field: places 2 and 5 only"), (N, None, "partial field: places 2 and 5 only")]


def test_gaps_of_a_meet_mark_a_partial_field(runner, data):
    result = runner.invoke(app, ["gaps", "budapest", "--event", "1500m", "--round", "final", "--data", str(data)])
    assert "World Championships, Budapest — 1500m final, 2023-08-23 — partial field: places 1, 2 and 5 only" \
        in result.stdout


def test_an_export_in_json_says_which_races_it_holds_in_part(runner, tmp_path):
    rows = race("2024-06-01", "Bislett Games", "1500m", [(J, "NOR", 1, "3:30.00"), (K, "GBR", 2, "3:30.50")]) + \
        race("2024-08-06", "Olympic Games", "1500m", [(K, "GBR", 2, "3:27.79"), (J, "NOR", 4, "3:28.24")])
    write_csv(tmp_path / "races.csv", rows)
    # Kerr's rows alone: the Bislett field is whole though his row is one of two in the export
    result = runner.invoke(app, ["export", "-a", "kerr", "-f", "json", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert [(r["meet"], r["field"]) for r in json.loads(result.stdout)] == [
        ("Bislett Games", None), ("Olympic Games", "partial field: places 2 and 4 only")]
    # a CSV export is a dataset, in the dataset's own columns only
    csv_out = runner.invoke(app, ["export", "-a", "kerr", "--data", str(tmp_path)]).stdout
    assert "field" not in csv_out.splitlines()[0].split(",")
    # and the JSON reads back as a dataset
    out = tmp_path / "kerr.json"
    out.write_text(result.stdout)
    assert runner.invoke(app, ["validate", "--data", str(out)]).exit_code == 0


def test_every_gap_in_a_meet_has_its_legend(miler):
    assert "to winner = the athlete's time − the winner's" in miler("meet", "budapest").stdout


# --- 8. trends ----------------------------------------------------------------------------


def test_a_trend_needs_races_of_two_seasons(runner, data):
    result = runner.invoke(app, ["gaps", "kerr", "jakob", "--data", str(data)])
    assert result.exit_code == 0
    assert "percentage points a year" not in result.stdout
    assert "No trend: every race is of one season (2023); a trend needs races of 2 seasons or more" in result.stdout
    body = json.loads(runner.invoke(app, ["gaps", "kerr", "jakob", "-f", "json", "--data", str(data)]).stdout)
    assert body["trend_pct_per_year"] is None and "one season" in body["trend_missing"]


def test_a_trend_over_two_seasons_is_given(data):
    frame = races_of(BUDAPEST + race("2024-06-01", "Bislett Games", "1500m", [(J, "NOR", 1, "3:30.00"),
                                                                              (K, "GBR", 2, "3:31.00")]), data)
    result = pair_gaps(frame, K, J)
    assert result.trend_pct_per_year is not None and result.trend_missing is None


@settings(PROPERTY, max_examples=60)
@given(st.lists(st.tuples(st.lists(st.integers(1, 9), min_size=0, max_size=8),  # places (ties allowed)
                          st.integers(0, 2), st.integers(0, 1),  # DNF rows, DNS rows
                          st.one_of(st.none(), st.integers(1, 14))),  # starters, or not given
                min_size=1, max_size=5))
def test_partial_fields_of_many_races_at_once_are_each_races_field_note(fields):
    # export's JSON and `miler info` judge every race at once; each must read as field_note says
    import tempfile
    from pathlib import Path

    from miler.analysis.gaps import partial_fields
    from miler.dataset.races import read_races

    rows = []
    for n, (places, dnf, dns, starters) in enumerate(fields):
        day = f"2024-06-{n + 1:02d}"
        runners = [(f"Runner {n}{i}", p, f"3:{30 + p:02d}.00") for i, p in enumerate(sorted(places))]
        runners += [(f"Out {n}{i}", "", "DNF") for i in range(dnf)] + [(f"Absent {n}{i}", "", "DNS") for i in range(dns)]
        size = max(starters or 0, len(runners))  # never fewer starters than rows
        for athlete, place, time in runners:
            rows.append(dict(race(day, "Bislett Games", "1500m", [(athlete, "NOR", place, time)])[0],
                             starters=size if starters else ""))
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "races.csv", rows, columns=BASE_COLUMNS + ("starters",))
        frame, _ = read_races(path)
    each = {int(r): field_note(frame[frame["race_id"] == r]) for r in frame["race_id"].unique()}
    assert partial_fields(frame, each) == {r: note for r, note in each.items() if note}
