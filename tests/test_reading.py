"""Reading fast changes nothing: a file read in pieces on several cores, its dictionaries unified
a batch at a time, its races checked in blocks, gives the frame and the problems one careful
pass gives, whatever the order of its rows and wherever its quotes are (issue 15)."""

import csv
import random

import pandas as pd
import pandas.testing as pdt
import pytest

from conftest import REPO, SMALL, write_csv
from miler.dataset import csvfile, rules
from miler.dataset.pieces import quoted_line_break
from miler.dataset.unify import _Unifier
from miler.dataset.races import read_races
from miler.errors import DataError

SHIPPED = REPO / "data" / "races.csv"


def problems_of(path):
    with pytest.raises(DataError) as exc:
        read_races(path)
    return [str(p) for p in exc.value.problems], exc.value.total


def careful(path, monkeypatch):
    """The frame the csv module reads (no pyarrow), for comparison."""
    with monkeypatch.context() as m:
        def no_arrow(*args):
            raise csvfile.NoArrow()
            yield

        m.setattr(csvfile, "arrow_chunks", no_arrow)
        return read_races(path)[0]


@pytest.mark.parametrize("piece, flush", [(1 << 10, 1), (7 << 10, 100), (64 << 10, 1 << 20)])
def test_reading_in_pieces_gives_the_frame_one_piece_gives(monkeypatch, piece, flush):
    whole, _ = read_races(SHIPPED)
    monkeypatch.setattr(csvfile, "PIECE_BYTES", piece)
    monkeypatch.setattr(_Unifier, "FLUSH", flush)
    pieces, _ = read_races(SHIPPED)
    pdt.assert_frame_equal(pieces, whole)  # categories too, in the order they first appear
    for c in whole.columns:
        if isinstance(whole[c].dtype, pd.CategoricalDtype):
            assert list(pieces[c].cat.categories) == list(whole[c].cat.categories)


def _with_quotes(tmp_path, line_breaks: bool):
    rows = []
    for i in range(300):
        for r in SMALL:
            meet = f"{r['meet']} {i}"
            if i % 3 == 0:
                meet = f'{meet}, "the {i}th"' + ("\nsecond line" if line_breaks else "")
            rows.append(dict(r, meet=meet))
    return write_csv(tmp_path / "races.csv", rows)


@pytest.mark.parametrize("line_breaks", [False, True])
@pytest.mark.parametrize("piece", [1 << 10, 5000, 1 << 20])
def test_quoted_commas_quotes_and_line_breaks_are_read_wherever_a_piece_ends(tmp_path, monkeypatch, line_breaks,
                                                                             piece):
    """A line break inside quotes may fall where a piece ends: such a file is read whole."""
    path = _with_quotes(tmp_path, line_breaks)
    monkeypatch.setattr(csvfile, "PIECE_BYTES", piece)
    fast, _ = read_races(path)
    pdt.assert_frame_equal(fast, careful(path, monkeypatch))
    assert any("\nsecond line" in m for m in fast["meet"].astype(str)) == line_breaks
    assert quoted_line_break(path) == line_breaks


def test_a_quote_inside_an_unquoted_cell_is_kept(tmp_path, monkeypatch):
    """A stray quote makes every later line end look quoted: such a file is read whole, with
    pyarrow's careful reader, and the quote stays in its cell."""
    path = tmp_path / "races.csv"
    rows = "".join(f'2024-01-0{1 + i % 9},Height 5\'11",1500m,A B{i},3:40.{i:02d}\n' for i in range(40))
    path.write_text("date,meet,event,athlete,time\n" + rows)
    monkeypatch.setattr(csvfile, "PIECE_BYTES", 300)
    assert quoted_line_break(path)  # conservative
    races, _ = read_races(path)
    assert len(races) == 40 and set(races["meet"]) == {"Height 5'11\""}
    pdt.assert_frame_equal(races, careful(path, monkeypatch))


