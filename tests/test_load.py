"""Loading: typed frames from good files, every problem of a bad file named with its line."""

import pandas as pd
import pytest

from conftest import QUOTE, SMALL, write_csv
from miler.errors import DataError, NotFoundError
from miler.dataset import load
from miler.dataset.locate import dataset_paths
from miler.dataset.quotes import read_quotes
from miler.dataset.races import read_races


def problems_of(path):
    with pytest.raises(DataError) as exc:
        read_races(path)
    return [str(p) for p in exc.value.problems]


def with_row(tmp_path, **changes):
    """SMALL with its first row changed; the changed row is on line 2 of the file."""
    rows = [dict(SMALL[0], **changes)] + SMALL[1:]
    return write_csv(tmp_path / "races.csv", rows)


def test_a_good_file_loads_as_typed_frame(small_dir):
    races, warnings = read_races(small_dir / "races.csv")
    assert warnings == []
    assert len(races) == len(SMALL)
    assert races["date"].dtype == "datetime64[ns]" or str(races["date"].dtype).startswith("datetime64")
    assert str(races["place"].dtype) == "Int64"
    assert races["indoor"].dtype == bool
    kerr = races[(races["athlete"] == "Josh Kerr") & (races["meet"] == "World Championships") & (races["round"] == "final")]
    assert kerr["seconds"].iat[0] == pytest.approx(209.38) and kerr["time"].iat[0] == "3:29.38"
    dnf = races[races["time"] == "DNF"]
    assert set(dnf["status"]) == {"DNF"} and dnf["seconds"].isna().all() and dnf["place"].isna().all()
    assert races["race_id"].nunique() == 5


def test_only_the_required_columns_are_needed_and_defaults_fill_the_rest(tmp_path):
    path = write_csv(tmp_path / "r.csv", [
        {"date": "2024-01-01", "meet": "Club Night", "event": "1500", "athlete": "A Runner", "time": "4:01.2"},
        {"date": "2024-01-01", "meet": "Club Night", "event": "1500", "athlete": "B Runner", "time": "3:59.9"},
    ], columns=("date", "meet", "event", "athlete", "time"))
    races, _ = read_races(path)
    assert list(races["round"]) == ["final", "final"]
    assert list(races["indoor"]) == [False, False]
    assert list(races["event"]) == ["1500m", "1500m"]
    # place derived from the marks
    assert dict(zip(races["athlete"], races["place"])) == {"A Runner": 2, "B Runner": 1}


def test_a_missing_required_column_is_reported_on_line_1(tmp_path):
    path = write_csv(tmp_path / "races.csv", SMALL, columns=("date", "meet", "athlete", "time"))
    assert problems_of(path) == [
        "races.csv:1: missing column: event (the header must name at least date, meet, event, athlete and time or place)"
    ]


def test_an_unknown_column_is_a_warning_not_an_error(tmp_path):
    rows = [dict(r, wind="+0.3") for r in SMALL]
    path = write_csv(tmp_path / "races.csv", rows, columns=tuple(SMALL[0]) + ("wind",))
    races, warnings = read_races(path)
    assert len(races) == len(SMALL)
    assert warnings == ["races.csv:1: unknown column ignored: wind"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"athlete": ""}, "races.csv:2: missing athlete"),
        ({"time": "", "place": ""}, "races.csv:2: missing time (and no place)"),
        ({"date": "2024-13-01"}, "races.csv:2: date '2024-13-01' is not a date as YYYY-MM-DD"),
        ({"date": "25/05/2024"}, "races.csv:2: date '25/05/2024' is not a date as YYYY-MM-DD"),
        ({"time": "3:61.00"}, "races.csv:2: mark '3:61.00': 61 is not a valid number of minutes or seconds"),
        ({"time": "abc"}, "races.csv:2: mark 'abc' is not a time (expected m:ss.xx, h:mm:ss, ss.xx or DNF/DNS/DQ)"),
        ({"time": "3:29:38"}, "races.csv:2: time 3:29:38: 3:29:38.00 is impossibly slow for 1500m (a typo? m:ss.xx read as h:mm:ss)"),
        ({"time": "3:10.00"}, "races.csv:2: time 3:10.00: 3:10.00 is more than 5% faster than the 1500m world record "
                              "(3:26.00): no human performance"),
        ({"place": "first"}, "races.csv:2: place 'first' is not a whole number from 1"),
        ({"place": "1", "time": "DNF"}, "races.csv:2: DNF with a place (1): a non-finisher has no place"),
        ({"indoor": "maybe"}, "races.csv:2: indoor 'maybe' is not true or false"),
        ({"level": "galaxy"}, "races.csv:2: level 'galaxy' is not one of olympics, worlds, world-indoors, europeans, commonwealth, diamond-league, national, other"),
    ],
)
def test_each_bad_value_is_named_with_its_line(tmp_path, change, message):
    assert message in problems_of(with_row(tmp_path, **change))


