"""--sources: each row's source, short in tables (the site, the repository file), whole in CSV
and JSON, on h2h, meet, gaps, athlete and timeline; absent without the option."""

import csv
import io
import json

import pytest
from conftest import QUOTE, race, write_csv, write_dataset

from miler.cli import app
from miler.display import short_source

K, J = "Josh Kerr", "Jakob Ingebrigtsen"
WA = "kmuchiri/AthleticScraper:datasets/split_by_discipline/male/1500-metres.csv"
LETSRUN = "https://www.letsrun.com/news/2023/08/budapest-1500-final/"
SEED = "002_9dec7954bfed7bee.txt"


def rows():
    budapest = race("2023-08-23", "World Championships", "1500m", [(K, "GBR", 1, "3:29.38"), (J, "NOR", 2, "3:29.65")],
                    level="worlds", city="Budapest")
    budapest[0]["source"], budapest[1]["source"] = LETSRUN, WA
    paris = race("2024-08-06", "Olympic Games", "1500m", [(K, "GBR", 2, "3:27.79"), (J, "NOR", 4, "3:28.24")],
                 level="olympics", city="Paris")
    for r in paris:
        r["source"] = SEED
    return budapest + paris




@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path, rows(), QUOTE)


def run(runner, data, *args):
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("source, short", [
    (LETSRUN, "letsrun.com"),
    ("http://world-track.org/results/x", "world-track.org"),
    (WA, "AthleticScraper:1500-metres.csv"),
    ("hpr/diamond-league-results:data/2019_25.json", "diamond-league-results:2019_25.json"),
    (SEED, SEED),
    ("results.csv:12", "results.csv:12"),
])
def test_a_source_in_short(source, short):
    assert short_source(source) == short


COMMANDS = [
    ["h2h", "kerr", "jakob"],
    ["meet", "budapest"],
    ["gaps", "kerr", "jakob"],
    ["athlete", "kerr"],
    ["timeline", "kerr", "jakob"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_sources_in_the_table_are_short(runner, data, command):
    out = run(runner, data, *command, "--sources")
    assert "source" in out
    assert "letsrun.com" in out and "https://" not in out
    assert "AthleticScraper:1500-metres.csv" in out or command[0] in ("athlete",)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_sources_in_json_are_whole(runner, data, command):
    out = run(runner, data, *command, "--sources", "-f", "json")
    assert LETSRUN in out
    found = json.loads(out)
    assert "source" in json.dumps(found)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_sources_in_csv_are_whole(runner, data, command):
    table = list(csv.DictReader(io.StringIO(run(runner, data, *command, "--sources", "-f", "csv"))))
    assert "source" in table[0]
    assert any(LETSRUN in row["source"] for row in table)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_without_sources_nothing_changes(runner, data, command):
    for fmt in ("table", "json", "csv"):
        out = run(runner, data, *command, "-f", fmt)
        assert LETSRUN not in out and "letsrun.com" not in out


def test_a_meeting_lists_both_athletes_sources_each_once(runner, data):
    out = json.loads(run(runner, data, "h2h", "kerr", "jakob", "--sources", "-f", "json"))
    assert [m["source"] for m in out["meetings"]] == [[LETSRUN, WA], [SEED]]
    table = run(runner, data, "h2h", "kerr", "jakob", "--sources", "-f", "csv")
    assert f"{LETSRUN}; {WA}" in table


def test_meet_rows_carry_their_own_source(runner, data):
    out = json.loads(run(runner, data, "meet", "budapest", "--sources", "-f", "json"))
    assert [(r["athlete"], r["source"]) for r in out] == [(K, [LETSRUN]), (J, [WA])]


def test_timeline_quotes_carry_the_quotes_source(runner, data):
    out = json.loads(run(runner, data, "timeline", "kerr", "jakob", "--sources", "-f", "json"))
    quote = next(r for r in out if r["kind"] == "quote")
    assert quote["source"] == [SEED]


def test_markdown_shows_sources_short(runner, data):
    out = run(runner, data, "gaps", "kerr", "jakob", "--sources", "-f", "markdown")
    assert "| source |" in out and "letsrun.com" in out


# --- quotes: their publication and the address they were read at ----------------------------

CITIUS = "https://citiusmag.com/articles/jakob-ingebrigtsen-josh-kerr-rivalry-timeline-budapest-to-paris"


def test_quotes_name_their_first_publication_and_url(runner):
    rows = json.loads(runner.invoke(app, ["quotes", "--search", "blindfolded", "-f", "json"]).stdout)
    blindfolded = next(r for r in rows if "I would have beaten him in that race, blindfolded" in r["text"])
    assert (blindfolded["publication"], blindfolded["url"]) == ("TV2", CITIUS)
    table = list(csv.DictReader(io.StringIO(runner.invoke(app, ["quotes", "--speaker", "kerr", "-f", "csv"]).stdout)))
    guardian = [r for r in table if r["publication"] == "The Guardian"]
    assert len(guardian) == 4 and all(r["url"] == CITIUS for r in guardian)


def test_a_quote_the_seed_gives_no_first_publication_for_has_none(runner):
    rows = json.loads(runner.invoke(app, ["quotes", "--search", "dress sense", "-f", "json"]).stdout)
    assert rows[0]["publication"] == ""  # a press-conference answer: the seed names no outlet


def test_the_timeline_cites_a_quote_by_its_url_first(runner, tmp_path):
    write_csv(tmp_path / "races.csv", rows())
    (tmp_path / "quotes.yaml").write_text(QUOTE.replace("  source:", f"  publication: TV2\n  url: {CITIUS}\n  source:"),
                                          encoding="utf-8")
    out = json.loads(run(runner, tmp_path, "timeline", "kerr", "jakob", "--sources", "-f", "json"))
    assert next(r for r in out if r["kind"] == "quote")["source"] == [CITIUS, SEED]


def test_a_quote_url_must_be_a_web_address(runner, tmp_path):
    write_csv(tmp_path / "races.csv", rows())
    (tmp_path / "quotes.yaml").write_text(QUOTE.replace("  source:", "  url: citiusmag dot com\n  source:"),
                                          encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "url 'citiusmag dot com' is not a web address" in result.stdout


def test_a_group_head_to_head_keeps_its_sources_in_json(runner, data):
    extra = race("2023-08-23", "World Championships", "1500m", [("Cole Hocker", "USA", 3, "3:30.70")], level="worlds")
    extra[0]["source"] = LETSRUN
    write_csv(data / "races.csv", rows() + extra)
    out = json.loads(run(runner, data, "h2h", "kerr", "jakob", "hocker", "--sources", "-f", "json"))
    assert out["meetings"][0]["source"] == [LETSRUN, WA]
