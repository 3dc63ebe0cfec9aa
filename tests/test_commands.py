"""Every analysis command through the CLI, in every format, on a small hand-made dataset.

Data goes to stdout (JSON and CSV are parsed back and checked), notes and errors to stderr;
exit code 0 for success, 1 for a lookup or an empty result (named in the message), 2 for usage.
"""

import csv
import io
import json

import pytest
from conftest import race, write_dataset

from miler.cli import app

K, J, N, H = "Josh Kerr", "Jakob Ingebrigtsen", "Yared Nuguse", "Cole Hocker"
F = "Filip Ingebrigtsen"
NORDAS = "Narve Gilje Nordås"


def at(city, country, level="diamond-league", **kw):
    return dict(city=city, country=country, level=level, **kw)


RACES = (
    race("2023-06-10", "Bislett Games", "1500m",
         [(J, "NOR", 1, "3:28.00"), (K, "GBR", 2, "3:29.00"), (N, "USA", 3, "3:29.50"), (F, "NOR", 4, "3:30.00")],
         **at("Oslo", "NOR"))
    + race("2023-08-20", "World Championships", "1500m", [(J, "NOR", 1, "3:32.94"), (K, "GBR", 2, "3:33.00")],
           round="semi-final 1", **at("Budapest", "HUN", "worlds"))
    + race("2023-08-23", "World Championships", "1500m",
           [(K, "GBR", 1, "3:29.38"), (J, "NOR", 2, "3:29.65"), (H, "USA", 3, "3:30.70")],
           **at("Budapest", "HUN", "worlds"))
    + race("2023-09-16", "Prefontaine Classic", "Mile", [(J, "NOR", 1, "3:43.73"), (N, "USA", 2, "3:43.97")],
           **at("Eugene", "USA"))
    + race("2024-05-25", "Prefontaine Classic", "Mile",
           [(K, "GBR", 1, "3:45.34"), (J, "NOR", 2, "3:45.60"), (N, "USA", "", "DNF")], **at("Eugene", "USA"))
    + race("2024-07-07", "Meeting de Paris", "1500m",
           [(J, "NOR", 1, "3:29.00"), (NORDAS, "NOR", 2, "3:30.00"), (K, "GBR", "", "DNF")], **at("Paris", "FRA"))
    + race("2024-07-16", "Kamila Skolimowska Memorial", "1500m", [(J, "NOR", 1, "3:26.79"), (K, "GBR", "", "DNS")],
           **at("Chorzów", "POL"))
    + race("2024-08-06", "Olympic Games", "1500m",
           [(H, "USA", 1, "3:27.65"), (K, "GBR", 2, "3:27.79"), (N, "USA", 3, "3:27.80"), (J, "NOR", 4, "3:28.24")],
           **at("Paris", "FRA", "olympics"))
    + race("2024-09-12", "Memorial Van Damme", "1500m", [(K, "GBR", 1, "3:30.00"), (J, "NOR", "", "DNF")],
           **at("Brussels", "BEL"))
)

