import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PROPERTY

from miler.errors import AmbiguousError, NotFoundError
from miler.names import fold, resolve

COUNTS = {
    "Jakob Ingebrigtsen": 40,
    "Henrik Ingebrigtsen": 10,
    "Filip Ingebrigtsen": 12,
    "Josh Kerr": 30,
    "Narve Gilje Nordås": 5,
    "Marcin Lewandowski": 3,
    "Michał Rozmys": 2,
    "Jake Wightman": 8,
    "Jakob Holuša": 1,
}


def test_fold_removes_case_and_accents_including_letters_unicode_keeps():
    assert fold("Narve Gilje NORDÅS") == "narve gilje nordas"
    assert fold("Michał Rozmys") == "michal rozmys"
    assert fold("Ødegaard") == "odegaard"
    assert fold("Straße") == "strasse"


@pytest.mark.parametrize(
    "query, name",
    [("kerr", "Josh Kerr"), ("KERR", "Josh Kerr"), ("josh kerr", "Josh Kerr"), ("nordas", "Narve Gilje Nordås"),
     ("Nordås", "Narve Gilje Nordås"), ("gilje nordas", "Narve Gilje Nordås"), ("michal", "Michał Rozmys"),
     ("wight", "Jake Wightman"), ("henrik", "Henrik Ingebrigtsen"), ("jakob ingebrigtsen", "Jakob Ingebrigtsen")],
)
def test_a_surname_given_name_full_name_or_prefix_finds_the_athlete(query, name):
    assert resolve(query, COUNTS).name == name


def test_a_shared_surname_picks_the_athlete_with_most_results_and_names_the_others():
    r = resolve("ingebrigtsen", COUNTS)
    assert r.name == "Jakob Ingebrigtsen"
    assert r.others == ("Filip Ingebrigtsen", "Henrik Ingebrigtsen")
    assert "Filip Ingebrigtsen" in r.note and "Henrik Ingebrigtsen" in r.note


def test_a_prefix_of_one_surname_shared_by_brothers_is_the_same_rule():
    assert resolve("inge", COUNTS).name == "Jakob Ingebrigtsen"


def test_a_given_name_shared_by_two_picks_the_one_with_most_results():
    r = resolve("jakob", COUNTS)
    assert r.name == "Jakob Ingebrigtsen" and r.others == ("Jakob Holuša",)


def test_a_prefix_of_different_people_is_ambiguous():
    with pytest.raises(AmbiguousError) as exc:
        resolve("j", COUNTS)
    assert "Josh Kerr" in str(exc.value)


def test_an_unknown_name_suggests_the_closest():
    with pytest.raises(NotFoundError, match="did you mean Jakob Ingebrigtsen"):
        resolve("ingebrigsten", COUNTS)
    with pytest.raises(NotFoundError, match="no athlete matches 'zzz'$"):
        resolve("zzz", COUNTS)


CHERUIYOTS = {"Timothy Cheruiyot": 20, "Reynold Cheruiyot": 6, **COUNTS}


@pytest.mark.parametrize(
    "query, name",
    [("INGEBRIGTSEN Jakob", "Jakob Ingebrigtsen"),  # World Athletics' style: SURNAME Given
     ("Ingebrigtsen, Jakob", "Jakob Ingebrigtsen"),
     ("kerr josh", "Josh Kerr"),
     ("t cheruiyot", "Timothy Cheruiyot"), ("cheruiyot r", "Reynold Cheruiyot"), ("r. cheruiyot", "Reynold Cheruiyot"),
     ("nordaas", "Narve Gilje Nordås"),  # å written aa
     ("Nordaas Narve", "Narve Gilje Nordås"),
     ("holuša jakob", "Jakob Holuša")],
)
def test_names_as_people_write_them(query, name):
    assert resolve(query, CHERUIYOTS).name == name


def test_letters_written_out_fit_either_way():
    counts = {"Ole Ødegaard": 1, "Tom Müller": 1, "Jonas Bäck": 1}
    assert resolve("oedegaard", counts).name == "Ole Ødegaard"
    assert resolve("mueller", counts).name == "Tom Müller"
    assert resolve("baeck", counts).name == "Jonas Bäck"
    assert resolve("odegaard", counts).name == "Ole Ødegaard"


def test_an_initial_and_a_surname_find_the_one_athlete_they_fit():
    assert resolve("j ingebrigtsen", COUNTS).name == "Jakob Ingebrigtsen"  # Jakob, not Josh Kerr
    with pytest.raises(NotFoundError):
        resolve("kerr jakob", COUNTS)


def test_someone_the_quotes_know_but_the_results_do_not_is_named_in_the_error(runner, tmp_path):
    from conftest import race, write_csv

    from miler.cli import app

    write_csv(tmp_path / "races.csv", race("2024-06-01", "Bislett Games", "1500m",
                                           [("Jakob Ingebrigtsen", "NOR", 1, "3:30.00"), ("Josh Kerr", "GBR", 2, "3:31.00")]))
    (tmp_path / "quotes.yaml").write_text(
        "- date: 2024-02-15\n  speaker: Jakob Ingebrigtsen\n  about: Henrik Ingebrigtsen\n  occasion: TV2\n"
        "  text: My brother.\n  topics: [family]\n  source: [x]\n", encoding="utf-8")
    for args in (["athlete", "henrik"], ["progression", "henrik"], ["h2h", "henrik", "kerr"]):
        result = runner.invoke(app, [*args, "--data", str(tmp_path)])
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == ("error: Henrik Ingebrigtsen is in the quotes but has no results in races.csv "
                                 "(what was said: miler quotes --about henrik)\n")
    unknown = runner.invoke(app, ["athlete", "zzz", "--data", str(tmp_path)])
    assert unknown.exit_code == 1 and unknown.stderr == "error: no athlete matches 'zzz'\n"


NAME_LETTERS = "abcdeknorstuyéèåäöüøłßñçğıšžæœ ЙКЛ-'"


@settings(PROPERTY, max_examples=300)
@given(st.lists(st.text(alphabet=NAME_LETTERS, min_size=1, max_size=14).filter(str.strip), min_size=1, max_size=30,
                unique=True),
       st.data())
def test_a_large_dataset_resolves_names_as_a_small_one_does(names, data):
    # from ARROW_NAMES names on, the cheap test of which names may fit runs in pyarrow (accents
    # taken off by Unicode); it must find every name the folding finds
    import miler.names as names_module

    counts = {n: i + 1 for i, n in enumerate(names)}
    folded = [fold(n) for n in names if fold(n)]
    query = data.draw(st.sampled_from(folded)) if folded else "x"
    query = data.draw(st.sampled_from([query, query[: max(1, len(query) // 2)], query.split()[-1] if query.split() else query]))

    def answer(threshold):
        names_module.ARROW_NAMES = threshold
        try:
            r = resolve(query, counts)
            return r.name, r.others
        except (NotFoundError, AmbiguousError) as exc:
            return type(exc).__name__
        finally:
            names_module.ARROW_NAMES = 2000

    assert answer(0) == answer(10**9)
