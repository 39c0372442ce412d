"""PERSON without a language model: name lists, titles and capitalisation patterns.

A run of capitalised words (joined by name particles such as "van der" or "de la") is a name
when it is introduced by a title ("Mr", "Sra.", "dhr.", "κ."), or when it holds a known first
name or surname. Words that are also months, places or occupations ("abril", "Valencia",
"Bakker") are *ambiguous*: alone they are never a name, next to a first name or a title they are.
A lone unknown capitalised word gets a low score that only context ("victim", "testigo",
"getuige", "μάρτυρας") lifts over the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import regex
import spacy
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymisation.recognizers.text import data_lines, fold

ENTITY = "PERSON"
SCORE_TITLED = 0.85
SCORE_FULL_NAME = 0.85
SCORE_SURNAMES_ONLY = 0.7
SCORE_FIRST_NAME = 0.7
SCORE_SURNAME = 0.5
SCORE_SURNAME_SENTENCE_START = 0.3
SCORE_UNKNOWN = 0.2
# Two or more unlisted capitalised words mid-sentence: a name unless a language model calls
# them something else; without a model (es/nl/el) too many are places, so context decides.
SCORE_UNKNOWN_PAIR_WITH_NER = 0.5
SCORE_UNKNOWN_PAIR = 0.3
# Two or three unlisted capitalised words tied to an organisation ("X Y of Acme",
# "Acme's X Y"): how news and business texts name people.
SCORE_AFFILIATED = 0.6
MAX_NAME_WORDS = 5

# A word: letters, with inner apostrophes or hyphens (O'Neill, García-Pérez).
_WORD = regex.compile(r"\p{L}+(?:['’\-]\p{L}+)*\.?")


@dataclass(frozen=True)
class PersonWords:
    """The per-language vocabulary of the name recognizer (all compared with ``fold``)."""

    titles: frozenset[str]
    particles: frozenset[str]
    ambiguous: frozenset[str]
    # Capitalised words that end a name run and are never part of a name (street types,
    # institutions); "John Smith Street" is an address, found by the address recognizer.
    stoppers: frozenset[str]
    # Word endings that make a word a street name ("Herestraat", "Emmiussingel").
    stopper_suffixes: tuple[str, ...]
    context: tuple[str, ...]
    # The language's stop words ("The", "El", "De", "Ο"), never part of a name.
    stop: frozenset[str]


def _words(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


_MONTHS_DAYS = {
    "en": "January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "es": "Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Setiembre Octubre "
    "Noviembre Diciembre Lunes Martes Miércoles Jueves Viernes Sábado Domingo",
    "nl": "Januari Februari Maart April Mei Juni Juli Augustus September Oktober November "
    "December Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag",
    "el": "Ιανουάριος Φεβρουάριος Μάρτιος Απρίλιος Μάιος Ιούνιος Ιούλιος Αύγουστος Σεπτέμβριος "
    "Οκτώβριος Νοέμβριος Δεκέμβριος Ιανουαρίου Φεβρουαρίου Μαρτίου Απριλίου Μαΐου Ιουνίου "
    "Ιουλίου Αυγούστου Σεπτεμβρίου Οκτωβρίου Νοεμβρίου Δεκεμβρίου Δευτέρα Τρίτη Τετάρτη "
    "Πέμπτη Παρασκευή Σάββατο Κυριακή Μήνας Μήνα Δήμος Δήμο Δήμου",
}
# Places that are also surnames or first names, in every language (cities of the pilots and
# the biggest places their reports mention).
_PLACES = (
    "Belfast Preston Lancashire Antrim Down Derry Londonderry Ulster Ireland England London "
    "Manchester Liverpool Lancaster Blackpool Chorley Valencia València Madrid Sevilla Toledo "
    "León Granada Málaga Murcia Castellón Alicante Gandía Sagunto Burgos Soria Ávila Zamora "
    "Groningen Assen Drenthe Haren Amsterdam Rotterdam Utrecht Leeuwarden Friesland Holland "
    "Bilbao Zaragoza Cáceres Vigo Oviedo Santander Salamanca Cádiz Córdoba Huelva Jaén Almería "
    "Badajoz Lugo Ourense Orense Pontevedra Coruña Gijón Pamplona Logroño Huesca Teruel Lleida "
    "Tarragona Girona Barcelona Palma Segovia Cuenca Guadalajara Albacete Oliva Alcira Alzira "
    "Elche Torrent Paterna Manises Burjassot Mislata Xàtiva Játiva Dénia Benidorm Cartagena "
    "Nicosia Lefkosia Limassol Larnaca Paphos Famagusta Kyrenia Cyprus Greece Athens España "
    "Λευκωσία Λεμεσός Λάρνακα Πάφος Αμμόχωστος Κερύνεια Κύπρος Ελλάδα Αθήνα Θεσσαλονίκη "
    "Πάτρα Λευκωσίας Λεμεσού Λάρνακας Πάφου Αθήνας Κύπρου Ελλάδας Στρόβολος Στροβόλου"
)
_AMBIGUOUS = {
    # Occupations and everyday words that are also common surnames or first names.
    "en": "Baker Smith Cook Butcher Carpenter Mason Porter Miller Fisher Hunter Farmer Taylor "
    "Butler Page Knight Bishop Church Hill Wood Woods Brook Brooks Field Fields Green Brown "
    "White Black Grey Gray Young Long Little Rose Rich Price Hope Joy Grace Faith Will Mark "
    "Bill Sun Sunny Summer Winter Dawn Eve Crystal Amber Ruby Jade Victoria Guinness Ford "
    "Jaguar Mercedes Police Officer Constable Sergeant Court Crown Street Road Lane Avenue "
    "Instagram Facebook WhatsApp Snapchat TikTok Twitter Lidl Aldi Tesco Asda Spar Eurospar "
    "Reg Tel Graffiti CCTV Carrera Corsa Fiesta Golf Polo Astra Focus",
    "es": "Rosa Paz Luz Mar Sol Pilar Amparo Consuelo Dolores Soledad Rocío Blanco Moreno Rubio "
    "Calvo Bravo Delgado Cruz Santos Iglesias Castillo Vega Prado Campo Sierra Torre Torres "
    "Guardia Policía Agente Nacional Civil Local Juzgado Hospital Calle Plaza Salud Ángel "
    "Ángeles Victoria Asunción Reyes Pascual Cabello Herrero Herrera Ferrero Pastor Molinero "
    "Zapatero Carpintero Abril Mayo Marzo Domingo",
    "nl": "Bakker Visser Smit Smits Mulder Boer Kok Dekker Brouwer Schipper Koster Molenaar "
    "Timmerman Timmermans Schouten Koopman Bos Groen Wit Zwart Jong Klein Groot Vos Haan "
    "Berg Dijk Meer Beek Bosch Wolf Politie Agent Gemeente Rechtbank Ziekenhuis Markt "
    "April Mei Maart Juni Juli Augustus",
    "el": "Αστυνομία Αστυνομίας Δικαστήριο Νοσοκομείο Οδός Λεωφόρος Πλατεία Αγίου Αγίας "
    "Άγιος Αγία Παναγία Χριστός Χριστού Παρασκευή Κυριακή Ευαγγελισμός Δευτέρα Μάιος",
}
_TITLES = {
    "en": "Mr Mr. Mrs Mrs. Ms Ms. Miss Mx Mx. Dr Dr. Prof Prof. Sir Dame Lady Lord PC PC. "
    "DC DC. Sgt Sgt. Sergeant Insp Insp. Inspector Constable Officer Detective DI DS DCI "
    "Superintendent Rev Rev. Fr Fr. Father Sister called named nicknamed",
    "es": "Sr Sr. Sra Sra. Srta Srta. D. Dña Dña. Dª Don Doña Dr Dr. Dra Dra. Prof Prof. "
    "Agente Sargento Inspector Inspectora Subinspector Cabo Comisario Oficial Señor Señora "
    "llamo llama llaman llamado llamada apodado apodada",
    "nl": "dhr dhr. mevr mevr. mw mw. mr mr. dr dr. drs drs. ir ir. ing ing. prof prof. "
    "heer mevrouw meneer agent agente brigadier inspecteur hoofdagent rechercheur Dhr Dhr. "
    "Mevr Mevr. Mw. Mr. Dr. Heer Mevrouw Meneer Agent Brigadier Inspecteur Hoofdagent "
    "heet heten genaamd",
    "el": "κ. κα κα. κυρ. κύριος κυρίου κύριο κυρία κυρίας δρ. Δρ. Δρ κ κος κος. "
    "αστυφύλακας αστυφύλακα αστυνόμος αστυνόμου λοχίας λοχία υπαστυνόμος υπαστυνόμου "
    "ενωμοτάρχης ενωμοτάρχη Κος Κα Κυρία Κύριος ονομάζεται ονομάζομαι λέγεται φωνάζουν "
    "λένε",
}
_PARTICLES = {
    "en": "O' Mc Mac van von de da di du le la del",
    "es": "de del la las los y i",
    "nl": "van de der den het ten ter te 't van't",
    "el": "",
}
_STOPPERS = {
    "en": "Street St Road Rd Lane Avenue Ave Drive Close Crescent Court Place Gardens Grove "
    "Terrace Way Park Square Row Walk Mews Parade Boulevard Hospital Station Police "
    "School College University Centre Center Church Hotel Bar Pub Shop Ltd Limited Council "
    "Inc LLC Corp Plc Group Bank "
    "Service Services Court Bridge Estate Retail",
    "es": "Calle Avenida Avda Plaza Paseo Camino Carretera Ronda Hospital Centro Comisaría "
    "Policía Guardia Juzgado Ayuntamiento Colegio Instituto Universidad Servicio Clínica "
    "Barrio Polígono Estación Parque",
    "nl": "Straat Weg Laan Plein Gracht Kade Singel Ziekenhuis Politie Gemeente Station "
    "Rechtbank School Universiteit Centrum Bureau",
    "el": "Οδός Οδού Λεωφόρος Λεωφόρου Πλατεία Πλατείας Νοσοκομείο Νοσοκομείου Αστυνομία "
    "Αστυνομίας Σταθμός Σταθμού Δήμος Δήμου Πανεπιστήμιο Σχολείο οδό οδών Λεωφ "
    "Αρχιεπισκόπου Αγίου Αγίας Αγίων",
}
_STOPPER_SUFFIXES = {
    "en": (),
    "es": (),
    "nl": ("straat", "weg", "laan", "plein", "gracht", "kade", "singel", "dijk", "dreef",
           "steeg", "markt", "plantsoen", "kanaal", "straatweg", "ziekenhuis"),
    "el": (),
}  # fmt: skip
# Context stems (Presidio matches them as substrings of the lowercase lemmas before a match).
_CONTEXT = {
    "en": (
        "victim",
        "witness",
        "suspect",
        "name",
        "called",
        "complainant",
        "offender",
        "driver",
        "owner",
        "neighbour",
        "neighbor",
        "informant",
        "daughter",
        "wife",
        "husband",
        "partner",
        "friend",
        "mother",
        "father",
        "brother",
        "sister",
    ),
    "es": (
        "víctima",
        "victima",
        "testigo",
        "sospechoso",
        "sospechosa",
        "nombre",
        "llamad",
        "denunciante",
        "detenid",
        "conductor",
        "propietari",
        "vecin",
        "apellid",
        "hijo",
        "hija",
        "esposa",
        "esposo",
        "marido",
        "pareja",
        "amig",
        "madre",
        "padre",
        "hermano",
        "hermana",
        "paciente",
    ),
    "nl": (
        "slachtoffer",
        "getuige",
        "verdachte",
        "naam",
        "genaamd",
        "aangever",
        "aangeefster",
        "bestuurder",
        "eigenaar",
        "buurman",
        "buurvrouw",
        "zoon",
        "dochter",
        "vrouw",
        "echtgeno",
        "partner",
        "vriend",
        "moeder",
        "vader",
        "broer",
        "zus",
    ),
    "el": (
        "θύμα",
        "θυμα",
        "μάρτυρ",
        "μαρτυρ",
        "ύποπτ",
        "υποπτ",
        "όνομα",
        "ονομα",
        "ονομάζ",
        "καταγγέλ",
        "οδηγ",
        "ιδιοκτήτ",
        "γείτον",
        "γιος",
        "κόρη",
        "σύζυγ",
        "φίλ",
        "μητέρα",
        "πατέρα",
        "αδελφ",
        "συλληφθ",
        "κατηγορούμεν",
    ),
}

# Greek surname endings (folded), so an unlisted Papadopoulos still anchors a name.
_GREEK_SURNAME_ENDINGS = (
    "οπουλος", "οπουλου", "οπουλο", "πουλος", "πουλου", "ιδης", "ιδη", "ιαδης", "ιαδη",
    "ακης", "ακη", "ακου", "ακος", "ιωτης", "ιωτη", "ογλου", "ουδης", "ουδη", "ελλης",
    "ατος", "ατου", "ιδου",
)  # fmt: skip


@cache
def person_words(language: str) -> PersonWords:
    """The name recognizer's vocabulary for ``language``."""
    return PersonWords(
        titles=_words(_TITLES[language]),
        particles=_words(_PARTICLES[language]),
        ambiguous=_words(_AMBIGUOUS[language] + " " + _MONTHS_DAYS[language] + " " + _PLACES),
        stoppers=_words(_STOPPERS[language]),
        stopper_suffixes=_STOPPER_SUFFIXES[language],
        context=_CONTEXT[language],
        stop=frozenset(fold(w) for w in spacy.util.get_lang_class(language).Defaults.stop_words),
    )


