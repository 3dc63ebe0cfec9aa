"""Generate a realistic synthetic races.csv for benchmarking miler, of any size, from a seed.

    python bench/generate.py 1m -o /tmp/miler-bench/1m          # a folder: writes races.csv in it
    python bench/generate.py 100000 -o /tmp/x/races.csv --seed 2

The same size and seed always give the same file. What is in it:

- athletes with plausible names for their country, careers of a few to fifteen seasons, an
  ability that peaks mid-career, and an event group (800m, 1500m/Mile, 5000m/3000m);
  300 of them are "stars", among them exactly "Josh Kerr" (GBR) and "Jakob Ingebrigtsen" (NOR),
  who race each other often, so ``miler h2h kerr ingebrigtsen --data DIR`` has a story;
- championships (Olympics, Worlds, World Indoors, Europeans, Commonwealth) with heats,
  semi-finals and finals, where qualifiers are the best placed and fastest of the round before;
  Diamond League meets (stars only, pacemakers who DNF); national championships (athletes of
  that country); and, filling the requested size, thousands of ordinary outdoor and indoor
  meets with one or more heats per event;
- fields of 8 to 16, DNF/DNS/DQ without a place, places in order of strictly increasing
  times, no athlete twice in a race, marks never faster than the men's world records,
  PB and SB notes where a mark improved the athlete's best.

The rows are the requested number exactly. Below about 180k rows the data spans fewer seasons
(ending in 2025) so that ordinary meets stay the bulk; below a few thousand only the latest
races are kept.
Everything is vectorised numpy except the championship rounds, so 5M rows take well under a
minute. A small ``bench-meta.json`` beside races.csv records the size, seed and a meet that
``miler meet`` can look up.

The columns, levels, world records and the printing of marks are miler's own (miler.schema,
miler.marks): run it with a Python that has miler's dependencies.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

try:
    import miler  # noqa: F401
except ImportError:  # a checkout without miler installed: its own source
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
try:  # the columns, levels and records miler reads
    from miler.marks import WORLD_RECORDS, format_mark
    from miler.schema import BASE_COLUMNS, CHAMPIONSHIP_LEVELS, LEVELS
except ImportError as exc:
    raise SystemExit(f"bench/generate.py: {exc}: run it with the Python of an environment with miler's "
                     "dependencies (bench/run.py makes one in bench/out/venv)") from None

# Bumped whenever the same size and seed would give other bytes: bench/run.py regenerates a
# cached dataset whose bench-meta.json holds another version.
GENERATOR_VERSION = 2

EVENTS = ("800m", "1500m", "Mile", "3000m", "5000m")
E800, E1500, EMILE, E3000, E5000 = range(5)
WR = np.array([WORLD_RECORDS[e] for e in EVENTS])  # men's world records (seconds)
FASTEST = WR * 1.0015  # the fastest mark the generator ever prints

# event groups (0: 800m, 1: 1500m/Mile, 2: 5000m/3000m): what each kind of athlete runs,
# outdoor and indoor (event, weight)
GROUP_OF_EVENT = {E800: 0, E1500: 1, EMILE: 1, E3000: 2, E5000: 2}
OUTDOOR_EVENTS = {0: ((E800, 1.0),), 1: ((E1500, 0.75), (EMILE, 0.15), (E3000, 0.1)),
                  2: ((E5000, 0.75), (E3000, 0.25))}
INDOOR_EVENTS = {0: ((E800, 1.0),), 1: ((E1500, 0.6), (EMILE, 0.25), (E3000, 0.15)), 2: ((E3000, 1.0),)}
# extra fraction of time when an athlete of a group runs an event (off-distance penalty)
PENALTY = np.array([
    # 800    1500   Mile   3000   5000
    [0.000, 0.012, 0.014, 0.040, 0.060],  # 800 group
    [0.015, 0.000, 0.000, 0.006, 0.015],  # 1500 group
    [0.045, 0.012, 0.012, 0.000, 0.000],  # 5000 group
])

N_STARS = 300
KERR, JAKOB = "Josh Kerr", "Jakob Ingebrigtsen"
KERR_ID, JAKOB_ID = N_STARS - 2, N_STARS - 1  # the last two stars

# --- names -------------------------------------------------------------------------------

REGIONS = {
    "anglo": (
        {"USA": 12, "GBR": 7, "CAN": 3, "AUS": 4, "NZL": 1, "IRL": 2, "RSA": 1},
        "James John Michael David Matthew Daniel Thomas Ryan Andrew Christopher Joseph William "
        "Benjamin Samuel Jack Oliver Harry George Charlie Callum Liam Connor Ethan Nathan Luke Adam "
        "Patrick Sean Kieran Jamie Tom Ben Sam Alex Peter Mark Paul Robert Eric Kyle Tyler Brandon "
        "Justin Cameron Hamish Angus Finn Elliot Rory Owen Jonah Evan Grant Drew Cooper Neil",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Hill Moore Lewis "
        "Baker Harris Martin Cooper Ward Morris King Watson Parker Bennett Gray Mitchell Campbell "
        "Stewart Murray Reid Fraser Ross Kennedy Murphy Kelly O'Brien Ryan Walsh Byrne O'Connor "
        "McCarthy Doyle Lynch Foster Howard Hayes Sullivan Brooks Bailey Fisher Hunt Palmer Mills "
        "Knight Barnes Marshall Spencer Holmes",
    ),
    "kenya": (
        {"KEN": 11, "UGA": 2},
        "Timothy Elijah Brimin Ronald Abel Vincent Collins Emmanuel Ferguson Wyclife Reynold Daniel "
        "Edwin Geoffrey Nicholas Bethwel Silas Asbel Augustine Haron Kumari Jacob Joshua Amos Bernard "
        "Caleb Dennis Evans Gideon Hillary Isaac Josphat Kennedy Lawrence Moses Noah Patrick Samuel "
        "Victor Wilfred Cornelius Festus",
        "Kiprop Cheruiyot Kipchoge Kipruto Kiplagat Kemboi Rotich Kiprotich Korir Koech Kosgei Ruto "
        "Mutai Chepkwony Kibet Kimeli Langat Lagat Tanui Bett Sang Keter Kirui Cheboi Kipsang Kiptoo "
        "Kiptum Tum Biwott Chelimo Wanyonyi Simotwo Manangoi Kiplimo Yego Kipyego Limo Boit Songok "
        "Choge Komen Mutua Ngeno Kwemoi Cheptegei",
    ),
    "ethiopia": (
        {"ETH": 8, "ERI": 1},
        "Yomif Selemon Hagos Muktar Getnet Samuel Berihu Telahun Yenew Haile Kenenisa Tariku Dejen "
        "Ibrahim Abadi Aman Birhanu Dawit Ermias Fikadu Girma Hailu Kebede Lelisa Mekonnen Negash "
        "Solomon Tesfaye Yasin Zerihun Biniam Ahmed Abraham Tadese Bereket Milkesa Lamecha Mezgebu "
        "Yihune Oumer",
        "Gebrselassie Bekele Kejelcha Barega Gebrhiwet Edris Wale Aregawi Tefera Girma Alamirew "
        "Gebremedhin Haylom Wolde Mekonnen Tola Kebede Abate Desisa Feyisa Legese Tadesse Tsegay "
        "Yimer Gemechu Nigussie Teshome Alemu Ayana Belay Demissie Fikre Gidey Hailemariam Kiros "
        "Mengistu Negasa Regasa Sisay Tamirat Workneh Zeleke",
    ),
    "nordic": (
        {"NOR": 2, "SWE": 2, "DEN": 1, "FIN": 1},
        "Narve Filip Henrik Magnus Andreas Sondre Ole Erik Lars Jonas Kristian Mathias Sindre Tobias "
        "Emil Oskar Johan Anders Niklas Jesper Mikkel Rasmus Elias Eino Aleksi Topi Viktor Axel "
        "Gustav Isak Sebastian Simen Vebjørn Joakim Pontus Kalle Ville Teemu Aapo Sverre",
        "Nordås Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Berg "
        "Haugen Halvorsen Lund Moen Dahl Lie Strand Bakken Solberg Eriksson Lindberg Holm Sandberg "
        "Lindqvist Nyström Virtanen Korhonen Mäkinen Nieminen Laine Heikkinen Koskinen Järvinen "
        "Rasmussen Sørensen Madsen Kjær Østergaard Grøtting Tveit Aasen",
    ),
    "iberian": (
        {"ESP": 5, "POR": 1, "MEX": 1, "ARG": 0.5, "BRA": 1, "COL": 0.5},
        "Mario Ignacio Jesús Pablo Javier Sergio Alejandro Carlos Daniel David Diego Fernando Gonzalo "
        "Hugo Iván Jorge José Juan Luis Manuel Marcos Miguel Óscar Raúl Rubén Víctor Álvaro Adrián "
        "João Pedro Rui Tiago Nuno Bruno Rafael Andrés Mateo Santiago Enrique Ricardo",
        "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz "
        "Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez "
        "Vázquez Ramos Gil Serrano Blanco Molina Morales Ortega Delgado Castro Ortiz Rubio Marín Sanz "
        "Iglesias Silva Santos Ferreira Pereira Costa Oliveira Sousa",
    ),
    "french": (
        {"FRA": 4, "BEL": 2, "SUI": 1},
        "Pierre Louis Hugo Lucas Théo Baptiste Maxime Antoine Julien Nicolas Romain Alexis Clément "
        "Quentin Florian Mathieu Benjamin Yann Jimmy Azeddine Morhad Djilali Mahiedine Bastien Gaël "
        "Jérôme Cédric Arnaud Loïc Thibault Isaac Samuel Jonas Tim Jochem Robin Ruben Pieter Dries Michaël",
        "Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel "
        "David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert "
        "Bonnet François Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Perrin "
        "Morin Gauthier Peeters Janssens Maes Jacobs Willems Claes Goossens Wouters Dumont",
    ),
    "italian": (
        {"ITA": 3},
        "Marco Luca Andrea Matteo Lorenzo Alessandro Francesco Simone Pietro Federico Davide Stefano "
        "Giuseppe Riccardo Filippo Gabriele Nicola Tommaso Yeman Ossama Jacopo Michele Emanuele "
        "Giovanni Paolo Edoardo Samuele Mattia Alberto Enrico",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
        "De Luca Mancini Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi "
        "Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola "
        "De Santis D'Angelo Marchetti Crippa",
    ),
    "germanic": (
        {"GER": 4, "NED": 2, "AUT": 1},
        "Lukas Jonas Leon Felix Maximilian Paul Tim Niklas Jan Moritz Florian Tobias Sebastian Robert "
        "Marius Amos Homiyu Karl Frank Marcel Bart Stefan Niels Sven Jürgen Mike Richard Thijs Daan "
        "Bram Sem Jesse Stijn Levi Luuk Mats Hendrik Christoph Dominik Fabian",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
        "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange "
        "Schmitt Werner Krause Meier Lehmann de Jong Jansen de Vries van den Berg van Dijk Bakker "
        "Visser Smit Meijer de Boer Mulder de Groot Bos Vos Hendriks van Leeuwen Dekker Brouwer de Wit",
    ),
    "slavic": (
        {"POL": 3, "CZE": 1, "SLO": 0.5, "SRB": 0.5},
        "Marcin Adam Piotr Paweł Michał Krzysztof Tomasz Jakub Mateusz Kamil Łukasz Filip Szymon "
        "Bartosz Patryk Maciej Karol Wojciech Dawid Jan Ondřej Jiří Petr Martin Lukáš Tomáš Luka Nejc "
        "Marko Stefan Nikola Milan Dušan Ivan",
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
        "Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Pawłowski "
        "Michalski Król Wieczorek Jabłoński Wróbel Nowakowski Majewski Olszewski Stępień Lis Novák "
        "Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Kovač Horvat Krajnc Zupan "
        "Jovanović Petrović Nikolić Marković Đorđević",
    ),
    "maghreb": (
        {"MAR": 3, "ALG": 1.5, "TUN": 0.5},
        "Abdelaati Soufiane Hicham Youssef Mohamed Ahmed Abdellah Yassine Anass Zakaria Othmane Hamza "
        "Ayoub Said Brahim Karim Nabil Rachid Amine Ilias Taoufik Salim Mehdi Abderrahmane Oussama "
        "Ismail Adil Mourad Walid Bilal",
        "El Bakkali Iguider El Guerrouj Lahlou Benaissa Saidi Makhloufi Bouras Belferar Sadik "
        "Moussaoui Ouhadi Benjelloun Amrani Chraibi Alaoui Berrada Tazi Bennani Idrissi Fassi Haddad "
        "Boukhalfa Cherif Hamdi Mansouri Rahmani Zerouali Khalil Brahimi Belkacem Ziani Meziane Hadj "
        "Bouzid Toumi Jaziri Trabelsi Gharbi Mejri",
    ),
    "japan": (
        {"JPN": 4},
        "Ryuji Kazuto Takumi Yuki Shota Hiroki Kenta Daiki Kaito Haruto Sota Yuto Ren Riku Naoki "
        "Keisuke Tatsuya Kosuke Yusuke Shun Taiki Masaki Tomoya Kyohei Hibiki Ryota Sho Jun Akira Kenji",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada "
        "Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto "
        "Ishikawa Ogawa Maeda Fujita Okada Goto Hasegawa Murakami Kondo Ishii Sakamoto Endo Aoki "
        "Fujii Nishimura Miura",
    ),
}
# multi-word surnames are written with spaces in the lists above: keep them whole
_MULTI = ("El Bakkali", "El Guerrouj", "De Luca", "De Santis", "de Jong", "de Vries", "van den Berg",
          "van Dijk", "de Boer", "de Groot", "van Leeuwen", "de Wit")


def _words(text: str) -> list[str]:
    for m in _MULTI:
        text = text.replace(m, m.replace(" ", "_"))
    return [w.replace("_", " ") for w in text.split()]


DEMONYM = {
    "USA": "US", "GBR": "British", "CAN": "Canadian", "AUS": "Australian", "NZL": "New Zealand",
    "IRL": "Irish", "RSA": "South African", "KEN": "Kenyan", "UGA": "Ugandan", "ETH": "Ethiopian",
    "ERI": "Eritrean", "NOR": "Norwegian", "SWE": "Swedish", "DEN": "Danish", "FIN": "Finnish",
    "ESP": "Spanish", "POR": "Portuguese", "MEX": "Mexican", "ARG": "Argentine", "BRA": "Brazilian",
    "COL": "Colombian", "FRA": "French", "BEL": "Belgian", "SUI": "Swiss", "ITA": "Italian",
    "GER": "German", "NED": "Dutch", "AUT": "Austrian", "POL": "Polish", "CZE": "Czech",
    "SLO": "Slovenian", "SRB": "Serbian", "MAR": "Moroccan", "ALG": "Algerian", "TUN": "Tunisian",
    "JPN": "Japanese",
}  # fmt: skip
EUROPE = {"GBR", "IRL", "NOR", "SWE", "DEN", "FIN", "ESP", "POR", "FRA", "BEL", "SUI", "ITA", "GER",
          "NED", "AUT", "POL", "CZE", "SLO", "SRB"}
COMMONWEALTH = {"GBR", "CAN", "AUS", "NZL", "RSA", "KEN", "UGA"}

# cities for ordinary meets and national championships (Paris is left to the big meets,
# so that "paris 2024" names one meet)
CITIES = {
    "USA": "Eugene;Los Angeles;New York;Boston;Portland;Palo Alto;Austin;Des Moines;Raleigh;Seattle;"
           "Chicago;Atlanta;Fayetteville;Boulder;Flagstaff;Albuquerque;Madison;Princeton;Philadelphia;"
           "Columbus;Gainesville;Azusa;Walnut;Berkeley;Sacramento",
    "GBR": "London;Birmingham;Manchester;Glasgow;Edinburgh;Cardiff;Loughborough;Sheffield;Gateshead;"
           "Bedford;Leeds;Belfast",
    "CAN": "Toronto;Vancouver;Montreal;Victoria;Edmonton;Ottawa",
    "AUS": "Melbourne;Sydney;Brisbane;Perth;Adelaide;Canberra",
    "NZL": "Auckland;Wellington;Christchurch", "IRL": "Dublin;Cork;Athlone",
    "RSA": "Pretoria;Johannesburg;Cape Town;Potchefstroom", "KEN": "Nairobi;Eldoret;Iten;Kisumu",
    "UGA": "Kampala", "ETH": "Addis Ababa;Hawassa;Bahir Dar", "ERI": "Asmara",
    "NOR": "Oslo;Bergen;Trondheim;Sandnes;Kristiansand", "SWE": "Stockholm;Gothenburg;Karlstad;Malmö;Uppsala",
    "DEN": "Copenhagen;Aarhus;Odense", "FIN": "Helsinki;Turku;Lappeenranta;Joensuu;Tampere",
    "ESP": "Madrid;Barcelona;Valencia;Huelva;Castellón;Seville;Bilbao;Málaga;Zaragoza",
    "POR": "Lisbon;Porto;Braga", "MEX": "Mexico City;Guadalajara;Monterrey", "ARG": "Buenos Aires;Rosario",
    "BRA": "São Paulo;Rio de Janeiro", "COL": "Bogotá;Medellín",
    "FRA": "Marseille;Lyon;Lille;Nice;Montgeron;Reims;Angers;Nantes;Bordeaux;Toulouse",
    "BEL": "Brussels;Ghent;Heusden-Zolder;Liège;Leuven", "SUI": "Zurich;Geneva;Lucerne;Bellinzona;Bern",
    "ITA": "Rome;Milan;Florence;Turin;Rovereto;Padua;Savona;Naples",
    "GER": "Berlin;Munich;Hamburg;Dessau;Karlsruhe;Dortmund;Leipzig;Regensburg;Pfungstadt;Düsseldorf",
    "NED": "Amsterdam;Hengelo;Nijmegen;Leiden;Utrecht;Rotterdam", "AUT": "Vienna;Linz;Graz;Andorf",
    "POL": "Warsaw;Chorzów;Bydgoszcz;Toruń;Poznań;Kraków;Lublin", "CZE": "Prague;Ostrava;Plzeň;Brno",
    "SLO": "Ljubljana;Celje;Maribor", "SRB": "Belgrade;Novi Sad", "MAR": "Rabat;Casablanca;Marrakech;Ifrane",
    "ALG": "Algiers;Oran", "TUN": "Tunis;Radès",
    "JPN": "Tokyo;Osaka;Nagoya;Yokohama;Fukuoka;Hiroshima;Kitakyushu;Niigata",
}
OUTDOOR_SUFFIX = ("Grand Prix", "Invitational", "Open", "Classic", "Games", "Meeting", "Memorial",
                  "Challenge", "Twilight", "Distance Night", "Relays", "Track Night", "Festival")
INDOOR_SUFFIX = ("Indoor Meeting", "Indoor Games", "Indoor Classic", "Indoor Grand Prix",
                 "Indoor Open", "Indoor Invitational")

# (name, city, country, month, day, middle-distance event for the 1500 group)
DIAMOND_LEAGUE = (
    ("Xiamen Diamond League", "Xiamen", "CHN", 4, 20, E1500),
    ("Shanghai Diamond League", "Shanghai", "CHN", 4, 27, E1500),
    ("Doha Diamond League", "Doha", "QAT", 5, 10, E1500),
    ("Prefontaine Classic", "Eugene", "USA", 5, 27, EMILE),
    ("Meeting International Mohammed VI", "Rabat", "MAR", 5, 30, E1500),
    ("Golden Gala", "Rome", "ITA", 6, 2, E1500),
    ("Bislett Games", "Oslo", "NOR", 6, 12, EMILE),
    ("BAUHAUS-galan", "Stockholm", "SWE", 6, 16, E1500),
    ("Meeting de Paris", "Paris", "FRA", 6, 22, E1500),
    ("Herculis", "Monaco", "MON", 7, 12, E1500),
    ("London Athletics Meet", "London", "GBR", 7, 20, EMILE),
    ("Athletissima", "Lausanne", "SUI", 8, 22, E1500),
    ("Kamila Skolimowska Memorial", "Chorzów", "POL", 8, 25, E1500),
    ("Weltklasse Zürich", "Zurich", "SUI", 9, 5, E1500),
    ("Memorial Van Damme", "Brussels", "BEL", 9, 13, E1500),
)
DIAMOND_LEAGUE_FROM = 2010

# the levels written (miler.schema.LEVELS): championships are keyed by theirs below
DIAMOND, NATIONAL, OTHER = "diamond-league", "national", "other"

# championships: level -> (meet name, indoor, {year: (city, country, month, day)})
CHAMPIONSHIPS = {
    "olympics": ("Olympic Games", False, {
        2000: ("Sydney", "AUS", 9, 24), 2004: ("Athens", "GRE", 8, 20), 2008: ("Beijing", "CHN", 8, 15),
        2012: ("London", "GBR", 8, 3), 2016: ("Rio de Janeiro", "BRA", 8, 12),
        2021: ("Tokyo", "JPN", 8, 1), 2024: ("Paris", "FRA", 8, 2)}),
    "worlds": ("World Championships", False, {
        2001: ("Edmonton", "CAN", 8, 4), 2003: ("Saint-Denis", "FRA", 8, 24), 2005: ("Helsinki", "FIN", 8, 7),
        2007: ("Osaka", "JPN", 8, 26), 2009: ("Berlin", "GER", 8, 16), 2011: ("Daegu", "KOR", 8, 28),
        2013: ("Moscow", "RUS", 8, 11), 2015: ("Beijing", "CHN", 8, 23), 2017: ("London", "GBR", 8, 5),
        2019: ("Doha", "QAT", 9, 28), 2022: ("Eugene", "USA", 7, 15), 2023: ("Budapest", "HUN", 8, 19),
        2025: ("Tokyo", "JPN", 9, 13)}),
    "world-indoors": ("World Indoor Championships", True, {
        2001: ("Lisbon", "POR", 3, 9), 2003: ("Birmingham", "GBR", 3, 14), 2004: ("Budapest", "HUN", 3, 5),
        2006: ("Moscow", "RUS", 3, 10), 2008: ("Valencia", "ESP", 3, 7), 2010: ("Doha", "QAT", 3, 12),
        2012: ("Istanbul", "TUR", 3, 9), 2014: ("Sopot", "POL", 3, 7), 2016: ("Portland", "USA", 3, 17),
        2018: ("Birmingham", "GBR", 3, 1), 2022: ("Belgrade", "SRB", 3, 18), 2024: ("Glasgow", "GBR", 3, 1),
        2025: ("Nanjing", "CHN", 3, 21)}),
    "europeans": ("European Championships", False, {
        2002: ("Munich", "GER", 8, 6), 2006: ("Gothenburg", "SWE", 8, 7), 2010: ("Barcelona", "ESP", 7, 27),
        2012: ("Helsinki", "FIN", 6, 27), 2014: ("Zurich", "SUI", 8, 12), 2016: ("Amsterdam", "NED", 7, 6),
        2018: ("Berlin", "GER", 8, 7), 2022: ("Munich", "GER", 8, 15), 2024: ("Rome", "ITA", 6, 7)}),
    "commonwealth": ("Commonwealth Games", False, {
        2002: ("Manchester", "GBR", 7, 26), 2006: ("Melbourne", "AUS", 3, 19), 2010: ("Delhi", "IND", 10, 7),
        2014: ("Glasgow", "GBR", 7, 27), 2018: ("Gold Coast", "AUS", 4, 9), 2022: ("Birmingham", "GBR", 8, 2)}),
}
# event -> rounds as (number of races, field size per race); the last is the final
ROUNDS_GLOBAL = {E800: ((6, 8), (3, 8), (1, 8)), E1500: ((3, 14), (2, 12), (1, 12)), E5000: ((2, 16), (1, 15))}
ROUNDS_INDOOR = {E800: ((4, 8), (2, 8), (1, 8)), E1500: ((3, 10), (1, 12)), E3000: ((2, 13), (1, 14))}
ROUNDS_AREA = {E800: ((3, 9), (1, 8)), E1500: ((2, 13), (1, 12)), E5000: ((1, 16),)}
# who may enter an area championship
AREA_NATIONS = {"europeans": EUROPE, "commonwealth": COMMONWEALTH}
if not set(CHAMPIONSHIPS) <= set(CHAMPIONSHIP_LEVELS) or not {DIAMOND, NATIONAL, OTHER} <= set(LEVELS):
    raise ImportError("bench/generate.py writes a level miler.schema.LEVELS does not hold")


# --- the generator -----------------------------------------------------------------------


class Builder:
    """Accumulates races as arrays of rows; a race is numbered, its rows are its field."""

    def __init__(self, rng: np.random.Generator, athletes: dict):
        self.rng = rng
        self.a = athletes
        self.parts: list[dict] = []
        self.races = 0
        self.meets: list[tuple[str, str, str, str, bool]] = []  # name, city, country, level, indoor
        self.meet_index: dict[tuple, int] = {}

    def meet(self, name: str, city: str, country: str, level: str, indoor: bool) -> int:
        key = (name, city, country, level, indoor)
        if key not in self.meet_index:
            self.meet_index[key] = len(self.meets)
            self.meets.append(key)
        return self.meet_index[key]

    def results(self, ath, race_of_row, race_event, race_pace, race_year, race_dnf):
        """Times, statuses and places for rows (athlete, race); rows come back sorted by race and place."""
        rng, a = self.rng, self.a
        n = len(ath)
        ev = race_event[race_of_row]
        frac = form_of(a, ath, race_year[race_of_row]) + PENALTY[a["group"][ath], ev] + race_pace[race_of_row]
        frac = frac + rng.normal(0.0, 0.006, n) + rng.exponential(0.004, n)
        secs = np.maximum(WR[ev] * (1.0 + frac), FASTEST[ev])
        hund = np.ceil(secs * 100.0 - 1e-6).astype(np.int64)
        u = rng.random(n)
        status = np.zeros(n, np.int8)  # 0 finished, 1 DNF, 2 DNS, 3 DQ
        p_dnf = race_dnf[race_of_row]
        status[u < p_dnf] = 1
        status[(u >= p_dnf) & (u < p_dnf + 0.004)] = 2
        status[(u >= p_dnf + 0.004) & (u < p_dnf + 0.007)] = 3
        order = np.lexsort((hund, status != 0, race_of_row))
        ath, race_of_row, hund, status = ath[order], race_of_row[order], hund[order], status[order]
        # place = position among the race's finishers; times strictly increase with place
        fin = status == 0
        starts = np.r_[0, np.flatnonzero(np.diff(race_of_row)) + 1]
        pos = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
        place = np.where(fin, pos + 1, 0).astype(np.int16)
        h, r, p = hund[fin], race_of_row[fin], pos[fin]
        big = np.int64(10**8)
        h = np.maximum.accumulate(h - p + r * big) + p - r * big
        hund[fin] = h
        return ath, race_of_row, hund, status, place

    def add(self, race_meet, race_date, race_event, race_round, race_level_pace, race_dnf, fields_ath, fields_race):
        """Add races (arrays per race) whose rows are (fields_ath, fields_race: local race index)."""
        m = len(race_meet)
        year = race_date.astype("datetime64[Y]").astype(int) + 1970
        ath, rr, hund, status, place = self.results(
            fields_ath, fields_race, race_event, race_level_pace, year, race_dnf
        )
        self.parts.append({
            "race": rr + self.races, "athlete": ath, "hund": hund, "status": status, "place": place,
            "r_meet": race_meet, "r_date": race_date, "r_event": race_event, "r_round": race_round,
        })
        self.races += m
        return ath, rr, hund, status, place


def parse_size(text: str) -> int:
    s = str(text).strip().lower().replace("_", "").replace(",", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(k|m)?", s)
    if not m:
        try:
            return int(float(s))
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 100000, 100k, 1m, 5M)") from None
    return int(round(float(m.group(1)) * {None: 1, "k": 1_000, "m": 1_000_000}[m.group(2)]))


def generate(n_rows: int, seed: int = 1, first_year: int = 2000, last_year: int = 2025, log=None) -> dict:
    """The text of every column of n_rows rows, from the seed: the athletes, then the
    championships, the Diamond League and the national championships of the seasons, and
    ordinary meets to fill the size."""
    rng = np.random.default_rng(seed)
    say = log or (lambda *_: None)
    years = range(first_year, last_year + 1)
    a = make_athletes(rng, max(3000, n_rows // 30), first_year, last_year)
    say(f"athletes: {len(a['name']):,} ({N_STARS} stars)")
    pool = pools(a, years)
    b = Builder(rng, a)
    champs = add_championships(b, rng, a, pool, years)
    say(f"championships: {champs:,} rows")
    dl = add_diamond_league(b, rng, pool, years)
    say(f"diamond league: {dl:,} rows")
    nat = add_nationals(b, rng, a, years, budget=max(0, int(n_rows * 0.15)))
    say(f"national championships: {nat:,} rows")
    bulk = max(0, n_rows - (champs + dl + nat))
    if bulk:
        add_bulk(b, rng, a, pool, years, bulk)
    say(f"ordinary meets: {bulk:,} rows")
    return assemble(b, a, n_rows, seed)


# --- athletes ----------------------------------------------------------------------------

# middle initials that tell apart athletes of one name: none, "A. " … "Z. ", "A. A. " … "Z. Z. "
_INITIALS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
MIDDLES = [""] + [f"{i}. " for i in _INITIALS] + [f"{i}. {j}. " for i in _INITIALS for j in _INITIALS]


def make_athletes(rng: np.random.Generator, n_others: int, first_year: int, last_year: int) -> dict:
    """Stars first (ids 0..N_STARS-1, Kerr and Ingebrigtsen the last two), then the others:
    each with a name, a nationality and a career."""
    n = N_STARS + n_others
    codes, nat_idx, region_of_code = nationalities(rng, n)
    region_names = list(REGIONS)
    region = np.array([region_names.index(region_of_code[c]) for c in codes])[nat_idx]
    names = athlete_names(rng, region)
    nat = np.array(codes, dtype=object)[nat_idx]
    return {"name": names, "nat": nat, **careers(rng, n, first_year, last_year)}


def nationalities(rng: np.random.Generator, n: int) -> tuple[list[str], np.ndarray, dict[str, str]]:
    """(the countries' codes, each athlete's index among them, each code's region): by the
    regions' weights, stars leaning to the strong middle-distance nations; Kerr GBR and
    Ingebrigtsen NOR."""
    codes, weights, region_of_code = [], [], {}
    for reg, (countries, _, _) in REGIONS.items():
        for c, w in countries.items():
            codes.append(c)
            weights.append(w)
            region_of_code[c] = reg
    weights = np.array(weights, float) / sum(weights)
    nat_idx = rng.choice(len(codes), size=n, p=weights)
    strong = {"KEN": 4, "ETH": 3, "USA": 2, "GBR": 2, "MAR": 2, "NOR": 1.5, "ESP": 1.5, "AUS": 1.5}
    sw = np.array([w * strong.get(c, 0.6) for c, w in zip(codes, weights)])
    nat_idx[:N_STARS] = rng.choice(len(codes), size=N_STARS, p=sw / sw.sum())
    nat_idx[KERR_ID] = codes.index("GBR")
    nat_idx[JAKOB_ID] = codes.index("NOR")
    return codes, nat_idx, region_of_code


def athlete_names(rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
    """A distinct name for each athlete, plausible for their region (an index into REGIONS);
    Kerr and Ingebrigtsen by name."""
    names = np.empty(len(region), dtype=object)
    for r, reg in enumerate(REGIONS):
        who = np.flatnonzero(region == r)
        if len(who):
            names[who] = region_names_drawn(rng, reg, len(who))
    names[KERR_ID] = KERR
    names[JAKOB_ID] = JAKOB
    return unique_names(names)


def region_names_drawn(rng: np.random.Generator, region: str, need: int) -> list[str]:
    """need distinct names of a region's given and family names: plain "Given Family" first,
    then with one middle initial, then two (never a Kerr or an Ingebrigtsen)."""
    given = _words(REGIONS[region][1])
    family = [w for w in _words(REGIONS[region][2]) if w not in ("Kerr", "Ingebrigtsen")]
    gs = len(given) * len(family)
    plain = min(need, int(gs * 0.8))
    picks = list(rng.choice(gs, size=plain, replace=False))
    if need > plain:
        extra = rng.choice(gs * (len(MIDDLES) - 1), size=need - plain, replace=False) + gs
        picks.extend(extra)
    picks = np.array(picks, dtype=np.int64)
    rng.shuffle(picks)
    mid, rest = np.divmod(picks, gs)
    gi, fi = np.divmod(rest, len(family))
    return [f"{given[g]} {MIDDLES[m]}{family[f]}" for g, f, m in zip(gi, fi, mid)]


def unique_names(names: np.ndarray) -> np.ndarray:
    """The regions share some names ("Samuel", "Costa"): a name met again gets the first middle
    initial that makes it new. Kerr and Ingebrigtsen keep theirs."""
    seen = {KERR, JAKOB}
    for i in range(len(names)):
        if i in (KERR_ID, JAKOB_ID):
            continue
        nm = names[i]
        if nm in seen:
            g, f = nm.split(" ", 1)
            k = 0
            while nm in seen:
                nm = f"{g} {MIDDLES[1 + k]}{f}"
                k += 1
            names[i] = nm
        seen.add(nm)
    return names


def careers(rng: np.random.Generator, n: int, first_year: int, last_year: int) -> dict:
    """Each athlete's event group, first and last season, whether a star, ability at the peak
    (the fraction slower than the world record) and peak season. Kerr and Ingebrigtsen run the
    1500m from 2016, peaking in 2024."""
    group = rng.choice(3, size=n, p=[0.3, 0.4, 0.3]).astype(np.int8)
    group[KERR_ID:JAKOB_ID + 1] = 1
    # careers: a start year and a length; some started before the data's first year
    start = rng.integers(first_year - 8, last_year + 1, size=n)
    length = rng.integers(2, 16, size=n)
    star = np.arange(n) < N_STARS
    start[star] = rng.integers(first_year - 6, last_year - 4, size=N_STARS)
    length[star] = rng.integers(6, 15, size=N_STARS)
    start[KERR_ID:JAKOB_ID + 1], length[KERR_ID:JAKOB_ID + 1] = 2016, 12
    end = np.minimum(start + length - 1, last_year)
    ability = np.where(star, rng.uniform(0.008, 0.035, n), 0.03 + rng.gamma(2.0, 0.035, n))
    ability = np.minimum(ability, 0.3)
    ability[KERR_ID], ability[JAKOB_ID] = 0.0075, 0.0040
    peak = start + np.round(length * rng.uniform(0.4, 0.75, n)).astype(int)
    peak[KERR_ID:JAKOB_ID + 1] = 2024
    return {"group": group, "start": start, "end": end, "star": star, "ability": ability, "peak": peak}


def form_of(a, ath, year):
    """How much slower than the world record athletes ath are in a season (their ability, and
    the years away from their peak)."""
    return a["ability"][ath] + np.minimum(0.0016 * (year - a["peak"][ath]) ** 2, 0.05)


# --- fields ------------------------------------------------------------------------------


def pools(athletes: dict, years: range) -> dict:
    """(year, tier, group) -> active athletes in a random order (tier 0: stars, 1: others)."""
    out = {}
    tier = np.where(athletes["star"], 0, 1)
    for y in years:
        active = (athletes["start"] <= y) & (athletes["end"] >= y)
        for t in (0, 1):
            for g in range(3):
                out[(y, t, g)] = np.flatnonzero(active & (tier == t) & (athletes["group"] == g))
    return out


def pools_for(pool: dict, keys) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct pools of keys (year, tier, group), in order, and each key's index among them."""
    keys = [(int(y), int(t), int(g)) for y, t, g in keys]
    uniq = sorted(set(keys))
    index = {k: i for i, k in enumerate(uniq)}
    return [pool[k] for k in uniq], np.array([index[k] for k in keys])


def within(counts: np.ndarray) -> np.ndarray:
    """0, 1, … counting within each run of np.repeat(x, counts): [2, 3] -> [0, 1, 0, 1, 2]."""
    return np.arange(counts.sum()) - np.repeat(np.r_[0, np.cumsum(counts)[:-1]], counts)


def draw(rng, pool_arrays, pool_of_event, sizes_of_race, event_of_race, offset_of_race):
    """Fields for many races at once, each field a distinct set from its pool; races of one
    event (heats of one meet) share a draw so nobody runs two heats of one event.
    Returns (athlete per row, race per row)."""
    n_events = len(pool_of_event)
    psize = np.array([len(p) for p in pool_arrays], dtype=np.int64)
    poff = np.r_[0, np.cumsum(psize)[:-1]]
    flat = np.concatenate(pool_arrays) if pool_arrays else np.zeros(0, np.int64)
    P = psize[pool_of_event]
    start = (rng.random(n_events) * P).astype(np.int64)
    stride = (rng.random(n_events) * np.maximum(P - 1, 1)).astype(np.int64) + 1
    stride = np.where(np.gcd(stride, np.maximum(P, 1)) == 1, stride, 1)
    race_of_row = np.repeat(np.arange(len(sizes_of_race)), sizes_of_race)
    first = np.r_[0, np.cumsum(sizes_of_race)[:-1]]
    j = np.arange(len(race_of_row)) - np.repeat(first, sizes_of_race) + np.repeat(offset_of_race, sizes_of_race)
    ev = event_of_race[race_of_row]
    pos = (start[ev] + stride[ev] * j) % np.maximum(P[ev], 1)
    return flat[poff[pool_of_event[ev]] + pos], race_of_row


def force(ath, race, sizes, where, who, keep, slot):
    """Put athlete WHO into the races WHERE (at a slot from the end), unless already there;
    never displacing KEEP."""
    where = where.copy()
    present = np.zeros(len(sizes), bool)
    present[race[ath == who]] = True
    where &= ~present
    ends = np.cumsum(sizes)
    tgt = ends + slot
    alt = ends + slot - 1
    rows = np.where(ath[np.clip(tgt, 0, len(ath) - 1)] == keep, alt, tgt)
    rows = rows[where]
    ath = ath.copy()
    ath[rows] = who
    return ath


# --- championships -----------------------------------------------------------------------


def add_championships(b: Builder, rng, a, pool, years) -> int:
    """Every championships (CHAMPIONSHIPS) held in the years: each event's rounds, where the
    best placed and fastest go through to the next. Returns the number of rows."""
    rows = 0
    for level, (mname, indoor, hosts) in CHAMPIONSHIPS.items():
        rounds_for = ROUNDS_INDOOR if indoor else (ROUNDS_GLOBAL if level in ("olympics", "worlds") else ROUNDS_AREA)
        for y, (city, country, mo, d) in sorted(hosts.items()):
            if y not in years:
                continue
            meet_id = b.meet(mname, city, country, level, indoor)
            day0 = np.datetime64(f"{y}-{mo:02d}-{d:02d}")
            for k, (ev, rounds) in enumerate(rounds_for.items()):
                entrants = championship_entrants(rng, a, pool, level, y, ev)
                runners = entrants[: rounds[0][0] * rounds[0][1]]
                first_day = day0 + np.timedelta64(k % 3, "D")  # the events start on different days
                rows += run_rounds(b, rng, a, (meet_id, first_day, y, ev, indoor), rounds, runners)
    return rows


def championship_entrants(rng, a, pool, level: str, year: int, ev: int) -> np.ndarray:
    """Who enters an event: the athletes of its group active that year (of the area's nations
    at an area championships), in order of form, with a little luck."""
    g = GROUP_OF_EVENT[ev]
    eligible = np.concatenate([pool[(year, 0, g)], pool[(year, 1, g)]])
    if level in AREA_NATIONS:
        eligible = eligible[np.isin(a["nat"][eligible], list(AREA_NATIONS[level]))]
    form = form_of(a, eligible, year)
    return eligible[np.argsort(form + rng.normal(0, 0.004, len(eligible)), kind="stable")]


def run_rounds(b: Builder, rng, a, event: tuple, rounds, runners: np.ndarray) -> int:
    """An event's rounds, two days apart, heats to final: each round's runners seeded into its
    races, and its qualifiers the runners of the next. event is (meet, first day, year, event,
    indoor). Returns the number of rows."""
    meet_id, first_day, year, ev, indoor = event
    rows = 0
    for ri, (n_races, _) in enumerate(rounds):
        final = ri == len(rounds) - 1
        if len(runners) < 8:
            break
        n_races = max(1, min(n_races, len(runners) // 8))
        field_ath, field_race = seed_races(rng, a, runners, year, n_races)
        date = np.full(n_races, first_day + np.timedelta64(2 * ri, "D"))
        pace = rng.normal(0.018 if not final else 0.01, 0.01, n_races) + (0.012 if indoor else 0.0)
        ath, _, hund, status, place = b.add(
            np.full(n_races, meet_id), date, np.full(n_races, ev), round_labels(ri, len(rounds), n_races), pace,
            np.full(n_races, 0.015), field_ath, field_race,
        )
        rows += len(ath)
        if final:
            break
        runners = qualifiers(ath, hund, status, place, n_races, rounds[ri + 1][0] * rounds[ri + 1][1])
    return rows


def seed_races(rng, a, runners: np.ndarray, year: int, n_races: int) -> tuple[np.ndarray, np.ndarray]:
    """Runners seeded snake-wise, by form with a little luck, into n_races races:
    (athlete, race) of each row, race by race."""
    seeded = runners[np.argsort(form_of(a, runners, year) + rng.normal(0, 0.01, len(runners)))]
    lane = np.arange(len(seeded))
    block, idx = np.divmod(lane, n_races)
    race_local = np.where(block % 2 == 0, idx, n_races - 1 - idx)
    order = np.argsort(race_local, kind="stable")
    return seeded[order], race_local[order]


def round_labels(ri: int, n_rounds: int, n_races: int) -> np.ndarray:
    """The rounds' names of the races of round ri: "final"; "semi-final 1" … in the middle one
    of three rounds; "heat 1" … otherwise."""
    if ri == n_rounds - 1:
        return np.array(["final"], dtype=object)
    name = "semi-final" if ri == n_rounds - 2 and n_rounds == 3 else "heat"
    return np.array([f"{name} {i + 1}" for i in range(n_races)], dtype=object)


def qualifiers(ath, hund, status, place, n_races: int, next_size: int) -> np.ndarray:
    """Who goes through to a round of about next_size: the first q of each race (q making
    about three quarters of it), then the fastest of the other finishers."""
    q = max(1, (next_size * 3 // 4) // n_races)
    fin = status == 0
    auto = fin & (place <= q)
    rest = np.flatnonzero(fin & ~auto)
    rest = rest[np.argsort(hund[rest], kind="stable")][: max(0, next_size - auto.sum())]
    return np.concatenate([ath[auto], ath[rest]])


# --- Diamond League and national championships -------------------------------------------


def add_diamond_league(b: Builder, rng, pool, years) -> int:
    """Diamond League meets (and their forerunners): two of the three event groups each, stars
    only, pacemakers who drop out, Kerr and Ingebrigtsen in most of the 1500 group's races from
    2016. Returns the number of rows."""
    dl = diamond_league_meetings(years)
    meet_ids = np.array([b.meet(name, city, country, DIAMOND if y >= DIAMOND_LEAGUE_FROM else OTHER, False)
                         for y, name, city, country, *_ in dl])
    dates = np.array([np.datetime64(f"{y}-{mo:02d}-{d:02d}") + np.timedelta64(int(rng.integers(-3, 4)), "D")
                      for y, _, _, _, mo, d, _ in dl])
    r_group = np.argsort(rng.random((len(dl), 3)), axis=1)[:, :2].ravel()  # each meet holds 2 of the 3 groups
    r_year = np.repeat([m[0] for m in dl], 2)
    mid = np.repeat([m[6] for m in dl], 2)
    long = np.where(rng.random(2 * len(dl)) < 0.6, E5000, E3000)
    r_event = np.select([r_group == 0, r_group == 1], [E800, mid], default=long)
    pool_arrays, pool_of_race = pools_for(pool, [(y, 0, g) for y, g in zip(r_year, r_group)])
    P = np.array([len(pool_arrays[i]) for i in pool_of_race])
    sizes = np.minimum(rng.integers(10, 17, size=len(r_group)), P)
    ath, race = draw(rng, pool_arrays, pool_of_race, sizes, np.arange(len(sizes)), np.zeros(len(sizes), np.int64))
    rivals_year = (r_group == 1) & (r_year >= 2016)
    ath = force(ath, race, sizes, rivals_year & (rng.random(len(sizes)) < 0.4), KERR_ID, JAKOB_ID, -1)
    ath = force(ath, race, sizes, rivals_year & (rng.random(len(sizes)) < 0.45), JAKOB_ID, KERR_ID, -2)
    pace = rng.normal(0.004, 0.006, len(sizes))
    b.add(np.repeat(meet_ids, 2), np.repeat(dates, 2), r_event, np.full(len(sizes), "final", dtype=object), pace,
          np.full(len(sizes), 0.06), ath, race)
    return len(ath)


def diamond_league_meetings(years) -> list[tuple]:
    """(year, name, city, country, month, day, the 1500 group's event) of each Diamond League
    meet of the years; none in Paris in 2024, which keeps "paris 2024" for the Olympic Games."""
    return [(y, *m) for y in years for m in DIAMOND_LEAGUE if not (y == 2024 and m[1] == "Paris")]


def add_nationals(b: Builder, rng, a, years, budget: int) -> int:
    """National championships of the countries, (year, country) in a random order until about
    budget rows: an event for each group with 8 or more of the country's athletes active that
    year. Returns the number of rows."""
    by_nat = active_by_nation(a, years)
    countries = sorted(CITIES)
    races = []  # (meet, date, event, round, field)
    rows = 0
    pairs = [(y, c) for y in years for c in countries]
    for i in rng.permutation(len(pairs)):
        y, c = pairs[i]
        if rows >= budget:
            break
        cities = CITIES[c].split(";")
        meet_id = b.meet(f"{DEMONYM[c]} Championships", cities[y % len(cities)], c, NATIONAL, False)
        day = np.datetime64(f"{y}-06-20") + np.timedelta64(countries.index(c) % 28, "D")
        for g in range(3):
            athletes = by_nat.get((y, g, c), np.zeros(0, np.int64))
            for days, label, field in national_event(rng, a, athletes, y):
                races.append((meet_id, day + np.timedelta64(days, "D"), (E800, E1500, E5000)[g], label, field))
                rows += len(field)
    if races:
        m = len(races)
        meet, date, event, label, fields = zip(*races)
        b.add(np.array(meet), np.array(date), np.array(event), np.array(label, dtype=object),
              rng.normal(0.012, 0.008, m), np.full(m, 0.02), np.concatenate(fields),
              np.repeat(np.arange(m), [len(f) for f in fields]))
    return rows


def active_by_nation(a: dict, years) -> dict:
    """(year, group, country) -> the athletes of that country and group active that year."""
    out = {}
    for y in years:
        active = (a["start"] <= y) & (a["end"] >= y)
        for g in range(3):
            idx = np.flatnonzero(active & (a["group"] == g))
            idx = idx[np.argsort(a["nat"][idx], kind="stable")]
            nats = a["nat"][idx]
            bounds = np.flatnonzero(np.r_[True, nats[1:] != nats[:-1], True])
            for s, e in zip(bounds[:-1], bounds[1:]):
                out[(y, g, nats[s])] = idx[s:e]
    return out


def national_event(rng, a, athletes: np.ndarray, year: int) -> list[tuple[int, str, np.ndarray]]:
    """The races of one event at a national championships, as (days after the first, round,
    field): none for fewer than 8 athletes; a final of the 16 best, or, for more, heats of the
    32 best drawn by lot and two days later a final of the 12 best."""
    if len(athletes) < 8:
        return []
    best = athletes[np.argsort(form_of(a, athletes, year), kind="stable")][:32]
    n_heats = 1 if len(best) <= 16 else len(best) // 12
    if n_heats == 1:
        best = best[:16]
    heat = rng.permutation(len(best)) % n_heats
    races = [(0, "final" if n_heats == 1 else f"heat {h + 1}", best[heat == h]) for h in range(n_heats)]
    if n_heats > 1:
        races.append((2, "final", best[:12]))
    return races


# --- ordinary meets ----------------------------------------------------------------------

ROWS_PER_MEET = 1.8 * 1.6 * 12  # about: groups a meet × heats an event × a field


class Meets(NamedTuple):
    ids: np.ndarray  # the Builder's number of each meet
    date: np.ndarray
    indoor: np.ndarray
    year: np.ndarray


class Events(NamedTuple):
    meet: np.ndarray  # index into Meets
    group: np.ndarray
    event: np.ndarray
    heats: np.ndarray


def add_bulk(b: Builder, rng, a, pool, years, bulk_rows: int) -> None:
    """Thousands of ordinary meets: 1-3 groups each, an event per group, 1-4 heats per event,
    exactly bulk_rows rows in all, and a star now and then in a first heat."""
    meets = ordinary_meets(b, rng, years, int(bulk_rows / ROWS_PER_MEET * 1.25) + 10)
    events = ordinary_events(rng, meets)
    e_year = meets.year[events.meet]
    pool_arrays, pool_of_event = pools_for(pool, [(y, 1, g) for y, g in zip(e_year, events.group)])
    pool_sizes = np.array([len(p) for p in pool_arrays])[pool_of_event]
    inst, heat, sizes, offset = heat_fields(rng, events.heats, pool_sizes, bulk_rows)
    ath, race = draw(rng, pool_arrays, pool_of_event, sizes, inst, offset)
    add_stars(rng, ath, sizes, heat, pool, e_year[inst], events.group[inst])
    # an event whose later heats were cut by the size limit keeps its "heat n" labels
    labels = np.where(events.heats[inst] == 1, "final", np.char.add("heat ", (heat + 1).astype(str))).astype(object)
    r_meet = events.meet[inst]
    pace = rng.normal(0.012, 0.01, len(sizes)) + np.where(meets.indoor[r_meet], 0.01, 0.0)
    b.add(meets.ids[r_meet], meets.date[r_meet], events.event[inst], labels, pace, np.full(len(sizes), 0.02),
          ath, race)


def ordinary_meets(b: Builder, rng, years, n_meets: int) -> Meets:
    """n_meets ordinary meets, more of them in later seasons, 15% indoors, each named after a
    city of CITIES (and a suffix) on a date of its season."""
    ys = np.array(list(years))
    yw = np.linspace(1.0, 2.5, len(ys))
    m_year = rng.choice(ys, size=n_meets, p=yw / yw.sum())
    m_indoor = rng.random(n_meets) < 0.15
    catalogues = (meet_catalogue(OUTDOOR_SUFFIX), meet_catalogue(INDOOR_SUFFIX))
    m_name, m_date = meet_calendar(rng, ys, m_year, m_indoor, catalogues)
    ids = np.empty(n_meets, dtype=np.int64)
    for i in range(n_meets):
        name, city, c = catalogues[int(m_indoor[i])][m_name[i]]
        ids[i] = b.meet(name, city, c, OTHER, bool(m_indoor[i]))
    return Meets(ids, m_date, m_indoor, m_year)


def meet_catalogue(suffixes) -> list[tuple[str, str, str]]:
    """(name, city, country) of every "City Suffix" meet."""
    return [(f"{city} {suf}", city, c) for c, cs in CITIES.items() for city in cs.split(";") for suf in suffixes]


def meet_calendar(rng, ys, m_year, m_indoor, catalogues) -> tuple[np.ndarray, np.ndarray]:
    """Each meet's name (its index in the outdoor or indoor catalogue) and date. A name recurs
    weekly through a season (22 weeks from 20 April outdoors, 9 from 10 January indoors) on a
    weekday of its own, and each meet of a year takes a distinct (name, week) slot, so
    (name, date) is never repeated."""
    m_name = np.empty(len(m_year), dtype=np.int64)
    m_date = np.empty(len(m_year), dtype="datetime64[D]")
    weekday = [rng.integers(0, 7, len(cat)) for cat in catalogues]
    for y in ys:
        for indoor, weeks, base in ((0, 22, f"{y}-04-20"), (1, 9, f"{y}-01-10")):
            sel = np.flatnonzero((m_year == y) & (m_indoor == bool(indoor)))
            if not len(sel):
                continue
            cap = len(catalogues[indoor]) * weeks
            if len(sel) > cap:  # more meets than slots (only at absurd sizes)
                raise SystemExit(f"too many meets in {y} for the name catalogue; use more years")
            slot = rng.choice(cap, size=len(sel), replace=False)
            week, nm = np.divmod(slot, len(catalogues[indoor]))
            m_name[sel] = nm
            m_date[sel] = np.datetime64(base) + (week * 7 + weekday[indoor][nm]).astype("timedelta64[D]")
    return m_name, m_date


def ordinary_events(rng, meets: Meets) -> Events:
    """1-3 of the event groups at each meet, an event for each (OUTDOOR_EVENTS or
    INDOOR_EVENTS), never one event twice at a meet, and 1-4 heats of each."""
    n_meets = len(meets.ids)
    n_groups = 1 + rng.binomial(2, 0.4, n_meets)
    gperm = np.argsort(rng.random((n_meets, 3)), axis=1)
    e_meet = np.repeat(np.arange(n_meets), n_groups)
    e_group = gperm[e_meet, within(n_groups)]
    e_event = choose_events(rng.random(len(e_meet)), e_group, meets.indoor[e_meet])
    # the 1500 group leaves 3000m to the 5000 group at a meet that has both
    has_g2 = np.zeros(n_meets, bool)
    has_g2[e_meet[e_group == 2]] = True
    e_event[(e_group == 1) & (e_event == E3000) & has_g2[e_meet]] = E1500
    e_heats = 1 + rng.binomial(3, 0.2, len(e_meet))
    return Events(e_meet, e_group, e_event, e_heats)


def choose_events(u: np.ndarray, e_group: np.ndarray, e_indoor: np.ndarray) -> np.ndarray:
    """The event of each group's race at a meet, by the weights of OUTDOOR_EVENTS or
    INDOOR_EVENTS, from uniform numbers u."""
    e_event = np.empty(len(u), np.int64)
    for indoor, table in ((False, OUTDOOR_EVENTS), (True, INDOOR_EVENTS)):
        for g, choices in table.items():
            sel = (e_indoor == indoor) & (e_group == g)
            cum = np.cumsum([w for _, w in choices])
            pick = np.searchsorted(cum, u[sel] * cum[-1], side="right").clip(0, len(choices) - 1)
            e_event[sel] = np.array([ev for ev, _ in choices])[pick]
    return e_event


def heat_fields(rng, e_heats, pool_sizes, bulk_rows: int):
    """The races of the events, a heat each: (its event, heat number, field size, offset in
    its event's draw). Fields of 8 to 16, nobody twice in one event (its heats share one draw,
    capped by the pool's size), cut at exactly bulk_rows rows."""
    inst = np.repeat(np.arange(len(e_heats)), e_heats)
    heat = within(e_heats)
    sizes = rng.integers(8, 17, len(inst))
    cum_in_event = np.cumsum(sizes) - np.repeat(np.r_[0, np.cumsum(sizes)][np.r_[0, np.cumsum(e_heats)[:-1]]], e_heats)
    offset = cum_in_event - sizes
    sizes = np.clip(np.minimum(sizes, pool_sizes[inst] - offset), 0, None)
    total = np.cumsum(sizes)
    keep = int(np.searchsorted(total, bulk_rows, side="left")) + 1
    if keep > len(sizes):
        raise SystemExit("internal: not enough ordinary meets generated")
    sizes = sizes[:keep].copy()
    sizes[-1] -= int(total[keep - 1] - bulk_rows)
    nz = sizes > 0
    return inst[:keep][nz], heat[:keep][nz], sizes[nz], offset[:keep][nz]


def add_stars(rng, ath, sizes, heat, pool, year, group) -> None:
    """A star of the race's year and group, now and then (4%), as the first row of a first heat
    (in place; stars are not in the others' pools, so the field stays distinct)."""
    first_heat = np.flatnonzero((heat == 0) & (rng.random(len(sizes)) < 0.04))
    row0 = np.r_[0, np.cumsum(sizes)[:-1]][first_heat]
    for i, r in zip(first_heat, row0):
        stars = pool[(int(year[i]), 0, int(group[i]))]
        if len(stars):
            ath[r] = stars[rng.integers(len(stars))]


# --- the columns -------------------------------------------------------------------------


def assemble(b: Builder, a: dict, n_rows: int, seed: int) -> dict:
    """The parts' rows in the order races were run, cut to n_rows, their PB and SB notes, and
    the text of every column."""
    rows = concat(b.parts, ("race", "athlete", "hund", "status", "place"))
    races = concat(b.parts, ("r_meet", "r_date", "r_event", "r_round"))
    rank = race_rank(races)
    rows = rows_in_order(rows, rank, n_rows)
    race = rows["race"]
    year = races["r_date"][race].astype("datetime64[Y]").astype(np.int64) + 1970
    note = pb_sb(rows["athlete"], races["r_event"][race], year, rank[race], rows["status"] == 0, rows["hund"])
    return text_columns(rows, races, note, b.meets, a, seed)


def concat(parts: list[dict], keys) -> dict:
    """The arrays of keys of all parts, one after the other (dates as days, rounds as text)."""
    kinds = {"r_date": "datetime64[D]", "r_round": object}
    return {k: np.concatenate([np.asarray(p[k]).astype(kinds[k]) if k in kinds else p[k] for p in parts]) for k in keys}


def race_rank(races: dict) -> np.ndarray:
    """Each race's position when races are ordered by date, meet, event and then as added."""
    rorder = np.lexsort((np.arange(len(races["r_meet"])), races["r_event"], races["r_meet"], races["r_date"]))
    rank = np.empty_like(rorder)
    rank[rorder] = np.arange(len(rorder))
    return rank


def rows_in_order(rows: dict, rank: np.ndarray, n_rows: int) -> dict:
    """Rows race by race in race order (within a race already in order of place); at tiny sizes
    only the latest n_rows (the first race may be cut short)."""
    order = np.lexsort((np.arange(len(rows["race"])), rank[rows["race"]]))
    return {k: v[order][-n_rows:] if len(order) > n_rows else v[order] for k, v in rows.items()}


def pb_sb(ath, ev, year, when, fin, hund) -> np.ndarray:
    """0, or 1 for a PB (faster than every earlier mark of the athlete at the event), or 2 for
    an SB (faster than every earlier one of that year, where not a PB)."""
    note = np.zeros(len(ath), np.int8)
    key_order = np.lexsort((when, ev, ath))
    for per_year, code in ((False, 1), (True, 2)):
        k_y = year[key_order] if per_year else np.zeros(len(key_order), np.int64)
        improved = beats_earlier(ath[key_order], ev[key_order], k_y, fin[key_order], hund[key_order])
        note[key_order[improved & (note[key_order] == 0)]] = code
    return note


def beats_earlier(k_ath, k_ev, k_y, fin, hund) -> np.ndarray:
    """For rows sorted by (athlete, event, year) and time: whether each is a finish faster
    than every earlier finish of its (athlete, event, year)."""
    grp = np.r_[True, (k_ath[1:] != k_ath[:-1]) | (k_ev[1:] != k_ev[:-1]) | (k_y[1:] != k_y[:-1])]
    h = np.where(fin, hund, np.int64(10**9))
    gid = np.cumsum(grp) - 1
    big = np.int64(10**10)
    # running minimum within each group: a cummin turned into a cummax on a shifted scale
    run = -np.maximum.accumulate(-(h - gid * big)) + gid * big  # inclusive of the row
    prev = np.where(grp, np.int64(10**9), np.r_[np.int64(10**9), run[:-1]])
    return fin & (h < prev) & ~grp


def text_columns(rows: dict, races: dict, note: np.ndarray, meets: list[tuple], a: dict, seed: int) -> dict:
    """Every column's text (BASE_COLUMNS), through small lookup tables."""
    race, status = rows["race"], rows["status"]
    udates, dinv = np.unique(races["r_date"][race], return_inverse=True)
    mid = races["r_meet"][race]
    name, city, country, level, indoor = (np.array(col, dtype=object) for col in zip(*meets))
    indoor = np.where(indoor.astype(bool), "true", "false").astype(object)
    place_lut = np.array([""] + [str(i) for i in range(1, 100)], dtype=object)
    return {
        "date": np.array([str(d) for d in udates], dtype=object)[dinv], "meet": name[mid], "city": city[mid],
        "country": country[mid], "level": level[mid], "event": np.array(EVENTS, dtype=object)[races["r_event"][race]],
        "round": races["r_round"][race], "indoor": indoor[mid], "athlete": a["name"][rows["athlete"]],
        "nat": a["nat"][rows["athlete"]], "place": place_lut[rows["place"]], "time": marks_text(rows["hund"], status),
        "note": np.array(["", "PB", "SB"], dtype=object)[note],
        "source": np.full(len(race), f"synthetic: bench/generate.py seed {seed}", dtype=object),
    }


def marks_text(hund: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Each row's time as miler prints it (format_mark of its hundredths), or DNF, DNS, DQ."""
    uh, inv = np.unique(hund, return_inverse=True)
    text = np.array([format_mark(h / 100) for h in uh.tolist()], dtype=object)[inv]
    return np.where(status == 0, text, np.array(["", "DNF", "DNS", "DQ"], dtype=object)[status])


# --- the file ----------------------------------------------------------------------------


def write_csv(cols: dict, path: Path, chunk: int = 250_000) -> None:
    """Write the columns as CSV (no field needs quoting: no commas or quotes in the text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    n = len(cols["date"])
    arrays = [cols[c] for c in BASE_COLUMNS]
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(BASE_COLUMNS) + "\n")
        for s in range(0, n, chunk):
            rows = zip(*(arr[s : s + chunk] for arr in arrays))
            f.write("\n".join(map(",".join, rows)))
            f.write("\n")
    tmp.replace(path)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("size", type=parse_size, help="number of rows: 100000, 100k, 1m, 5M")
    p.add_argument("-o", "--output", required=True, type=Path,
                   help="a folder (races.csv is written in it) or a .csv file")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--first-year", type=int, default=None,
                   help="first season (default 2000, later for small sizes)")
    p.add_argument("--last-year", type=int, default=2025)
    p.add_argument("-q", "--quiet", action="store_true")
    args = p.parse_args(argv)
    out = args.output
    path = out if out.suffix.lower() == ".csv" else out / "races.csv"
    log = None if args.quiet else (lambda m: print(m, file=sys.stderr))
    t0 = time.perf_counter()
    if args.first_year is None:
        # championships, Diamond League and nationals make about 700 rows a season: keep them
        # to about half of a small file
        args.first_year = max(2000, args.last_year + 1 - max(1, int(args.size * 0.5 / 700)))
    cols = generate(args.size, args.seed, args.first_year, args.last_year, log=log)
    t1 = time.perf_counter()
    write_csv(cols, path)
    t2 = time.perf_counter()
    meta = {"rows": len(cols["date"]), "seed": args.seed, "first_year": args.first_year,
            "last_year": args.last_year, "meet_query": "paris 2024", "meet": "Olympic Games",
            "meet_year": 2024, "athletes": [KERR, JAKOB], "generator_version": GENERATOR_VERSION}
    (path.parent / "bench-meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    if log:
        log(f"{path}: {meta['rows']:,} rows, {path.stat().st_size / 1e6:.1f} MB "
            f"(generated in {t1 - t0:.1f}s, written in {t2 - t1:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
