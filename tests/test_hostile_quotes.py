"""Hostile quotes.yaml (issue 17): alias bombs, anchors, huge documents, implausible dates.

Anchors and aliases are refused where they stand, before anything is built from them; the
quotes are read one at a time, so memory stays within a budget (200 MB above what miler
needs before it reads, for any quotes file under 1 MB); a date is an ASCII ISO date between
1896 and next year.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from conftest import QUOTE
from miler.dataset.quotes import read_quotes
from miler.dataset.safeyaml import MAX_DEPTH, MAX_QUOTE_NODES
from miler.errors import DataError


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch):
    """Each test of the rules runs with libyaml's parser (where PyYAML has it) and without."""
    if request.param == "libyaml":
        pytest.importorskip("yaml._yaml")
    else:
        monkeypatch.setitem(sys.modules, "yaml._yaml", None)  # import fails: PyYAML without libyaml
    return request.param


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "quotes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_quotes(path)
    return [str(p) for p in exc.value.problems]


def laughs(levels: int = 9, width: int = 9) -> str:
    """The billion laughs: each level an anchored list of WIDTH aliases of the one before."""
    parts = ["&l0 [" + ", ".join(["lol"] * width) + "]"]
    parts += [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


# --- anchors and aliases -------------------------------------------------------------------------

ANCHORED = {
    "a billion laughs in a date": (QUOTE.replace("date: 2024-02-15", f"date: {laughs()}"), 1, "&l0"),
    "a billion laughs in the text": (QUOTE.replace("text: I would", f"text: {laughs()} I would"), 5, "&l0"),
    "an alias of another quote's speaker": (
        QUOTE.replace("speaker: Jakob", "speaker: &jakob Jakob") + QUOTE.replace("speaker: Jakob Ingebrigtsen", "speaker: *jakob"),
        2, "&jakob"),
    "an alias alone": (QUOTE.replace("about: Josh Kerr", "about: *kerr"), 3, "*kerr"),
    "a merge key": ("- &base {date: 2024-02-15, speaker: Jakob Ingebrigtsen, text: hi}\n- <<: *base\n  text: again\n",
                    1, "&base"),
    "an anchored list of topics": (QUOTE.replace("topics: [blindfolded]", "topics: &t [blindfolded]"), 6, "&t"),
    "an anchor on the whole list": ("&all\n" + QUOTE, 1, "&all"),
    "a quote repeated by alias": ("- &q\n  " + QUOTE[2:] + "- *q\n", 1, "&q"),
}


@pytest.mark.parametrize("case", ANCHORED)
def test_anchors_and_aliases_are_refused_at_their_line(tmp_path, parser, case):
    text, line, what = ANCHORED[case]
    found = problems(tmp_path, text)
    assert found == [f"quotes.yaml:{line}: YAML error: anchors and aliases ({what}) are refused: "
                     "write each quote out in full"]


# --- memory --------------------------------------------------------------------------------------

MEASURE = textwrap.dedent("""\
    import json, resource, sys
    from pathlib import Path
    import miler.dataset.quotes as quotes, pandas, yaml  # what miler needs before it reads
    from miler.errors import DataError

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

    base = rss_mb()
    # a ceiling for the old behaviour of a bomb, so that a failing run does not take the machine
    vm = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (vm + (1 << 30), resource.RLIM_INFINITY))
    out = {}
    for path in sys.argv[1:]:
        try:
            quotes.read_quotes(path)
            what = "ok"
        except DataError as exc:
            what = str(exc.problems[0])
        except MemoryError:
            what = "MemoryError"
        out[Path(path).stem] = [round(rss_mb() - base), what]
    print(json.dumps(out))
""")


SHAPES = {  # each just under 1 MB
    "bomb": lambda n: QUOTE.replace("date: 2024-02-15", f"date: {laughs()}"),
    "a flow list of half a million scalars": lambda n: "[" + ",".join(["a"] * (n // 2 - 2)) + "]\n",
    "a block list of scalars": lambda n: "- a\n" * (n // 4),
    "one quote with a huge date list": lambda n: "- date: [" + ",".join(["1"] * (n // 2 - 10)) + "]\n",
    "one quote of empty lists": lambda n: "- date: [" + ",".join(["[]"] * (n // 3 - 10)) + "]\n",
    "a mapping of a hundred thousand keys": lambda n: "- {" + ",".join(f"k{i}: 1" for i in range(n // 10)) + "}\n",
    "many small quotes": lambda n: "- {date: 2024-02-15, speaker: a, text: b}\n" * (n // 42),
    "real quotes": lambda n: QUOTE * (n // len(QUOTE.encode())),
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak memory as Linux reports it")
def test_any_quotes_file_under_1_mb_is_read_within_200_mb(tmp_path):
    paths = []
    for i, (name, make) in enumerate(SHAPES.items()):
        text = make(999_000)
        assert len(text.encode()) < 1_000_000, name
        path = tmp_path / f"{i}.yaml"
        path.write_text(text)
        paths.append(path)
    done = subprocess.run([sys.executable, "-c", MEASURE, *map(str, paths)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    grown = {name: tuple(json.loads(done.stdout)[str(i)]) for i, name in enumerate(SHAPES)}
    for name, (mb, what) in grown.items():
        assert what != "MemoryError" and mb < 200, (name, mb, what)
    assert grown["real quotes"][1] == "ok"
    assert "anchors and aliases" in grown["bomb"][1]


@pytest.mark.parametrize("text", [
    "- date: [" + ",".join(["1"] * (MAX_QUOTE_NODES + 5)) + "]\n",
    "- topics: [" + ",".join(["[x]"] * MAX_QUOTE_NODES) + "]\n",
    "- {" + ",".join(f"k{i}: 1" for i in range(MAX_QUOTE_NODES)) + "}\n",
], ids=["a long list", "nested lists", "many keys"])
def test_a_quote_of_more_values_than_any_quote_holds_is_refused(tmp_path, parser, text):
    found = problems(tmp_path, QUOTE + text)
    assert found == [f"quotes.yaml:8: YAML error: a quote of more than {MAX_QUOTE_NODES:,} values "
                     "(a quote holds a few texts and lists)"]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 2000])
def test_lists_nested_past_any_quote_are_refused(tmp_path, parser, depth):
    found = problems(tmp_path, "- date: " + "[" * depth + "]" * depth + "\n")
    assert found == ["quotes.yaml: YAML error: nested too deeply"]


def test_the_same_quotes_read_the_same_with_either_parser(tmp_path, monkeypatch):
    path = tmp_path / "quotes.yaml"
    path.write_text(QUOTE + QUOTE.replace("2024-02-15", "2023-01-02").replace("TV2", "NRK « é »"), encoding="utf-8")
    fast = read_quotes(path)
    monkeypatch.setitem(sys.modules, "yaml._yaml", None)
    pd.testing.assert_frame_equal(read_quotes(path), fast)


def test_problems_in_a_large_file_are_counted_but_only_the_first_are_kept(tmp_path):
    path = tmp_path / "quotes.yaml"
    path.write_text("- just text\n" * 100_000)
    with pytest.raises(DataError) as exc:
        read_quotes(path)
    assert exc.value.total == 100_000 and len(exc.value.problems) == 50


# --- dates ---------------------------------------------------------------------------------------

NEXT = dt.date.today().year + 1
BAD_DATES = {
    "full-width digits": ("'２０２４-02-15'", "date '２０２４-02-15' is not a date as YYYY-MM-DD"),
    "Arabic-Indic digits": ("'٢٠٢٤-٠٢-١٥'", "date '٢٠٢٤-٠٢-١٥' is not a date as YYYY-MM-DD"),
    "no dashes": ("'20240215'", "date '20240215' is not a date as YYYY-MM-DD"),
    "a week date": ("'2024-W07-4'", "date '2024-W07-4' is not a date as YYYY-MM-DD"),
    "an ordinal date": ("'2024-046'", "date '2024-046' is not a date as YYYY-MM-DD"),
    "year 0000": ("0000-02-15", "date '0000-02-15' is not a date as YYYY-MM-DD"),
    "year 0001": ("0001-01-01", f"date 0001-01-01 is not between 1896 and {NEXT}"),
    "before 1896": ("1895-12-31", f"date 1895-12-31 is not between 1896 and {NEXT}"),
    "after next year": (f"{NEXT + 1}-01-01", f"date {NEXT + 1}-01-01 is not between 1896 and {NEXT}"),
    "year 9999": ("9999-12-31", f"date 9999-12-31 is not between 1896 and {NEXT}"),
    "a quoted far date": ("'3024-02-15'", f"date 3024-02-15 is not between 1896 and {NEXT}"),
}


@pytest.mark.parametrize("case", BAD_DATES)
def test_a_quote_date_is_an_ascii_iso_date_from_1896_to_next_year(tmp_path, parser, case):
    value, message = BAD_DATES[case]
    assert problems(tmp_path, QUOTE.replace("2024-02-15", value)) == [f"quotes.yaml:1: {message}"]


@pytest.mark.parametrize("value, day", [
    ("1896-04-10", dt.date(1896, 4, 10)),
    (f"{NEXT}-12-31", dt.date(NEXT, 12, 31)),
    ("'2024-02-15'", dt.date(2024, 2, 15)),
    ("2024-02-15 10:30:00", dt.date(2024, 2, 15)),
])
def test_dates_within_the_range_are_read(tmp_path, value, day):
    path = tmp_path / "quotes.yaml"
    path.write_text(QUOTE.replace("2024-02-15", value))
    assert read_quotes(path)["date"].iloc[0].date() == day