def _greek_forms(name: str) -> Iterable[str]:
    """The nominative plus the genitive/accusative/vocative forms reports use."""
    yield name
    for nominative, others in (
        ("ος", ("ου", "ο", "ε")),
        ("ης", ("η",)),
        ("ας", ("α",)),
        ("α", ("ας",)),
        ("η", ("ης",)),
        ("ω", ("ως",)),
    ):
        if name.endswith(nominative):
            stem = name[: -len(nominative)]
            yield from (stem + ending for ending in others)
            break


@cache
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames), folded, with Greek inflected forms added."""

    def expand(names: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for name in names:
            out.update(_greek_forms(fold(name)))
        return frozenset(out)

    first = data_lines("first_names.txt") + data_lines("first_names_extra.txt")
    return expand(first), expand(data_lines("surnames.txt"))


def implausible_ner_person(text: str, start: int, end: int, language: str) -> bool:
    """True if a language model's PERSON span is more likely a place, brand or label:
    every word ambiguous ("Valencia", "Instagram"), a street or institution word in it
    ("Moor Lane"), or one unlisted word followed by a number ("Reg LX21 KFW",
    "Tel: 0741...")."""
    span = text[start:end]
    words = person_words(language)
    keys = [fold(w.rstrip(".")) for w in _WORD.findall(span)]
    first, surnames = name_lists()
    if is_ambiguous_alone(span, language):
        # "Leon shouted", "Grace told us": a first name that is also a place or a word, used
        # as the subject of a verb, is the person the model says it is. "Victoria is ..."
        # (a stop word next) stays ambiguous.
        # "Summer Baker": a first name and a surname that are both also words is a name, as
        # the name list decides too (Presidio keeps only one of two equal findings).
        if len(keys) >= 2 and keys[0] in first and all(k in first or k in surnames for k in keys):
            return False
        return not (len(keys) == 1 and keys[0] in first and _acts(text, end, words.stop))
    if any(k in words.stoppers or k.endswith(words.stopper_suffixes) for k in keys):
        return True
    if len(keys) == 1 and keys[0] not in first and keys[0] not in surnames:
        # "salesperson", "Spokesperson": a lower-case word or an English "-person" noun the
        # model took for a name is a common noun.
        return span.islower() or keys[0].endswith("person") or bool(_NUMBER_NEXT.match(text, end))
    return False


_NEXT_WORD = regex.compile(r" (\p{Ll}+)\b")


def _acts(text: str, end: int, stop: frozenset[str]) -> bool:
    """True if the word after ``end`` is a lower-case word that is not a stop word (a verb
    such as "shouted" or "said")."""
    match = _NEXT_WORD.match(text, end)
    return match is not None and fold(match.group(1)) not in stop


_NUMBER_NEXT = regex.compile(r"[ \t]*[:.]?[ \t]*[\p{Lu}\d]{0,4}\d")


def is_ambiguous_alone(text: str, language: str) -> bool:
    """True if every word of ``text`` is a month, place or occupation word of ``language``."""
    words = [fold(w.rstrip(".")) for w in _WORD.findall(text)]
    ambiguous = person_words(language).ambiguous
    return bool(words) and all(w in ambiguous for w in words)


@dataclass
class _Word:
    start: int
    end: int
    text: str
    key: str


class NameListRecognizer(LocalRecognizer):
    """PERSON from name lists, titles and capitalisation, for one language."""

    def __init__(self, language: str, has_ner: bool = False) -> None:
        """``has_ner``: the language's pipeline has a model whose non-person entities can
        veto a name found by capitalisation alone."""
        self._words = person_words(language)
        self._has_ner = has_ner
        self._first, self._surnames = name_lists()
        self._greek = language == "el"
        self._english = language == "en"
        super().__init__(
            supported_entities=[ENTITY],
            supported_language=language,
            name="name_list",
            context=list(self._words.context),
        )

    def load(self) -> None:
        """The name lists are loaded in ``__init__``."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Find name runs in ``text`` and score them."""
        words = [
            _Word(m.start(), m.end(), m.group(), fold(m.group().rstrip(".")))
            for m in _WORD.finditer(text)
        ]
        results: list[RecognizerResult] = []
        i = 0
        while i < len(words):
            titled = (
                self._is_title(words[i])
                and i + 1 < len(words)
                and _joined(text, words[i], words[i + 1])
                # "Τ.Κ." (postcode) or "p.m." is an abbreviation, not the title "κ."/"mr".
                and (words[i].start == 0 or text[words[i].start - 1] not in ".")
            )
            start = i + 1 if titled else i
            run_end = self._run_end(text, words, start)
            if run_end > start and not titled and self._names_a_place(text, words, start, run_end):
                i = run_end
            elif run_end > start:
                result = self._score_run(text, words, start, run_end, titled, nlp_artifacts)
                if result is not None:
                    results.append(result)
                i = run_end
            else:
                i += 1
        return results

    def _names_a_place(self, text: str, words: list[_Word], start: int, end: int) -> bool:
        """A run right after or before a street or institution word ("Calle Blasco Ibáñez",
        "Lisburn Road", "Ubbo Emmiussingel") names the place, not a person there."""
        # "46780 Oliva", "48001 Bilbao": a place name follows a postcode.
        if _AFTER_POSTCODE.search(text, 0, words[start].start):
            return True
        before = words[start - 1] if start > 0 else None
        after = words[end] if end < len(words) else None
        return (
            (before is not None and _joined(text, before, words[start]) and self._stops(before))
            or (after is not None and _joined(text, words[end - 1], after) and self._stops(after))
            or self._stops(words[end - 1])
        )

    def _stops(self, word: _Word) -> bool:
        return word.key.rstrip(".") in self._words.stoppers or word.key.endswith(
            self._words.stopper_suffixes
        )

    def _is_title(self, word: _Word) -> bool:
        raw = fold(word.text)
        return raw in self._words.titles or word.key in self._words.titles

    def _is_capitalised(self, word: _Word) -> bool:
        first = word.text[0]
        if not first.isupper():
            return False
        # Acronyms (DNI, IBAN, NINO) are not names, even when a list has "Iban" or "Nino";
        # nor are abbreviations with ordinal indicators ("NºCol", "Nª").
        letters = word.text.rstrip(".")
        if "º" in letters or "ª" in letters or letters[1:2] == "-":  # "NºCol", "D-lock"
            return False
        return len(letters) == 1 or not letters.isupper()

    def _run_end(self, text: str, words: list[_Word], start: int) -> int:
        """Index after the last word of the capitalised run beginning at ``start``."""
        end = start
        j = start
        while j < len(words) and end - start < MAX_NAME_WORDS:
            word = words[j]
            if j > start and not _joined(text, words[j - 1], word):
                break
            if self._stops(word) and word.text[0].isupper():
                break
            if self._is_capitalised(word):
                if not word.text.endswith("."):
                    end = j + 1
                    j += 1
                    continue
                # A middle initial joins when a capitalised word follows ("Ana M. Ruiz").
                if j > start and _is_initial(word) and self._capitalised_next(text, words, j):
                    j += 1
                    continue
                # "Martínez." ends the sentence and the run; "D." is an initial or a title.
                if len(word.text) > 3:
                    end = j + 1
                break
            # Particles ("van der", "de la") join only when a capitalised word follows.
            if j > start and word.key in self._words.particles:
                j += 1
                continue
            break
        return end

    def _capitalised_next(self, text: str, words: list[_Word], j: int) -> bool:
        return (
            j + 1 < len(words)
            and _joined(text, words[j], words[j + 1])
            and self._is_capitalised(words[j + 1])
            and not words[j + 1].text.endswith(".")
        )

    def _score_run(
        self,
        text: str,
        words: list[_Word],
        start: int,
        end: int,
        titled: bool,
        nlp_artifacts: NlpArtifacts | None,
    ) -> RecognizerResult | None:
        run = words[start:end]
        kinds = [self._kind(w) for w in run]
        if not titled and all(k in ("unknown", "ambiguous") for k in kinds):
            return self._score_unknown_run(text, run, kinds, nlp_artifacts)
        if not titled:
            # Drop leading words that are not names ("Yesterday John Smith"); an ambiguous
            # word that is also a name stays when a real name follows ("Abril Martínez").
            paired = kinds.count("ambiguous_name") >= 2
            while run and (
                kinds[0] in ("unknown", "ambiguous")
                or (
                    kinds[0] == "ambiguous_name"
                    and "first" not in kinds
                    and "surname" not in kinds
                    and not paired
                )
            ):
                run, kinds = run[1:], kinds[1:]
            if not run:
                return None
        n_words = len(run)
        anchors = [k for k in kinds if k in ("first", "surname")]
        if titled:
            score = SCORE_TITLED
        elif n_words >= 2 and "first" in kinds:
            score = SCORE_FULL_NAME
        elif n_words >= 2 and (anchors or "ambiguous_name" in kinds):
            score = SCORE_SURNAMES_ONLY
        elif kinds[0] == "first":
            score = SCORE_FIRST_NAME
        elif kinds[0] == "surname":
            score = (
                SCORE_SURNAME_SENTENCE_START
                if _sentence_start(text, run[0].start)
                else SCORE_SURNAME
            )
        else:
            return None
        return self._result(text, run, score, "title" if titled else "name list")

    def _score_unknown_run(
        self,
        text: str,
        run: list[_Word],
        kinds: list[str],
        nlp_artifacts: NlpArtifacts | None,
    ) -> RecognizerResult | None:
        """Capitalised words in no list: a name only by capitalisation (and context).

        "The Steffen Mauer version": the leading article goes, two unknown capitalised
        words mid-sentence remain. A language model's non-person entity there (ORG, GPE)
        wins; one unknown word needs a context word ("victim", "testigo") to count.
        """
        whole = len(run)
        while run and (kinds[0] == "ambiguous" or run[0].key in self._words.stop):
            run, kinds = run[1:], kinds[1:]
        if not run or "ambiguous" in kinds:
            return None
        if len(run) >= 3 and any(_is_initial(w) for w in run[1:-1]):
            # Given name, middle initial, surname: how people are named, not places.
            return self._result(text, run, SCORE_FULL_NAME, "name with a middle initial")
        person = (
            _affiliated_person(text, run)
            if self._english
            and len(run) == whole
            and not _ARTICLE_BEFORE.search(text, 0, run[0].start)
            else None
        )
        if person is not None:
            return self._result(text, person, SCORE_AFFILIATED, "person of an organisation")
        if _sentence_start(text, run[0].start):
            return None
        if _other_entity_overlaps(nlp_artifacts, run[0].start, run[-1].end):
            return None
        if len(run) == 1:
            score = SCORE_UNKNOWN
        else:
            score = SCORE_UNKNOWN_PAIR_WITH_NER if self._has_ner else SCORE_UNKNOWN_PAIR
        return self._result(text, run, score, "capitalisation")

    def _result(
        self, text: str, run: list[_Word], score: float, explanation: str
    ) -> RecognizerResult:
        start_char, end_char = run[0].start, run[-1].end
        if text[end_char - 1] == ".":
            end_char -= 1
        return RecognizerResult(
            entity_type=ENTITY,
            start=start_char,
            end=end_char,
            score=score,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name,
                original_score=score,
                textual_explanation=explanation,
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )

    def _kind(self, word: _Word) -> str:
        if word.key in self._words.ambiguous:
            listed = word.key in self._first or word.key in self._surnames
            return "ambiguous_name" if listed else "ambiguous"
        if word.key in self._first:
            return "first"
        if word.key in self._surnames:
            return "surname"
        if self._greek and word.key.endswith(_GREEK_SURNAME_ENDINGS):
            return "surname"
        return "unknown"