def test_a_new_world_record_loads_with_a_warning_naming_the_record(tmp_path):
    # records fall: a dataset holding a mark faster than today's record still answers
    path = with_row(tmp_path, time="3:25.50")
    races, warnings = read_races(path)
    assert len(races) == len(SMALL)
    assert races["seconds"].iloc[0] == 205.5
    assert warnings == ["races.csv:2: time 3:25.50: 3:25.50 is faster than the 1500m world record (3:26.00): "
                        "a new record, or a wrong mark?"]


@pytest.mark.parametrize("time, fails", [("3:15.70", False), ("3:15.69", True), ("3:00.00", True)])
def test_only_a_mark_more_than_five_percent_inside_the_record_is_an_error(tmp_path, time, fails):
    # 3:26.00 less 5% is 3:15.70: the line between a record (warning) and no human (error)
    path = with_row(tmp_path, time=time)
    if fails:
        assert any("more than 5% faster" in p for p in problems_of(path))
    else:
        assert "faster than the 1500m world record" in read_races(path)[1][0]


def test_places_that_disagree_with_times_are_reported(tmp_path):
    # the winner of the Budapest final given a slower time than second place
    assert problems_of(with_row(tmp_path, time="3:29.90")) == [
        "races.csv:3: place 2 disagrees with the times: 3:29.65 is not behind the athlete placed ahead in this race"
    ]


def test_the_same_athlete_twice_in_one_race_is_reported_with_both_lines(tmp_path):
    rows = SMALL[:3] + [dict(SMALL[0], place=4, time="3:30.00")] + SMALL[3:]
    path = write_csv(tmp_path / "races.csv", rows)
    assert "races.csv:5: Josh Kerr appears twice in one race (also line 2)" in problems_of(path)


def test_starters_give_the_size_of_the_field_and_must_agree_with_the_rows(tmp_path):
    """A race's starters (how many ran it) may be given; it can't be fewer than its rows,
    nor differ between rows of one race."""
    budapest = [r for r in SMALL if r["meet"] == "World Championships"]
    others = [r for r in SMALL if r["meet"] != "World Championships"]
    cols = tuple(SMALL[0]) + ("starters",)
    races, _ = read_races(write_csv(tmp_path / "a.csv", [dict(r, starters="12") for r in budapest] + others,
                                    columns=cols))
    assert set(races.loc[races["meet"] == "World Championships", "starters"]) == {12}
    assert races.loc[races["meet"] != "World Championships", "starters"].isna().all()
    few = [dict(r, starters="1") for r in budapest] + others
    assert any("starters 1 is fewer than the race's" in p
               for p in problems_of(write_csv(tmp_path / "b.csv", few, columns=cols)))
    differ = [dict(r, starters=str(12 + i)) for i, r in enumerate(budapest)] + others
    assert any("differs from another row of this race" in p
               for p in problems_of(write_csv(tmp_path / "c.csv", differ, columns=cols)))
    bad = [dict(budapest[0], starters="twelve")] + budapest[1:] + others
    assert "c.csv:2: starters 'twelve' is not a whole number from 1 to 100,000" in problems_of(
        write_csv(tmp_path / "c.csv", bad, columns=cols))


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    rows = [dict(SMALL[0], date="bad"), dict(SMALL[1], time="xyz")] + SMALL[2:]
    found = problems_of(write_csv(tmp_path / "races.csv", rows))
    assert any(p.startswith("races.csv:2: date") for p in found)
    assert any(p.startswith("races.csv:3: mark 'xyz'") for p in found)


