"""`miler import` and --data on small hand-made files in other people's schemas: each thing real
files contain, read as a user expects; each row left out with its reason and where it was; each
guess said; nothing written when anything is wrong."""

import json

import pandas as pd
import pytest

from miler.cli import app
from miler.dataset import load
from miler.dataset.races import read_races


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def write(path, text, encoding="utf-8", newline="\n"):
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def imported(runner, tmp_path, *args):
    """Run miler import ARGS -o OUT.csv -f json; (report, dataset read back, stderr)."""
    out = tmp_path / "out.csv"
    result = run(runner, "import", *args, "-o", out, "-f", "json")
    assert result.exit_code == 0, result.stderr
    races, _ = read_races(out)
    return json.loads(result.stdout), races, result.stderr


def facts(races, *columns):
    """The rows as tuples of the given columns, plain Python values, in the frame's order."""
    out = []
    for _, r in races.iterrows():
        row = []
        for c in columns:
            v = r[c]
            row.append(None if pd.isna(v) else v.strftime("%Y-%m-%d") if c == "date" else
                       int(v) if c == "place" else str(v) if not isinstance(v, bool) else v)
        out.append(tuple(row))
    return out


def reasons(report, i=0):
    return {d["reason"]: [r["where"] for r in d["rows"]] for d in report["sources"][i]["dropped"]}


WA_HEADER = "Rank,Mark,Competitor,DOB,Nat,Pos,,Venue,Date,ResultScore"
WA_ROWS = [
    '1,3:29.02,Jakob INGEBRIGTSEN,19 SEP 2000,NOR,1,,"Letzigrund, Zürich (SUI)",08 SEP 2022,1259',
    '2,3:31.85,Josh KERR,08 OCT 1997,GBR,6,,"Letzigrund, Zürich (SUI)",08 SEP 2022,1219',
    '3,3:34.19,Jakob INGEBRIGTSEN,19 SEP 2000,NOR,,,"Hayward Field, Eugene, OR (USA)",27 MAY 2022,1186',
    '4,3:35.12,Jakob INGEBRIGTSEN,19 SEP 2000,NOR,3h2,,"Hayward Field, Eugene, OR (USA)",16 JUL 2022,1173',
    '5,3:36.92,Josh KERR,08 OCT 1997,GBR,1sf1,,"Hayward Field, Eugene, OR (USA)",17 JUL 2022,1148',
    '6,3:38.1h,Abel KIPSANG,,KEN,2f1,,"Nyayo Stadium, Nairobi (KEN)",07 MAY 2022,1100',
    '7,3:37.90A,Timothy CHERUIYOT,,KEN,1f1,,"Nyayo Stadium, Nairobi (KEN)",07 MAY 2022,1100',
    '8,3:39.00,Yared NUGUSE,,USA,1,,"Armory Track&Field Center, New York, NY (USA) (i)",05 FEB 2022,1090',
    '8,3:39.00,Yared NUGUSE,,USA,1,,"Armory Track&Field Center, New York, NY (USA) (i)",05 FEB 2022,1090',
]


@pytest.fixture
def wa_list(tmp_path):
    """A World Athletics list as the scraper writes it: CRLF, a BOM here, the unnamed column, one
    row twice, a split with a blank position."""
    text = "\ufeff" + "\n".join([WA_HEADER] + WA_ROWS) + "\n"
    return write(tmp_path / "wa-2022.csv", text, newline="\r\n")


