"""Several sources into one dataset (miler.dataset.merge, via --data and miler import): each result
once with both sources named, the first source winning a disagreement that is flagged and listed,
a race named differently by two sources still one race, men's and women's races apart."""

import csv
import json

import pandas as pd

from conftest import race, write_csv
from miler.cli import app
from miler.dataset import load
from miler.schema import BASE_COLUMNS

WA_HEADER = "Rank,Mark,Competitor,DOB,Nat,Pos,,Venue,Date,ResultScore\n"


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def ours(tmp_path, name, rows, columns=BASE_COLUMNS):
    return write_csv(tmp_path / name, rows, columns)


def wa(tmp_path, name, lines):
    f = tmp_path / name
    f.write_text(WA_HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return f


ZURICH = race("2022-09-08", "Weltklasse Zürich", "1500m",
              [("Jakob Ingebrigtsen", "NOR", 1, "3:29.02"), ("Josh Kerr", "GBR", 6, "3:31.85")],
              city="Zurich", country="SUI")
ZURICH_WA = [
    '1,3:29.02,Jakob INGEBRIGTSEN,,NOR,1,,"Letzigrund, Zürich (SUI)",08 SEP 2022,1259',
    '2,3:30.27,Timothy CHERUIYOT,,KEN,2,,"Letzigrund, Zürich (SUI)",08 SEP 2022,1240',
    '3,3:31.85,Josh KERR,,GBR,6,,"Letzigrund, Zürich (SUI)",08 SEP 2022,1219',
]


def rows_of(races, **where):
    mask = pd.Series(True, index=races.index)
    for k, v in where.items():
        mask &= races[k] == v
    return races[mask]


def test_the_same_result_from_two_sources_is_one_row_naming_both(tmp_path):
    first = ours(tmp_path, "ours.csv", [dict(r, source="https://example.org/zurich") for r in ZURICH])
    second = wa(tmp_path, "wa.csv", ZURICH_WA)
    ds = load([first, second])
    races = ds.races
    assert races["race_id"].nunique() == 1  # "Weltklasse Zürich" and "Letzigrund, Zürich (SUI)": one race
    assert set(races["meet"]) == {"Weltklasse Zürich"} and set(races["city"]) == {"Zurich"}  # the first's names
    jakob = rows_of(races, athlete="Jakob Ingebrigtsen")
    assert len(jakob) == 1 and jakob["source"].iloc[0] == "https://example.org/zurich; wa.csv:2"
    added = rows_of(races, athlete="Timothy Cheruiyot")  # a result only the list has joins the race
    assert len(added) == 1 and int(added["place"].iloc[0]) == 2 and added["source"].iloc[0] == "wa.csv:3"
    assert any("2 results found in more than one kept once" in w for w in ds.warnings)


def test_h2h_counts_a_meeting_two_sources_give_once(runner, tmp_path):
    first = ours(tmp_path, "ours.csv", ZURICH)
    second = wa(tmp_path, "wa.csv", ZURICH_WA)
    result = run(runner, "h2h", "kerr", "ingebrigtsen", "--data", first, "--data", second, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["meetings"]) == 1 and data["wins"] == {"Josh Kerr": 0, "Jakob Ingebrigtsen": 1}


def test_a_disagreement_keeps_the_first_sources_values_flags_the_row_and_lists_both(runner, tmp_path):
    first = ours(tmp_path, "ours.csv", ZURICH)
    second = wa(tmp_path, "wa.csv", [ZURICH_WA[0].replace("3:29.02", "3:29.12"),
                                     ZURICH_WA[2].replace(",6,,", ",5,,")])
    out, conflicts = tmp_path / "merged.csv", tmp_path / "conflicts.csv"
    result = run(runner, "import", first, second, "-o", out, "--conflicts", conflicts, "-f", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    got = {(c["athlete"], c["field"]): (c["first"], c["first_source"], c["second"], c["second_source"])
           for c in report["merge"]["conflicts"]}
    assert got == {("Jakob Ingebrigtsen", "time"): ("3:29.02", "test", "3:29.12", "wa.csv:2"),
                   ("Josh Kerr", "place"): ("6", "test", "5", "wa.csv:3")}
    merged = list(csv.DictReader(open(out, encoding="utf-8")))
    jakob = next(r for r in merged if r["athlete"] == "Jakob Ingebrigtsen")
    assert jakob["time"] == "3:29.02" and "conflict" in jakob["note"].split()
    kerr = next(r for r in merged if r["athlete"] == "Josh Kerr")
    assert kerr["place"] == "6" and "conflict" in kerr["note"].split()
    listed = list(csv.DictReader(open(conflicts, encoding="utf-8")))
    assert {(r["athlete"], r["field"], r["first"], r["second"]) for r in listed} == {
        ("Jakob Ingebrigtsen", "time", "3:29.02", "3:29.12"), ("Josh Kerr", "place", "6", "5")}


def test_the_text_report_names_each_conflict(runner, tmp_path):
    first = ours(tmp_path, "ours.csv", ZURICH)
    second = wa(tmp_path, "wa.csv", [ZURICH_WA[0].replace("3:29.02", "3:29.12")])
    result = run(runner, "import", first, second, "-o", tmp_path / "m.csv")
    assert ("conflict: 2022-09-08 Weltklasse Zürich 1500m final, Jakob Ingebrigtsen: time 3:29.02 (test) kept; "
            "3:29.12 (wa.csv:2) differs") in result.stderr


def test_marks_that_agree_at_the_coarser_precision_are_no_conflict(tmp_path):
    first = ours(tmp_path, "ours.csv", race("2022-09-08", "Weltklasse Zürich", "1500m",
                                             [("Jakob Ingebrigtsen", "NOR", 1, "3:29.0")], city="Zürich"))
    second = wa(tmp_path, "wa.csv", [ZURICH_WA[0]])
    ds = load([first, second])
    assert not any("conflict:" in w for w in ds.warnings) and len(ds.races) == 1


def test_heats_stay_apart_and_a_final_with_a_number_is_the_final(tmp_path):
    first = ours(tmp_path, "ours.csv",
                 race("2022-07-16", "World Championships", "1500m", [("Jakob Ingebrigtsen", "NOR", 3, "3:35.12")],
                      round="heat 2", city="Eugene")
                 + race("2022-05-07", "Kip Keino Classic", "1500m", [("Abel Kipsang", "KEN", 1, "3:37.90")],
                        city="Nairobi"))
    second = wa(tmp_path, "wa.csv", [
        '1,3:35.12,Jakob INGEBRIGTSEN,,NOR,3h2,,"Hayward Field, Eugene, OR (USA)",16 JUL 2022,1173',
        '2,3:35.50,Ollie HOARE,,AUS,4h2,,"Hayward Field, Eugene, OR (USA)",16 JUL 2022,1170',
        '3,3:36.00,Abel KIPSANG,,KEN,1h1,,"Hayward Field, Eugene, OR (USA)",16 JUL 2022,1160',
        '4,3:37.90,Abel KIPSANG,,KEN,1f1,,"Nyayo Stadium, Nairobi (KEN)",07 MAY 2022,1100',
    ])
    races = load([first, second]).races
    heats = rows_of(races, date=pd.Timestamp("2022-07-16"))
    assert set(heats["meet"]) == {"World Championships"}  # heat 1 takes the meet of heat 2: the same meet…
    assert sorted(heats["round"].astype(str)) == ["heat 1", "heat 2", "heat 2"]  # …but stays its own race
    nairobi = rows_of(races, date=pd.Timestamp("2022-05-07"))
    assert len(nairobi) == 1 and nairobi["round"].iloc[0] == "final" and "; wa.csv:5" in nairobi["source"].iloc[0]


def test_mens_and_womens_races_of_one_meet_stay_two_races(runner, tmp_path):
    rows = [dict(r, sex="M") for r in race("2024-06-01", "Bislett Games", "1500m",
                                           [("Abe Cole", "USA", 1, "3:30.00"), ("Ben Dale", "GBR", 2, "3:31.00")])]
    rows += [dict(r, sex="W") for r in race("2024-06-01", "Bislett Games", "1500m",
                                            [("Ann Lee", "NOR", 1, "3:58.00"), ("Bea Moss", "GBR", 2, "3:59.00")])]
    folder = tmp_path / "both"
    folder.mkdir()
    ours(folder, "races.csv", rows, BASE_COLUMNS + ("sex",))
    races = load(folder).races
    assert races["race_id"].nunique() == 2
    result = run(runner, "meet", "bislett", "--data", folder, "-f", "json")
    assert result.exit_code == 0 and result.stdout.count('"place": 1') >= 2  # two winners: two races
    women = run(runner, "athletes", "--data", folder, "--sex", "W", "-f", "json")
    assert "Ann Lee" in women.stdout and "Abe Cole" not in women.stdout
    assert run(runner, "athletes", "--data", folder, "--sex", "X").exit_code == 2  # a usage error


def test_a_source_that_knows_the_sex_fills_it_in_and_never_joins_the_other_sexs_race(tmp_path):
    first = ours(tmp_path, "ours.csv", race("2022-06-16", "Bislett Games", "1500m",
                                             [("Sigurd Tveit", "NOR", 1, "3:41.16")], city="Oslo"))
    data = {"National Events": [
        {"title": "Men's 1500m - 16.06.2022", "detail": "Final", "category": "x",
         "data": [{"place": "1.", "athlete": "Sigurd TVEIT", "nat": "NOR", "mark": "3:41.16"},
                  {"place": "2.", "athlete": "Job IJTSMA", "nat": "NED", "mark": "3:41.52"}]},
        {"title": "Women's 1500m - 16.06.2022", "detail": "Final", "category": "x",
         "data": [{"place": "1.", "athlete": "Ingeborg ØSTGÅRD", "nat": "NOR", "mark": "4:09.91"}]}]}
    second = tmp_path / "2022_18.json"
    second.write_text(json.dumps(data), encoding="utf-8")
    races = load([first, second]).races
    men = rows_of(races, sex="M")
    assert sorted(men["athlete"].astype(str)) == ["Job Ijtsma", "Sigurd Tveit"] and men["race_id"].nunique() == 1
    women = rows_of(races, sex="W")
    assert list(women["athlete"]) == ["Ingeborg Østgård"] and set(women["race_id"]).isdisjoint(men["race_id"])


def test_a_name_two_sources_spell_apart_is_one_result_and_listed(tmp_path):
    first = ours(tmp_path, "ours.csv", race("2016-08-20", "Olympic Games", "1500m",
                                             [("Matthew Centrowitz", "USA", 1, "3:50.00"),
                                              ("Charlie Da'Vall Grice", "GBR", 12, "3:51.73")],
                                             city="Rio de Janeiro"))
    events = [{"name": "1500 m Men", "gender": "M", "date": "2016-08-20", "round": "FINAL", "result": [
        {"givenName": "Matthew", "familyName": "Centrowitz", "performance": "3:50.00", "rank": "1", "country": "USA"},
        {"givenName": "Charlie", "familyName": "Grice", "performance": "3:51.73", "rank": "12", "country": "GBR"}]}]
    second = tmp_path / "rio.json"
    second.write_text(json.dumps({"name": "Olympic Games", "city": "Rio de Janeiro", "events": events}))
    ds = load([first, second])
    assert len(ds.races) == 2
    assert any("athlete Charlie Da'Vall Grice (test) kept; Charlie Grice (rio.json#events[0].result[1])" in w
               for w in ds.warnings)


def test_a_later_row_that_would_break_the_first_sources_race_is_left_out_and_listed(runner, tmp_path):
    first = ours(tmp_path, "ours.csv", ZURICH)
    # right within the list, wrong beside the first source: 2nd in 3:32.00 ahead of Kerr's 6th in 3:31.85
    second = wa(tmp_path, "wa.csv", [ZURICH_WA[0],
                                     '9,3:32.00,Abel KIPSANG,,KEN,2,,"Letzigrund, Zürich (SUI)",08 SEP 2022,1210'])
    result = run(runner, "import", first, second, "-o", tmp_path / "m.csv", "-f", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    left = [c for c in report["merge"]["conflicts"] if c["field"] == "race"]
    assert len(left) == 1 and left[0]["athlete"] == "Abel Kipsang" and "disagrees with the times" in left[0]["second"]
    merged = list(csv.DictReader(open(tmp_path / "m.csv", encoding="utf-8")))
    assert [r["athlete"] for r in merged] == ["Jakob Ingebrigtsen", "Josh Kerr"]


def test_the_first_source_given_wins(tmp_path):
    first = ours(tmp_path, "ours.csv", ZURICH)
    second = wa(tmp_path, "wa.csv", [ZURICH_WA[0].replace("3:29.02", "3:29.12")])
    one = load([first, second]).races
    other = load([second, first]).races
    assert rows_of(one, athlete="Jakob Ingebrigtsen")["time"].iloc[0] == "3:29.02"
    assert rows_of(other, athlete="Jakob Ingebrigtsen")["time"].iloc[0] == "3:29.12"
    assert set(other["meet"]) == {"Zürich"}


def test_three_sources_name_every_source_of_a_result(tmp_path):
    first = ours(tmp_path, "ours.csv", [dict(r, source="a") for r in ZURICH])
    second = wa(tmp_path, "wa.csv", ZURICH_WA[:1])
    third = wa(tmp_path, "wa2.csv", ZURICH_WA[:1])
    races = load([first, second, third]).races
    assert rows_of(races, athlete="Jakob Ingebrigtsen")["source"].iloc[0] == "a; wa.csv:2; wa2.csv:2"


def test_the_shipped_data_merged_with_a_copy_of_itself_is_unchanged(tmp_path):
    from conftest import REPO
    from miler.schema import as_text

    copy = tmp_path / "copy.csv"
    copy.write_bytes((REPO / "data" / "races.csv").read_bytes())
    alone, merged = load(REPO / "data"), load([REPO / "data", copy])
    key = ["date", "meet", "event", "round", "athlete"]
    cols = key + ["city", "country", "level", "indoor", "nat", "place", "time", "note", "source", "starters"]
    a = as_text(alone.races)[cols].sort_values(key).reset_index(drop=True).astype("object")
    b = as_text(merged.races)[cols].sort_values(key).reset_index(drop=True).astype("object")
    pd.testing.assert_frame_equal(a, b)
    assert merged.races["race_id"].nunique() == alone.races["race_id"].nunique()
    assert f"{len(a):,} results found in more than one kept once; 0 rows added; 0 conflicts" in merged.warnings[0]
