import pytest

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