def test_a_world_athletics_list_becomes_races(runner, tmp_path, wa_list):
    report, races, _ = imported(runner, tmp_path, wa_list, "--set", "event=1500m")
    src = report["sources"][0]
    assert src["kind"] == "worldathletics" and src["read"] == 9 and src["kept"] == 7
    got = dict(((a, d), (p, t, r, c, n, i)) for a, d, p, t, r, c, n, i in facts(
        races, "athlete", "date", "place", "time", "round", "city", "country", "indoor"))
    assert got[("Jakob Ingebrigtsen", "2022-09-08")] == (1, "3:29.02", "final", "Zürich", "SUI", False)
    assert got[("Jakob Ingebrigtsen", "2022-07-16")] == (3, "3:35.12", "heat 2", "Eugene", "USA", False)
    assert got[("Josh Kerr", "2022-07-17")] == (1, "3:36.92", "semi-final 1", "Eugene", "USA", False)
    assert got[("Abel Kipsang", "2022-05-07")] == (2, "3:38.1h", "final 1", "Nairobi", "KEN", False)  # hand time
    assert got[("Yared Nuguse", "2022-02-05")][-1] is True  # the venue's (i)
    assert "A" in races.loc[races["athlete"] == "Timothy Cheruiyot", "note"].iloc[0]  # at altitude
    why = reasons(report)
    assert [w for r, w in why.items() if r.startswith("no position")] == [["wa-2022.csv:4"]]  # the Bowerman split
    assert why["the same result listed again (the same race in two lists, or a row twice)"] == ["wa-2022.csv:10"]
    sources = set(races["source"])
    assert "wa-2022.csv:2" in sources and "wa-2022.csv:3" in sources  # FILE:LINE, the header is line 1


def test_the_lower_case_list_header_with_sex_and_age_groups(runner, tmp_path):
    header = ("rank,mark,wind,competitor,dob,nationality,position,venue,date,result_score,discipline,type,sex,"
              "age_cat,normalized_discipline,track_field,mark_numeric,venue_country,age_at_event,season")
    rows = [
        '20,3:27.72,,Vincent Kibet KEOCH,2005-01-01,KEN,2,"Stade Louis II, Monaco (MON)",2023-07-21,1270,'
        "1500-metres,middlelong,male,senior,1500-metres,track,207.72,MON,18.0,2023",
        '1,3:27.72,,Vincent Kibet KEOCH,2005-01-01,KEN,2,"Stade Louis II, Monaco (MON)",2023-07-21,1270,'
        "1500-metres,middlelong,male,u20,1500-metres,track,207.72,MON,18.0,2023",
        '2,3:40.0h,,Tom BYERS,,USA,1,Westwood (USA),1974-06-21,1100,1500-metres,middlelong,male,senior,'
        "1500-metres,track,220.0,USA,20.0,1974",
    ]
    f = write(tmp_path / "male_middlelong_1500-metres.csv", "\n".join([header] + rows) + "\n")
    report, races, _ = imported(runner, tmp_path, f)
    assert facts(races, "athlete", "event", "sex", "place", "time") == [
        ("Tom Byers", "1500m", "M", 1, "3:40.0h"), ("Vincent Kibet Keoch", "1500m", "M", 2, "3:27.72")]
    assert any(r.startswith("the same result listed again") for r in reasons(report))


def test_a_list_without_its_event_takes_it_from_its_path_or_else_its_marks(runner, tmp_path, wa_list):
    folder = tmp_path / "1500-metres" / "women"
    folder.mkdir(parents=True)
    named = folder / "2022.csv"
    named.write_bytes(wa_list.read_bytes())
    report, races, _ = imported(runner, tmp_path, named)
    assert set(races["event"]) == {"1500m"} and set(races["sex"]) == {"W"}
    assert any("from the file's name" in g for g in report["sources"][0]["guesses"])
    report, races, _ = imported(runner, tmp_path, wa_list, "--force")
    assert set(races["event"]) == {"1500m"} and set(races["sex"]) == {""}  # the marks say the event, not the sex
    assert any(g.startswith("event 1500m: not in the file") for g in report["sources"][0]["guesses"])