def _is_initial(word: _Word) -> bool:
    return len(word.text) == 2 and word.text[1] == "." and word.text[0].isupper()


_POSSESSIVE = ("'s", "’s")
_ARTICLE_BEFORE = regex.compile(r"(?i)\b(?:the|a|an)[ \t]+$")
_OF_ORGANISATION = regex.compile(r" of \p{Lu}")


def _affiliated_person(text: str, run: list[_Word]) -> list[_Word] | None:
    """The two or three words naming a person by their organisation, if ``run`` does:
    "Ilse Vandekerk of Brightwave" (the run ends before " of " and a capitalised word) or
    "Brightwave's Ilse Vandekerk" (the words after a possessive). Either way the language
    model often calls the whole phrase an organisation, so its ORG label does not veto.
    One word is too little ("Bank of Ireland", "Mayor of Derry"); a run that began with
    "The" is an institution ("The Royal Society of ...") and was not passed here whole.
    """
    for i, word in enumerate(run):
        if word.text.endswith(_POSSESSIVE):
            person = run[i + 1 :]
            return person if 2 <= len(person) <= 3 else None
    if 2 <= len(run) <= 3 and _OF_ORGANISATION.match(text, run[-1].end):
        return run
    return None


def _other_entity_overlaps(nlp_artifacts: NlpArtifacts | None, start: int, end: int) -> bool:
    """True if the language model saw an entity other than a person in ``start:end``."""
    if nlp_artifacts is None or nlp_artifacts.tokens is None:
        return False
    return any(
        ent.start_char < end and start < ent.end_char and ent.label_ not in ("PERSON", "PER")
        for ent in nlp_artifacts.tokens.ents
    )


def _joined(text: str, left: _Word, right: _Word) -> bool:
    """Two words belong to one name run if only a space or a hyphen separates them."""
    gap = text[left.end : right.start]
    return gap in (" ", "-") or (gap.isspace() and "\n" not in gap and len(gap) <= 2)


_AFTER_POSTCODE = regex.compile(r"\b(?:\d{5}|\d{4}[ \t]?[A-Z]{2}),?[ \t]+$")
_SENTENCE_END = frozenset('.!?:;\n"“«(•-–')


def _sentence_start(text: str, index: int) -> bool:
    """True if ``index`` begins a sentence (capitalised there for grammar, not for a name)."""
    j = index - 1
    while j >= 0 and text[j] in " \t\r'‘\"“«¿¡":
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END