QUOTES = """\
- date: 2023-08-23
  speaker: Josh Kerr
  about: [Jakob Ingebrigtsen]
  occasion: BBC
  text: I knew I had him
  topics: [world-championships]
  source: [bbc.co.uk]
- date: 2023-08-27
  speaker: Jakob Ingebrigtsen
  about: [Josh Kerr]
  occasion: World Championships mixed zone
  text: he was just the next guy.
  topics: [just-the-next-guy]
  source: [b.txt]
- date: 2024-04-02
  speaker: Jakob Ingebrigtsen
  about: [Narve Gilje Nordås]
  occasion: TV2
  text: Nordås ran a great race
  topics: [teammates]
  source: [tv2.no]
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("cli"), RACES, QUOTES)


@pytest.fixture
def miler(runner, data):
    """Run miler on the dataset: miler("h2h", "kerr", "jakob", "-f", "json")."""

    def run(*args):
        return runner.invoke(app, [str(a) for a in args] + ["--data", str(data)])

    return run


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def as_csv(result):
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


# --- every command, every format ---------------------------------------------------------

# command line, and a fact the table and Markdown must show
COMMANDS = {
    "h2h": (["h2h", "kerr", "jakob"], "Josh Kerr 4 – 3 Jakob Ingebrigtsen"),
    "h2h group": (["h2h", "kerr", "jakob", "nuguse", "hocker"], "Cole Hocker"),
    "gaps of a race": (["gaps", "budapest", "--round", "final"], "+1.32"),
    "gaps of two": (["gaps", "kerr", "jakob"], "-0.27"),
    "meet": (["meet", "budapest", "--event", "1500m", "--round", "final"], "Cole Hocker"),
    "meets": (["meets"], "Kamila Skolimowska Memorial"),
    "athletes": (["athletes"], NORDAS),
    "events": (["events"], "Mile"),
    "progression": (["progression", "kerr", "jakob", "--event", "1500m"], "3:26.79"),
    "season": (["progression", "kerr", "--season", "2024"], "3:45.34"),
    "quotes": (["quotes"], "just the next guy"),
    "timeline": (["timeline", "kerr", "jakob"], "Kerr 4–3 Ingebrigtsen"),
}


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_prints_every_format_on_stdout_with_nothing_on_stderr(miler, name, fmt):
    args, fact = COMMANDS[name]
    result = miler(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    if fmt == "json":
        assert json.loads(out)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(None not in row and None not in row.values() for row in rows)  # rectangular
    else:
        assert fact in out
        assert "\x1b[" not in out  # no colour codes when stdout is not a terminal
        assert ("|---" in out) == (fmt == "markdown")


# --- h2h -----------------------------------------------------------------------------------


def test_h2h_json_has_the_record_every_meeting_and_what_the_table_shows(miler):
    data = as_json(miler("h2h", "kerr", "jakob", "-f", "json"))
    assert data["athletes"] == [K, J]
    assert data["wins"] == {K: 4, J: 3}
    # Chorzów: Kerr did not start, so they did not meet
    assert [m["meet"] for m in data["meetings"]] == [
        "Bislett Games", "World Championships", "World Championships", "Prefontaine Classic", "Meeting de Paris",
        "Olympic Games", "Memorial Van Damme"]
    assert [m["gap"] for m in data["meetings"]] == [1.0, 0.06, -0.27, -0.26, None, -0.45, None]
    assert {"date", "meet", "event", "round", "winner", "gap"} <= set(data["meetings"][0])
    assert data["by_event"]["Mile"] == {"meetings": 1, "wins": {K: 1, J: 0}, "ties": 0}
    assert data["by_level"]["championships"] == {"meetings": 3, "wins": {K: 2, J: 1}, "ties": 0}
    assert data["streak"] == {"athlete": K, "count": 2}
    assert data["last_meeting"]["meet"] == "Memorial Van Damme" and data["last_meeting"]["winner"] == K
    assert data["margins"][K] == {"average": 0.33, "largest": 0.45}


def test_h2h_csv_is_one_row_per_meeting_with_raw_places_and_marks(miler):
    rows = as_csv(miler("h2h", "kerr", "jakob", "-f", "csv"))
    assert len(rows) == 7
    final = rows[2]
    assert (final["date"], final["round"], final["winner"], final["gap"]) == (
        "2023-08-23", "final", K, "-0.27")
    assert (final["place_a"], final["time_a"], final["place_b"], final["time_b"]) == ("1", "3:29.38", "2", "3:29.65")
    paris = rows[4]
    assert paris["time_a"] == "DNF" and paris["place_a"] == "" and paris["gap"] == "" and paris["winner"] == J


def test_h2h_table_states_the_streak_and_the_last_meeting(miler):
    out = miler("h2h", "kerr", "jakob").stdout
    assert "Josh Kerr has won the last 2" in out
    assert "Last meeting: 2024-09-12 Memorial Van Damme" in out
    assert "Kamila" not in out


def test_h2h_filters_narrow_the_meetings(miler):
    data = as_json(miler("h2h", "kerr", "jakob", "--level", "championships", "-f", "json"))
    assert data["wins"] == {K: 2, J: 1}
    data = as_json(miler("h2h", "kerr", "jakob", "--event", "mile", "-f", "json"))
    assert [m["meet"] for m in data["meetings"]] == ["Prefontaine Classic"]
    data = as_json(miler("h2h", "kerr", "jakob", "--year", "2024", "--finals-only", "-f", "json"))
    assert len(data["meetings"]) == 4


def test_h2h_swapped_flips_every_gap_and_keeps_the_record(miler):
    ab = as_json(miler("h2h", "kerr", "jakob", "-f", "json"))
    ba = as_json(miler("h2h", "jakob", "kerr", "-f", "json"))
    assert ab["wins"] == ba["wins"]
    assert [m["gap"] for m in ab["meetings"]] == [None if m["gap"] is None else -m["gap"] for m in ba["meetings"]]


def test_a_shared_surname_is_a_note_on_stderr_and_the_json_still_parses(miler):
    result = miler("h2h", "kerr", "ingebrigtsen", "-f", "json")
    assert as_json(result)["athletes"] == [K, J]
    assert "also matches Filip Ingebrigtsen" in result.stderr


def test_h2h_of_four_json_has_the_matrix_and_each_ones_result(miler):
    data = as_json(miler("h2h", "kerr", "jakob", "nuguse", "hocker", "-f", "json"))
    assert data["athletes"] == [K, J, N, H]
    assert data["matrix"][K] == {J: 4, N: 3, H: 1}
    assert data["matrix"][N] == {K: 0, J: 1, H: 0}
    assert data["wins"] == {K: 8, J: 7, N: 1, H: 3}
    olympics = next(m for m in data["meetings"] if m["meet"] == "Olympic Games")
    assert olympics["winner"] == H and olympics["gap"] == -0.14  # Hocker 0.14 ahead of the next of them
    assert olympics["results"][K] == {"place": 2, "time": "3:27.79"}
    assert data["meetings"][0]["results"][H] == {"place": None, "time": None}  # not in that race


def test_h2h_of_four_csv_has_a_place_and_time_column_per_athlete(miler):
    rows = as_csv(miler("h2h", "kerr", "jakob", "nuguse", "hocker", "-f", "csv"))
    assert len(rows) == 8  # Chorzów: Ingebrigtsen alone, Kerr DNS
    for name in (K, J, N, H):
        assert f"place:{name}" in rows[0] and f"time:{name}" in rows[0]
    pre = rows[4]
    assert pre[f"time:{N}"] == "DNF" and pre[f"place:{N}"] == "" and pre["winner"] == K


# --- gaps ----------------------------------------------------------------------------------


def test_gaps_of_a_race_json_has_gaps_to_the_winner_and_the_one_ahead(miler):
    rows = as_json(miler("gaps", "budapest", "--round", "final", "-f", "json"))
    assert [r["athlete"] for r in rows] == [K, J, H]
    assert [r["gap_winner"] for r in rows] == [0.0, 0.27, 1.32]
    assert [r["gap_winner_pct"] for r in rows] == [0.0, 0.13, 0.63]
    assert [r["gap_ahead"] for r in rows] == [None, 0.27, 1.05]


def test_gaps_of_a_race_csv_reads_back(miler):
    rows = as_csv(miler("gaps", "budapest", "--round", "final", "-f", "csv"))
    assert [(r["place"], r["athlete"], r["time"], r["gap_winner"]) for r in rows] == [
        ("1", K, "3:29.38", "0.0"), ("2", J, "3:29.65", "0.27"), ("3", H, "3:30.70", "1.32")]


def test_gaps_of_two_json_has_every_race_both_finished_and_the_trend(miler):
    data = as_json(miler("gaps", "kerr", "jakob", "-f", "json"))
    assert data["athletes"] == [K, J]
    assert [g["gap"] for g in data["gaps"]] == [1.0, 0.06, -0.27, -0.26, -0.45]  # no DNF
    assert data["trend_pct_per_year"] < 0  # Kerr gaining
    swapped = as_json(miler("gaps", "jakob", "kerr", "-f", "json"))
    assert swapped["trend_pct_per_year"] > 0
    assert [g["gap"] for g in swapped["gaps"]] == [-1.0, -0.06, 0.27, 0.26, 0.45]


def test_gaps_of_two_table_says_who_is_gaining(miler):
    out = miler("gaps", "kerr", "jakob").stdout
    assert "Kerr gaining" in out


# --- meet ----------------------------------------------------------------------------------


def test_meet_json_is_a_list_of_rows_with_place_athlete_nat_time_and_gap(miler):
    result = miler("meet", "paris 2024", "--event", "1500m", "--round", "final", "-f", "json")
    rows = as_json(result)
    assert [(r["place"], r["athlete"], r["nat"], r["time"], r["gap"]) for r in rows] == [
        (1, H, "USA", "3:27.65", 0.0), (2, K, "GBR", "3:27.79", 0.14), (3, N, "USA", "3:27.80", 0.15),
        (4, J, "NOR", "3:28.24", 0.59)]
    assert result.stderr.strip() == "note: taking Olympic Games 2024; also matches Meeting de Paris 2024"


def test_meet_csv_has_every_race_of_the_meet_with_its_round(miler):
    rows = as_csv(miler("meet", "budapest", "-f", "csv"))
    assert [(r["round"], r["athlete"]) for r in rows] == [
        ("semi-final 1", J), ("semi-final 1", K), ("final", K), ("final", J), ("final", H)]


def test_meet_markdown_has_a_heading_per_race(miler):
    out = miler("meet", "pre classic 2024", "-f", "markdown").stdout
    assert "### Prefontaine Classic, Eugene — Mile final, 2024-05-25" in out
    assert "| DNF |" in out


def test_the_bowerman_mile_is_the_latest_edition_with_a_note(miler):
    result = miler("meet", "bowerman mile", "-f", "json")
    assert {r["date"] for r in as_json(result)} == {"2024-05-25"}
    assert "Prefontaine Classic 2023" in result.stderr


def test_an_ambiguous_meet_takes_the_latest_edition_with_a_note(miler):
    result = miler("meet", "memorial 2024", "-f", "json")
    assert result.exit_code == 0 and {r["meet"] for r in as_json(result)} == {"Memorial Van Damme"}
    assert "note: taking Memorial Van Damme 2024; also matches Kamila Skolimowska Memorial 2024" in result.stderr


def test_an_unknown_meet_exits_1_pointing_to_miler_meets(miler):
    result = miler("meet", "london")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no meet matches 'london'" in result.stderr and "miler meets" in result.stderr
    assert "Traceback" not in result.stderr


# --- meets, athletes, events ---------------------------------------------------------------


def test_meets_json_lists_each_edition_with_counts(miler):
    rows = as_json(miler("meets", "-f", "json"))
    assert len(rows) == 8
    assert rows[0] == {"meet": "Bislett Games", "year": 2023, "city": "Oslo", "country": "NOR",
                       "level": "diamond-league", "first": "2023-06-10", "last": "2023-06-10", "races": 1,
                       "athletes": 4}
    worlds = next(r for r in rows if r["meet"] == "World Championships")
    assert (worlds["first"], worlds["last"], worlds["races"]) == ("2023-08-20", "2023-08-23", 2)


def test_meets_filtered_by_year_and_level(miler):
    assert [r["meet"] for r in as_csv(miler("meets", "--year", "2023", "-f", "csv"))] == [
        "Bislett Games", "World Championships", "Prefontaine Classic"]
    assert [r["meet"] for r in as_json(miler("meets", "--level", "championships", "-f", "json"))] == [
        "World Championships", "Olympic Games"]


def test_athletes_json_counts_races_started_and_wins(miler):
    rows = {r["athlete"]: r for r in as_json(miler("athletes", "-f", "json"))}
    assert set(rows) == {K, J, N, H, F, NORDAS}
    assert (rows[K]["races"], rows[K]["wins"]) == (7, 3)  # the DNS at Chorzów is no race
    assert (rows[J]["races"], rows[J]["wins"]) == (9, 5)
    assert rows[N]["events"] == "1500m, Mile"


def test_athletes_filtered_by_event(miler):
    rows = as_csv(miler("athletes", "--event", "Mile", "-f", "csv"))
    assert [r["athlete"] for r in rows] == [J, N, K]  # most races first: 2, 2, 1 (then by name)


def test_events_csv_lists_each_event_with_counts(miler):
    rows = as_csv(miler("events", "-f", "csv"))
    assert [(r["event"], r["races"], r["athletes"]) for r in rows] == [("1500m", "7", "6"), ("Mile", "2", "3")]


# --- progression ---------------------------------------------------------------------------


def test_progression_json_has_season_bests_and_the_pb_progression(miler):
    data = as_json(miler("progression", "kerr", "jakob", "--event", "1500m", "-f", "json"))
    assert data["event"] == "1500m"
    bests = [(s["athlete"], s["year"], s["time"], s["change"], s["pb"]) for s in data["season_bests"]]
    assert bests == [(K, 2023, "3:29.00", None, True), (K, 2024, "3:27.79", -1.21, True),
                     (J, 2023, "3:28.00", None, True), (J, 2024, "3:26.79", -1.21, True)]
    assert [(p["athlete"], p["time"]) for p in data["pb_progression"]] == [
        (K, "3:29.00"), (K, "3:27.79"), (J, "3:28.00"), (J, "3:26.79")]


def test_progression_by_default_is_the_event_with_most_marks(miler):
    data = as_json(miler("progression", "nuguse", "-f", "json"))
    assert data["event"] == "1500m"
    assert as_json(miler("progression", "nuguse", "--event", "mile", "-f", "json"))["event"] == "Mile"


def test_progression_csv_is_the_season_bests(miler):
    rows = as_csv(miler("progression", "kerr", "--event", "1500m", "-f", "csv"))
    assert [(r["year"], r["time"], r["meet"], r["races"]) for r in rows] == [
        ("2023", "3:29.00", "Bislett Games", "3"), ("2024", "3:27.79", "Olympic Games", "3")]


def test_a_season_json_lists_every_race_with_the_season_best_as_it_stood(miler):
    rows = as_json(miler("progression", "kerr", "--season", "2024", "--event", "1500m", "-f", "json"))
    assert [(r["meet"], r["time"], r["new_sb"]) for r in rows] == [
        ("Meeting de Paris", "DNF", False), ("Kamila Skolimowska Memorial", "DNS", False),
        ("Olympic Games", "3:27.79", True), ("Memorial Van Damme", "3:30.00", False)]
    assert rows[-1]["sb"] == "3:27.79"


def test_progression_plot_charts_each_athlete_by_name(miler):
    result = miler("progression", "kerr", "jakob", "--event", "1500m", "--plot")
    assert result.exit_code == 0, result.stderr
    assert K in result.stdout and J in result.stdout
    assert "2023" in result.stdout and "2024" in result.stdout


def test_a_season_is_for_one_athlete_a_usage_error(miler):
    result = miler("progression", "kerr", "jakob", "--season", "2024")
    assert result.exit_code == 2 and "--season takes one athlete" in result.stderr


# --- quotes and timeline -------------------------------------------------------------------


def test_quotes_json_filtered_by_speaker_and_about_names_resolved(miler):
    rows = as_json(miler("quotes", "--speaker", "jakob", "--about", "kerr", "-f", "json"))
    assert rows == [{"date": "2023-08-27", "speaker": J, "about": [K], "occasion": "World Championships mixed zone",
                     "publication": "", "url": "", "text": "he was just the next guy.", "topics": ["just-the-next-guy"], "source": ["b.txt"]}]


def test_quotes_by_part_of_a_topic_and_by_words_ignoring_accents(miler):
    assert [r["text"] for r in as_csv(miler("quotes", "--topic", "next guy", "-f", "csv"))] == [
        "he was just the next guy."]
    rows = as_csv(miler("quotes", "--search", "NORDAS RAN", "-f", "csv"))
    assert [(r["speaker"], r["about"]) for r in rows] == [(J, NORDAS)]


def test_quotes_come_in_date_order(miler):
    dates = [r["date"] for r in as_json(miler("quotes", "-f", "json"))]
    assert dates == sorted(dates) and len(dates) == 3


def test_timeline_json_is_races_and_words_in_date_order_with_the_running_record(miler):
    rows = as_json(miler("timeline", "kerr", "jakob", "-f", "json"))
    assert [(r["date"], r["kind"]) for r in rows[:5]] == [
        ("2023-06-10", "race"), ("2023-08-20", "race"), ("2023-08-23", "race"), ("2023-08-23", "quote"),
        ("2023-08-27", "quote")]
    assert [r["record"] for r in rows if r["kind"] == "race"][-1] == "Kerr 4–3 Ingebrigtsen"
    assert "Kamila" not in json.dumps(rows) and "Nordås ran" not in json.dumps(rows, ensure_ascii=False)


def test_timeline_since_a_date(miler):
    rows = as_csv(miler("timeline", "kerr", "jakob", "--since", "2024-01-01", "-f", "csv"))
    assert [r["date"] for r in rows] == ["2024-05-25", "2024-07-07", "2024-08-06", "2024-09-12"]


# --- nothing found, and usage errors --------------------------------------------------------

EMPTY = [
    (["h2h", "kerr", "jakob", "--year", "2019"], "year 2019"),
    (["h2h", "kerr", "jakob", "nuguse", "--event", "800m"], "event 800m"),
    (["gaps", "kerr", "jakob", "--level", "europeans"], "level europeans"),
    (["meet", "budapest", "--event", "800m"], "held no 800m"),
    (["meets", "--since", "2030-01-01"], "since 2030-01-01"),
    (["athletes", "--year", "2022"], "year 2022"),
    (["events", "--indoor"], "indoor"),
    (["progression", "kerr", "--until", "2020-12-31"], "until 2020-12-31"),
    (["progression", "kerr", "--season", "2022"], "2022"),
    (["quotes", "--speaker", "kerr", "--topic", "sickness"], "topic 'sickness'"),
    (["quotes", "--search", "olympic gold"], "text 'olympic gold'"),
    (["timeline", "kerr", "jakob", "--since", "2030-01-01"], "since 2030-01-01"),
    (["progression", "nuguse", "--event", "mile", "--level", "olympics"], "level olympics"),
]


@pytest.mark.parametrize("args, named", EMPTY)
def test_filters_that_leave_nothing_exit_1_with_a_message_naming_them(miler, args, named):
    result = miler(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert named in result.stderr and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_a_year_filter_picks_that_years_edition_of_a_meet(miler):
    rows = as_json(miler("gaps", "bowerman mile", "--year", "2023", "-f", "json"))
    assert {r["date"] for r in rows} == {"2023-09-16"}


@pytest.mark.parametrize(
    "args",
    [
        ["h2h", "kerr", "jakob", "--format", "xml"],
        ["h2h", "kerr"],
        ["timeline", "kerr"],
        ["meets", "--since", "last tuesday"],
        ["progression", "kerr", "--season", "twenty"],
    ],
)
def test_usage_errors_exit_2(miler, args):
    result = miler(*args)
    assert result.exit_code == 2 and result.stdout == ""


def test_an_unknown_level_is_a_usage_error_listing_the_known_ones(miler):
    result = miler("athletes", "--level", "olympic")
    assert result.exit_code == 2
    assert "unknown level 'olympic'" in result.stderr and "championships" in result.stderr


def test_an_unknown_athlete_in_any_command_exits_1_with_a_suggestion(miler):
    for args in (["progression", "kerrr"], ["timeline", "kerr", "ingebrigsten"], ["quotes", "--speaker", "zzz"]):
        result = miler(*args)
        assert result.exit_code == 1 and result.stdout == "", args
        assert "no athlete matches" in result.stderr