def test_a_list_whose_marks_fit_no_single_event_asks_for_it(runner, tmp_path):
    rows = ['1,3:55.00,Josh KERR,,GBR,1,,"Hayward Field, Eugene, OR (USA)",27 MAY 2022,1100',
            '2,3:58.00,Jake WIGHTMAN,,GBR,2,,"Hayward Field, Eugene, OR (USA)",27 MAY 2022,1100']
    f = write(tmp_path / "list.csv", "\n".join([WA_HEADER] + rows) + "\n")
    result = run(runner, "import", f, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1 and "list.csv: no event" in result.stderr and "--set event=" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_semicolon_table_with_decimal_commas_and_names_in_every_order(runner, tmp_path):
    text = ("Datum;Competition;Event;Name;Nation;Pos;Result;;\n"
            "16.06.2022;Bislett Games;1500 m Men;INGEBRIGTSEN Jakob;NOR;1.;3:29,38;;\n"
            "16.06.2022;Bislett Games;1500 m Men;Kerr, Josh;GBR;2.;3:30,10;;\n"
            "16.06.2022;Bislett Games;1500 m Men;Woods , Anthony;USA;DNF;;;\n"
            "16.06.2022;Bislett Games;1500 m Men;Narve GILJE NORDÅS;NOR;;dq;;\n")
    f = write(tmp_path / "oslo.csv", text, encoding="utf-8-sig", newline="\r\n")
    report, races, _ = imported(runner, tmp_path, f, "--map", "Datum=date")
    assert facts(races, "date", "meet", "event", "sex", "athlete", "place", "time") == [
        ("2022-06-16", "Bislett Games", "1500m", "M", "Jakob Ingebrigtsen", 1, "3:29.38"),
        ("2022-06-16", "Bislett Games", "1500m", "M", "Josh Kerr", 2, "3:30.10"),
        ("2022-06-16", "Bislett Games", "1500m", "M", "Anthony Woods", None, "DNF"),
        ("2022-06-16", "Bislett Games", "1500m", "M", "Narve Gilje Nordås", None, "DQ"),
    ]
    guesses = " | ".join(report["sources"][0]["guesses"])
    assert "column 'Name' read as athlete" in guesses and "decimal comma" in guesses
    assert "'Kerr, Josh' -> 'Josh Kerr'" in guesses and "'INGEBRIGTSEN Jakob' -> 'Jakob Ingebrigtsen'" in guesses


def test_a_headerless_tab_separated_file_with_columns_named_and_mapped(runner, tmp_path):
    text = ("Kerr Josh\tNew Mexico\tNCAA Indoor\t03/11/2017\t1\t2\tSR\t\tMile\t3:57.51\n"
            "Joe Smith\tOregon\tNCAA Indoor\t03/11/2017\t1\t2\tSR\t\tMile\t238.2\n"
            "Sam Prakel\tOregon\tNCAA Indoor\t03/13/2017\t1\t2\tSR\t\tOne Mile\t4:01.1h\n")
    f = write(tmp_path / "tfrrs.csv", text)
    report, races, stderr = imported(runner, tmp_path, f, "--columns",
                                     "name,school,meet,date,id,school_id,grade,wind,event,time", "--map", "name=athlete")
    assert facts(races, "date", "event", "athlete", "place", "time", "source") == [
        ("2017-03-11", "Mile", "Kerr Josh", 1, "3:57.51", "tfrrs.csv:1"),
        ("2017-03-11", "Mile", "Joe Smith", 2, "3:58.20", "tfrrs.csv:2"),  # seconds as a number, places by time
        ("2017-03-13", "Mile", "Sam Prakel", 1, "4:01.1h", "tfrrs.csv:3"),
    ]
    guesses = " | ".join(report["sources"][0]["guesses"])
    assert "read month first" in guesses and "238.2 -> 3:58.20" in guesses
    assert "columns ignored (not miler's, not mapped): school, id, school_id, grade, wind" in " ".join(
        report["sources"][0]["notes"])


def test_day_and_month_no_date_decides_are_asked_for_and_nothing_is_written(runner, tmp_path):
    f = write(tmp_path / "club.csv", "date,meet,event,athlete,time\n01/02/2024,Club,800m,Ann Lee,2:10.00\n"
                                     "03/04/2024,Club,800m,Ann Lee,2:09.00\n")
    out = tmp_path / "out.csv"
    result = run(runner, "import", f, "-o", out)
    assert result.exit_code == 1 and "club.csv" in result.stderr and "--date-format" in result.stderr
    assert not out.exists()
    report, races, _ = imported(runner, tmp_path, f, "--date-format", "DD/MM/YYYY")
    assert facts(races, "date") == [("2024-02-01",), ("2024-04-03",)]


def test_rows_that_are_not_race_results_are_left_out_each_with_its_reason(runner, tmp_path):
    text = ("date,meet,event,athlete,place,time\n"
            "2024-06-01,Club,1500m,Ann Lee,1,4:10.00\n"
            "2024-06-01,Club,Long Jump,Ann Lee,1,6.10\n"
            "2024-06-01,Club,4x400m,Club A,1,3:40.00\n"
            "2024-06-01,Club,1500m,Bea Moss,2,4:12.00+\n"
            "2024-06-01,Club,1500m,Cat Ng,,NM\n"
            "not a date,Club,1500m,Dee Ray,3,4:20.00\n"
            "2024-06-01,Club,1500m,Eve Poe,4,0:59.00\n")
    report, races, stderr = imported(runner, tmp_path, write(tmp_path / "club.csv", text))
    assert facts(races, "athlete") == [("Ann Lee",)]
    why = reasons(report)
    assert why["a field event (miler keeps races)"] == ["club.csv:3"]
    assert why["a relay (a team's result, not an athlete's)"] == ["club.csv:4"]
    assert why["a split inside a longer race ('+')"] == ["club.csv:5"]
    assert why["no mark (NM/NT/NH): not a finish, not a DNF"] == ["club.csv:6"]
    assert why["a date that is not a date"] == ["club.csv:7"]
    assert why["a mark impossible for its event"] == ["club.csv:8"]
    assert report["sources"][0]["read"] == 7 and report["sources"][0]["kept"] == 1


def test_the_text_report_goes_to_stderr(runner, tmp_path, wa_list):
    result = run(runner, "import", wa_list, "--set", "event=1500m", "-o", tmp_path / "out.csv")
    assert result.exit_code == 0 and result.stdout == ""
    err = result.stderr
    assert "wa-2022.csv: World Athletics toplist (header Rank,Mark,Competitor" in err
    assert "9 rows read, 7 kept, 2 left out" in err
    assert "left out 1: no position" in err and ":4" in err
    assert "guess: names written 'Given FAMILY'" in err
    assert "wrote 7 rows" in err


def test_an_existing_output_is_kept_without_force(runner, tmp_path, wa_list):
    out = write(tmp_path / "out.csv", "mine\n")
    result = run(runner, "import", wa_list, "--set", "event=1500m", "-o", out)
    assert result.exit_code == 1 and "already exists" in result.stderr and out.read_text() == "mine\n"
    assert run(runner, "import", wa_list, "--set", "event=1500m", "-o", out, "--force").exit_code == 0
    assert out.read_text().startswith("date,meet,")


def test_bad_options_are_usage_errors(runner, tmp_path, wa_list):
    for args in (["--set", "colour=red"], ["--set", "event"], ["--map", "Name"], ["--from", "nonsense"],
                 ["--columns", "a,,b"], ["--date-format", "YYYY"]):
        result = run(runner, "import", wa_list, "-o", tmp_path / "x.csv", *args)
        assert result.exit_code == 2, (args, result.stderr)
    assert not (tmp_path / "x.csv").exists()


def test_a_map_naming_no_column_is_an_error_naming_the_columns(runner, tmp_path):
    f = write(tmp_path / "t.csv", "Date,Meet,Event,Name,Result\n2024-06-01,Club,800m,Ann Lee,2:10.00\n")
    result = run(runner, "import", f, "--map", "Runner=athlete", "-o", tmp_path / "x.csv")
    assert result.exit_code == 1 and "no column 'Runner'" in result.stderr and "Name" in result.stderr


def test_a_table_missing_what_a_dataset_needs_says_how_to_give_it(runner, tmp_path):
    f = write(tmp_path / "t.csv", "Name,Result\nAnn Lee,2:10.00\n")
    result = run(runner, "import", f, "-o", tmp_path / "x.csv")
    assert result.exit_code == 1
    assert "no column for date, meet, event" in result.stderr and "--set COLUMN=VALUE" in result.stderr
    report, races, _ = imported(runner, tmp_path, f, "--set", "date=2024-06-01", "--set", "meet=Club",
                                "--set", "event=800m")
    assert facts(races, "date", "meet", "event", "athlete", "time") == [
        ("2024-06-01", "Club", "800m", "Ann Lee", "2:10.00")]


def test_from_forces_a_kind(runner, tmp_path, wa_list):
    result = run(runner, "import", wa_list, "--from", "athlib", "-o", tmp_path / "x.csv")
    assert result.exit_code == 1 and "not JSON" in result.stderr
    report, _, _ = imported(runner, tmp_path, wa_list, "--from", "wa", "--set", "event=1500m")
    assert report["sources"][0]["how"] == "given with --from"


@pytest.mark.parametrize("suffix, engine", [(".xlsx", "openpyxl"), (".ods", "odf")])
def test_a_spreadsheet_with_mapped_columns_and_set_values(runner, tmp_path, suffix, engine):
    pytest.importorskip(engine)
    import datetime as dt

    frame = pd.DataFrame({"Date": [dt.datetime(2024, 6, 1), dt.datetime(2024, 6, 1)], "Meet": ["Club Champs"] * 2,
                          "Name": ["Anna Smith", "Beth Jones"], "Result": [125.3, "2:07.05"], "Position": [1, 2]})
    f = tmp_path / f"squad{suffix}"
    frame.to_excel(f, index=False, engine=engine)
    report, races, _ = imported(runner, tmp_path, f, "--map", "Name=athlete", "--map", "Result=time",
                                "--set", "event=800m", "--set", "sex=W")
    assert facts(races, "date", "meet", "event", "sex", "athlete", "place", "time", "source") == [
        ("2024-06-01", "Club Champs", "800m", "W", "Anna Smith", 1, "2:05.30", f"squad{suffix}:2"),
        ("2024-06-01", "Club Champs", "800m", "W", "Beth Jones", 2, "2:07.05", f"squad{suffix}:3"),
    ]


def athlib(tmp_path, events, **top):
    data = {"name": "Test Open, Main Stadium", "city": "Oslo", "country": "NOR", "events": events, **top}
    return write(tmp_path / "comp.json", json.dumps(data))


@pytest.mark.parametrize("result_key, given, family, mark, rank", [
    ("result", "givenName", "familyName", "performance", "1"),
    ("results", "firstname", "lastname", "mark", 1),
    ("results", "first_name", "last_name", "time", "1"),
])
def test_athlib_json_in_its_versions_field_names(runner, tmp_path, result_key, given, family, mark, rank):
    events = [{"name": "1500 m Women", "gender": "W", "date": "2024-06-01", "round": "FINAL", "roundName": None,
               result_key: [{given: "Ann", family: "LEE", mark: "4:10.00", "rank": rank, "country": "NOR"},
                            {given: "Bea", family: "Moss", mark: "DNF", "rank": None, "country": "GBR"}]}]
    report, races, _ = imported(runner, tmp_path, athlib(tmp_path, events))
    assert facts(races, "date", "meet", "city", "event", "round", "sex", "athlete", "nat", "place", "time", "source") == [
        ("2024-06-01", "Test Open", "Oslo", "1500m", "final", "W", "Ann Lee", "NOR", 1, "4:10.00",
         f"comp.json#events[0].{result_key}[0]"),
        ("2024-06-01", "Test Open", "Oslo", "1500m", "final", "W", "Bea Moss", "GBR", None, "DNF",
         f"comp.json#events[0].{result_key}[1]"),
    ]


def test_athlib_json_leaves_out_combined_events_and_relays(runner, tmp_path):
    events = [
        {"name": "1500 m Men", "gender": "M", "date": "2024-06-02", "round": "HEAT", "roundName": "Heat 2",
         "result": [{"givenName": "Abe", "familyName": "Cole", "performance": "3:40.00", "rank": "1"}]},
        {"name": "1500 m Men", "athlon": "Decathlon", "gender": "M", "date": "2024-06-02", "round": "HEAT",
         "roundName": "Heat 1", "result": [{"givenName": "Dec", "familyName": "Athlete", "performance": "4:30.00",
                                            "rank": "1"}]},
        {"name": "4x400 m Men", "gender": "M", "date": "2024-06-02", "round": "FINAL",
         "result": [{"teamCode": "NOR", "performance": "3:01.00", "rank": "1", "runners": []}]},
    ]
    report, races, _ = imported(runner, tmp_path, athlib(tmp_path, events))
    assert facts(races, "athlete", "round") == [("Abe Cole", "heat 2")]
    why = reasons(report)
    assert why["part of a combined event (decathlon, heptathlon)"] == ["comp.json#events[1].result[0]"]
    assert why["a relay (a team's result, not an athlete's)"] == ["comp.json#events[2].result[0]"]


def test_diamond_league_json_takes_its_meet_from_its_name(runner, tmp_path):
    data = {"Diamond Discipline": [{"title": "Women's 800m - 16.06.2022", "detail": "Final", "category": "x",
                                    "data": [{"place": "1.", "athlete": "Ann LEE", "nat": "NOR", "mark": "1:58.00"},
                                             {"place": "", "athlete": "Bea MOSS", "nat": "GBR", "mark": "DNF"}]}],
            "Split times": [{"title": "Men's 1500m - 16.06.2022", "detail": "Final", "category": "x",
                             "data": [{"place": "1.", "athlete": "Abe COLE", "nat": "USA", "mark": "3:33.00"}]}]}
    f = write(tmp_path / "2022_18.json", json.dumps(data))
    report, races, _ = imported(runner, tmp_path, f)
    assert facts(races, "date", "meet", "city", "level", "event", "sex", "athlete", "place", "time") == [
        ("2022-06-16", "Bislett Games", "Oslo", "diamond-league", "800m", "W", "Ann Lee", 1, "1:58.00"),
        ("2022-06-16", "Bislett Games", "Oslo", "diamond-league", "800m", "W", "Bea Moss", None, "DNF"),
    ]
    assert reasons(report)["a split inside a longer race (the file's 'Split times')"] == [
        '2022_18.json#["Split times"][0].data[0]']


def test_a_json_export_of_miler_reads_back_through_data(runner, small_dir, tmp_path):
    out = tmp_path / "export.json"
    assert run(runner, "export", "--data", small_dir, "-o", out).exit_code == 0
    direct = json.loads(run(runner, "h2h", "kerr", "jakob", "--data", small_dir, "-f", "json").stdout)
    result = run(runner, "h2h", "kerr", "jakob", "--data", out, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == direct


def test_a_list_reads_straight_through_data(runner, tmp_path, wa_list):
    result = run(runner, "athletes", "--data", wa_list, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "Jakob Ingebrigtsen" in result.stdout and "Josh Kerr" in result.stdout
    assert "read as World Athletics toplist: 7 of 9 rows" in result.stderr


def test_an_unknown_json_is_an_error_saying_what_miler_reads(runner, tmp_path):
    f = write(tmp_path / "x.json", '{"a": 1}')
    result = run(runner, "import", f, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1 and "not a schema miler knows" in result.stderr


def test_formats_lists_every_kind_with_how_it_is_recognised(runner):
    result = run(runner, "formats", "-f", "json")
    kinds = {k["kind"]: k["recognised"] for k in json.loads(result.stdout)}
    assert set(kinds) == {"miler", "worldathletics", "athlib", "diamondleague", "table"}
    assert "Rank,Mark,Competitor" in kinds["worldathletics"]
    assert "worldathletics: World Athletics toplist" in run(runner, "formats").stdout


def test_data_loads_several_sources_and_a_list_of_one(small_dir):
    assert len(load([small_dir]).races) == len(load(small_dir).races)


def test_an_indoor_column_and_an_indoor_event_name_make_indoor_races(runner, tmp_path):
    f = write(tmp_path / "t.csv", "date,meet,event,athlete,time,indoor\n"
                                  "2024-02-01,Millrose,Mile,Ann Lee,4:30.00,yes\n"
                                  "2024-02-02,Boston,Mile (i),Ann Lee,4:31.00,\n"
                                  "2024-06-02,Oslo,Mile,Ann Lee,4:29.00,\n")
    _, races, _ = imported(runner, tmp_path, f)
    assert facts(races, "meet", "event", "indoor") == [("Millrose", "Mile", True), ("Boston", "Mile", True),
                                                        ("Oslo", "Mile", False)]


def test_a_file_in_another_schema_given_to_data_is_cached_like_a_large_csv(tmp_path, wa_list, monkeypatch):
    from miler.dataset import cache

    first = load([wa_list])
    assert list(cache.cache_dir().glob("races-*.arrow"))
    monkeypatch.setattr("miler.dataset.importing.read_source", lambda *a: pytest.fail("read again"))
    again = load([wa_list])
    pd.testing.assert_frame_equal(first.races, again.races)
    assert again.warnings == first.warnings


def test_a_file_with_no_race_result_writes_nothing_and_says_why(runner, tmp_path):
    f = write(tmp_path / "field.csv", "date,meet,event,athlete,time\n2024-06-01,Club,Long Jump,Ann Lee,6.10\n")
    out = tmp_path / "out.csv"
    result = run(runner, "import", f, "-o", out)
    assert result.exit_code == 1 and "nothing imported" in result.stderr and "a field event" in result.stderr
    assert not out.exists()


def test_set_values_are_checked_before_reading(runner, tmp_path, wa_list):
    for bad in ("level=mundial", "sex=X"):
        result = run(runner, "import", wa_list, "--set", bad, "-o", tmp_path / "x.csv")
        assert result.exit_code == 2 and bad.split("=")[0] in result.stderr


def test_a_mark_faster_than_the_world_record_is_kept_with_a_note(runner, tmp_path):
    # a new record must be importable; only a mark beyond any human is left out
    src = write(tmp_path / "squad.csv", "Name,Date,Competition,Event,Result,Pos\n"
                "Josh Kerr,2026-07-01,Some Meet,1500m,3:25.10,1\n"
                "Jakob Ingebrigtsen,2026-07-01,Some Meet,1500m,3:26.50,2\n"
                "Cole Hocker,2026-07-01,Some Meet,1500m,3:05.00,3\n")
    report, races, _ = imported(runner, tmp_path, src, "--map", "Name=athlete", "--map", "Result=time",
                                "--map", "Competition=meet", "--map", "Pos=place")
    assert facts(races, "athlete", "time") == [("Josh Kerr", "3:25.10"), ("Jakob Ingebrigtsen", "3:26.50")]
    source = report["sources"][0]
    assert "squad.csv:2: time 3:25.10: 3:25.10 is faster than the 1500m world record (3:26.00): " \
           "a new record, or a wrong mark?" in source["notes"]
    assert [r["where"] for d in source["dropped"] for r in d["rows"]] == ["squad.csv:4"]
