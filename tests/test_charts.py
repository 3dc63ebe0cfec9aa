"""--chart FILE.png|.svg on progression, gaps A B and rank --history: a valid file, written
whole, never when the command fails; a clear message when matplotlib is missing."""

import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import SMALL, write_csv

from miler.charts import caption
from miler.cli import app

pytest.importorskip("matplotlib")

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "races.csv", SMALL)
    return folder


CHARTS = [
    ["progression", "kerr", "ingebrigtsen", "--event", "1500m"],
    ["gaps", "kerr", "ingebrigtsen"],
    ["rank", "--history", "kerr"],
]


@pytest.mark.parametrize("command", CHARTS, ids=lambda c: c[0])
def test_a_png_chart_is_written(runner, data, tmp_path, command):
    out = tmp_path / "chart.png"
    result = runner.invoke(app, [*command, "--chart", str(out), "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(PNG)
    assert f"wrote {out}" in result.stderr
    assert result.stdout  # the answer is printed as well
    assert not list(tmp_path.glob(".chart.png.*"))  # no temporary file left


@pytest.mark.parametrize("command", CHARTS, ids=lambda c: c[0])
def test_an_svg_chart_is_valid_svg(runner, data, tmp_path, command):
    out = tmp_path / "chart.svg"
    result = runner.invoke(app, [*command, "--chart", str(out), "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_the_same_chart_twice_is_the_same_file(runner, data, tmp_path):
    files = [tmp_path / "a.svg", tmp_path / "b.svg"]
    for f in files:
        runner.invoke(app, ["gaps", "kerr", "ingebrigtsen", "--chart", str(f), "--data", str(data)])
    assert files[0].read_bytes() == files[1].read_bytes()


@pytest.mark.parametrize("args", [
    ["progression", "nobody", "--chart"],  # an unknown athlete
    ["gaps", "kerr", "ingebrigtsen", "--year", "2019", "--chart"],  # nothing matches
    ["rank", "--history", "kerr", "--event", "5000m", "--chart"],
])
def test_no_chart_is_written_when_the_command_fails(runner, data, tmp_path, args):
    out = tmp_path / "chart.png"
    result = runner.invoke(app, [*args, str(out), "--data", str(data)])
    assert result.exit_code == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [data]


def test_an_existing_chart_is_kept_without_force_and_replaced_with_it(runner, data, tmp_path):
    out = tmp_path / "chart.png"
    out.write_bytes(b"mine")
    result = runner.invoke(app, ["gaps", "kerr", "ingebrigtsen", "--chart", str(out), "--data", str(data)])
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert out.read_bytes() == b"mine"
    result = runner.invoke(app, ["gaps", "kerr", "ingebrigtsen", "--chart", str(out), "--force", "--data", str(data)])
    assert result.exit_code == 0 and out.read_bytes().startswith(PNG)


def test_a_chart_is_png_or_svg(runner, data, tmp_path):
    out = tmp_path / "chart.jpg"
    result = runner.invoke(app, ["gaps", "kerr", "ingebrigtsen", "--chart", str(out), "--data", str(data)])
    assert result.exit_code == 1
    assert "a chart is written as .png or .svg, not .jpg" in result.stderr
    assert not out.exists()


def test_a_chart_needs_what_it_can_draw(runner, data, tmp_path):
    result = runner.invoke(app, ["rank", "--chart", str(tmp_path / "x.png"), "--data", str(data)])
    assert result.exit_code == 2 and "--history" in result.stderr
    result = runner.invoke(app, ["gaps", "paris", "--chart", str(tmp_path / "x.png"), "--data", str(data)])
    assert result.exit_code == 2


def test_without_matplotlib_the_message_names_the_extra(runner, data, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    out = tmp_path / "chart.png"
    result = runner.invoke(app, ["gaps", "kerr", "ingebrigtsen", "--chart", str(out), "--data", str(data)])
    assert result.exit_code == 1
    assert "pip install 'miler[charts]'" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_the_caption_names_the_sources_most_used_first():
    sources = ["https://www.letsrun.com/a", "https://www.letsrun.com/b", "x.txt"] + [f"s{i}.txt" for i in range(8)]
    text = caption(sources)
    assert text.startswith("Sources (rows): letsrun.com (2), x.txt, s0.txt")
    assert "and 4 more" in text  # 10 sources, 6 named


def test_charts_do_not_import_matplotlib_until_asked():
    import subprocess

    code = "import sys, miler.cli, miler.charts; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