def _shipped_rows():
    with open(SHIPPED, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def _write(path, fields, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.parametrize("block", [1, 5, 50, 1 << 18])
def test_race_rules_in_blocks_find_what_they_find_at_once(tmp_path, monkeypatch, block):
    fields, rows = _shipped_rows()
    rows[10] = dict(rows[10], time="9:59.99")  # slower than the athletes placed behind
    rows[40] = dict(rows[40], athlete=rows[41]["athlete"])  # twice in one race
    path = _write(tmp_path / "races.csv", fields, rows)
    at_once = problems_of(path)
    monkeypatch.setattr(rules, "RACE_BLOCK", block)
    assert problems_of(path) == at_once
    assert at_once[1] >= 2


def test_rows_in_any_order_are_checked_alike(tmp_path):
    """Races need not be grouped: shuffled rows give the same races and the same problems."""
    fields, rows = _shipped_rows()
    order = list(range(len(rows)))
    random.Random(3).shuffle(order)
    shuffled = [rows[i] for i in order]
    ordered, _ = read_races(SHIPPED)
    mixed, _ = read_races(_write(tmp_path / "shuffled.csv", fields, shuffled))
    # the same partition of rows into races, the same places derived
    back = mixed.iloc[pd.Series(order).argsort().to_numpy()].reset_index(drop=True)
    pairs = pd.DataFrame({"a": ordered["race_id"], "b": back["race_id"]}).drop_duplicates()
    assert pairs["a"].is_unique and pairs["b"].is_unique
    assert (back["place"].fillna(-1) == ordered["place"].fillna(-1)).all()
    # problems far apart in the file are still found
    twice = dict(shuffled[0])
    twice["place"], twice["time"] = "", "DNF"
    bad = shuffled + [twice]
    found, _ = problems_of(_write(tmp_path / "bad.csv", fields, bad))
    assert f"bad.csv:{len(bad) + 1}: {twice['athlete']} appears twice in one race (also line 2)" in found


def test_a_file_without_a_final_line_end_and_with_crlf_reads_alike(tmp_path, monkeypatch):
    text = SHIPPED.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(text.rstrip("\n").replace("\n", "\r\n").encode("utf-8-sig"))
    monkeypatch.setattr(csvfile, "PIECE_BYTES", 3000)
    pdt.assert_frame_equal(read_races(crlf)[0], read_races(SHIPPED)[0])


def test_chunked_problems_stop_at_the_same_record_in_pieces(tmp_path, monkeypatch):
    """A hopeless file stops after its first CHUNK_ROWS records however it is read."""
    body = "".join(f"2024-01-01,M,1500m,A{i},bad{i}\n" for i in range(3000))
    path = tmp_path / "races.csv"
    path.write_text("date,meet,event,athlete,time\n" + body)
    monkeypatch.setattr(csvfile, "CHUNK_ROWS", 1000)
    whole = problems_of(path)
    monkeypatch.setattr(csvfile, "PIECE_BYTES", 2048)
    assert problems_of(path) == whole
    assert whole[0][-1].startswith("races.csv:1001: stopped reading here: 1,000 problems in the first 1,000 rows")


def test_the_csv_module_and_pyarrow_agree_on_every_value_of_the_shipped_data(monkeypatch):
    fast, _ = read_races(SHIPPED)
    slow = careful(SHIPPED, monkeypatch)
    pdt.assert_frame_equal(fast, slow)


def test_check_rows_leaves_out_the_rows_that_break_a_rule_and_keeps_the_labels():
    """For rows read from another schema (miler import): each bad row is left out with its
    first problem, the rest is validated as read_races would."""
    from miler.dataset.races import check_rows

    rows = [dict(r) for r in SMALL]
    rows[1] = dict(rows[1], date="2024-13-01")  # a bad date
    rows[4] = dict(rows[4], time="abc")  # a bad mark
    rows[6] = dict(rows[6], athlete=rows[5]["athlete"])  # twice in one race (Pre Mile)
    cells = pd.DataFrame(rows, dtype=str, index=[f"src:{i + 10}" for i in range(len(rows))])
    frame, left_out, warned = check_rows(cells)
    assert warned == {}
    assert left_out == {
        "src:11": "date '2024-13-01' is not a date as YYYY-MM-DD",
        "src:14": "mark 'abc' is not a time (expected m:ss.xx, h:mm:ss, ss.xx or DNF/DNS/DQ)",
        "src:16": ("DUP", "src:15", "Josh Kerr appears twice in one race"),
    }
    assert list(frame.index) == [label for label in cells.index if label not in left_out]
    good = [r for i, r in enumerate(rows) if f"src:{i + 10}" not in left_out]
    expected = load_good(good)
    pdt.assert_frame_equal(frame.reset_index(drop=True).astype({c: "str" for c in ("athlete", "meet", "time")}),
                           expected.astype({c: "str" for c in ("athlete", "meet", "time")}), check_categorical=False)


def load_good(rows):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        return read_races(write_csv(Path(folder) / "races.csv", rows))[0]