def test_line_numbers_count_blank_lines(tmp_path):
    path = write_csv(tmp_path / "races.csv", [dict(SMALL[0], time="abc")] + SMALL[1:])
    text = path.read_text().replace("\n", "\n\n", 1)  # a blank line after the header
    path.write_text(text)
    assert problems_of(path)[0].startswith("races.csv:3: mark 'abc'")


def test_data_folder_env_var_and_packaged_data(tmp_path, small_dir, monkeypatch):
    assert dataset_paths(small_dir) == (small_dir / "races.csv", None)
    assert dataset_paths(small_dir / "races.csv") == (small_dir / "races.csv", None)
    monkeypatch.setenv("MILER_DATA", str(small_dir))
    assert load().races_path == small_dir / "races.csv"
    monkeypatch.delenv("MILER_DATA")
    races, quotes = dataset_paths()
    assert races.name == "races.csv" and quotes.name == "quotes.yaml"
    with pytest.raises(NotFoundError, match="no races.csv"):
        dataset_paths(tmp_path / "..")
    with pytest.raises(NotFoundError, match="no such file or folder"):
        dataset_paths(tmp_path / "nowhere")




def test_quotes_load_with_lists_and_dates(tmp_path):
    path = tmp_path / "quotes.yaml"
    path.write_text(QUOTE)
    q = read_quotes(path)
    assert q["date"].iat[0] == pd.Timestamp("2024-02-15")
    assert q["about"].iat[0] == ("Josh Kerr",)
    assert q["topics"].iat[0] == ("blindfolded",)


@pytest.mark.parametrize(
    "text, message",
    [
        (QUOTE.replace("  text: I would have beaten him in that race, blindfolded.\n", ""), "quotes.yaml:1: missing 'text'"),
        (QUOTE.replace("2024-02-15", "15 Feb 2024"), "quotes.yaml:1: date '15 Feb 2024' is not a date as YYYY-MM-DD"),
        (QUOTE + "- date: [unclosed\n", "quotes.yaml:9: YAML error"),
        ("- !!python/object/apply:os.system ['echo hacked']\n", "quotes.yaml:1: YAML error: the tag !!python/object/apply:os.system is refused"),
    ],
)
def test_bad_quotes_are_named_with_their_line(tmp_path, text, message):
    path = tmp_path / "quotes.yaml"
    path.write_text(text)
    with pytest.raises(DataError) as exc:
        read_quotes(path)
    assert str(exc.value.problems[0]).startswith(message)


@pytest.mark.parametrize("first, rest", [(3, 4), (1, 1), (5, 100)])
def test_reading_in_chunks_gives_the_same_frame_as_reading_at_once(small_dir, monkeypatch, first, rest):
    from miler.dataset import csvfile as load_module
    from miler.schema import as_text

    whole, _ = read_races(small_dir / "races.csv")
    monkeypatch.setattr(load_module, "CHUNK_ROWS", first)
    monkeypatch.setattr(load_module, "ARROW_CHUNK_ROWS", rest)
    chunked, _ = read_races(small_dir / "races.csv")
    pd.testing.assert_frame_equal(as_text(chunked), as_text(whole))


def test_the_pandas_reader_gives_the_same_frame_as_pyarrow(small_dir, monkeypatch):
    from miler.dataset import csvfile as load_module
    from miler.schema import as_text

    fast, _ = read_races(small_dir / "races.csv")

    def no_arrow(*args):
        raise load_module.NoArrow()
        yield

    monkeypatch.setattr(load_module, "arrow_chunks", no_arrow)
    slow, _ = read_races(small_dir / "races.csv")
    pd.testing.assert_frame_equal(as_text(slow), as_text(fast))


def test_many_warnings_are_the_first_fifty_and_how_many_more(tmp_path):
    rows = [dict(SMALL[0], date=f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}", time="3:25.00") for i in range(60)]
    races, warnings = read_races(write_csv(tmp_path / "races.csv", rows))
    assert len(races) == 60
    assert len(warnings) == 51 and warnings[0].startswith("races.csv:2: time 3:25.00: 3:25.00 is faster than")
    assert warnings[-1] == "races.csv: 10 more rows with a warning like these"
