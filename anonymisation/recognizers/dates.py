"""DATE and DATE_OF_BIRTH: concrete dates in each language; a birth cue before one makes it a
date of birth ("born", "DOB", "nacido", "fecha de nacimiento", "geboren", "γεννήθηκε").

``parse_year_month`` is shared with the generalise operator, which keeps only the month.
"""

from __future__ import annotations

from functools import cache

import regex
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymisation.recognizers.text import fold

SCORE_DATE = 0.6
SCORE_DATE_OF_BIRTH = 0.9
# How far before a date a birth cue may stand (characters).
BIRTH_CUE_WINDOW = 60

# Month names (folded) -> month number, all four languages, full and abbreviated forms.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan enero ene januari ιανουαριος ιανουαριου ιαν",
        "february feb febrero februari φεβρουαριος φεβρουαριου φεβ",
        "march mar marzo maart μαρτιος μαρτιου μαρ",
        "april apr abril abr απριλιος απριλιου απρ",
        "may mayo mei μαιος μαιου μαι",
        "june jun junio juni ιουνιος ιουνιου ιουν",
        "july jul julio juli ιουλιος ιουλιου ιουλ",
        "august aug agosto ago augustus αυγουστος αυγουστου αυγ",
        "september sep sept septiembre setiembre σεπτεμβριος σεπτεμβριου σεπ",
        "october oct octubre oktober okt οκτωβριος οκτωβριου οκτ",
        "november nov noviembre νοεμβριος νοεμβριου νοε",
        "december dec diciembre dic δεκεμβριος δεκεμβριου δεκ",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_NAMES_EN = (
    "January February March April May June July August September October November December"
).split()

_MONTH_WORD = r"(?P<month>\p{L}{3,11}\.?)"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATE_PATTERNS = [
    # 2024-03-05
    regex.compile(rf"\b{_YEAR}-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])\b"),
    # 05/03/2024, 5.3.24, 05-03-2024 (day first, as in all four countries)
    regex.compile(
        r"\b(?P<d>0?[1-9]|[12]\d|3[01])([/.\-])(?P<m>0?[1-9]|1[0-2])\2"
        r"(?P<year>(?:19|20)?\d{2})\b"
    ),
    # 5 March 2024, 5th of March, 2024, 5 de marzo de 2024, 5 maart 2024, 5 Μαρτίου 2024
    regex.compile(
        rf"\b(?P<d>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|η|ης|º)?(?:\s+(?:of|de))?\s+{_MONTH_WORD}"
        rf"(?:,?\s+(?:de(?:l)?\s+)?{_YEAR})?"
    ),
    # March 5, 2024 / March 2024
    regex.compile(
        rf"\b{_MONTH_WORD}\s+(?:(?P<d>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+)?{_YEAR}\b"
    ),
]

_BIRTH_CUES = regex.compile(
    r"born|birth|\bdob\b|d\.o\.b|b-day|\bnacid[oa]s?\b|nacimiento|f\.\s?nac|\bnac\.|"
    r"geboren|geboorte|\bgeb\.|γεννήθηκε|γεννηθηκε|γέννησης|γεννησης|γεννηθείς|γεννημέν|γεννημεν|γενν\.",
    regex.IGNORECASE,
)


def _month_number(word: str) -> int | None:
    return _MONTHS.get(fold(word.rstrip(".")))


def find_dates(text: str) -> list[tuple[int, int]]:
    """Spans of concrete dates in ``text``, longest first where patterns overlap."""
    spans: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("month") is not None and _month_number(groups["month"]) is None:
                continue
            span = match.span()
            if not any(s <= span[0] and span[1] <= e for s, e in spans):
                spans = [(s, e) for s, e in spans if not (span[0] <= s and e <= span[1])]
                spans.append(span)
    return sorted(spans)


@cache
def _month_only_match(text: str) -> tuple[int, int | None] | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        groups = match.groupdict()
        month = _month_number(groups["month"]) if groups.get("month") else int(groups["m"])
        if month is None:
            continue
        year_text = groups.get("year")
        year = None
        if year_text:
            year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
        return month, year
    return None


def parse_year_month(text: str) -> tuple[int, int | None] | None:
    """(month, year or None) of a date found by ``find_dates``; None if it cannot be parsed."""
    return _month_only_match(text)


def month_label(month: int, year: int | None) -> str:
    """The generalised form of a date: "2024-03", or "March" when the year is unknown."""
    return f"{year:04d}-{month:02d}" if year else _MONTH_NAMES_EN[month - 1]


class DateAndBirthRecognizer(LocalRecognizer):
    """DATE for concrete dates, DATE_OF_BIRTH when a birth cue precedes the date."""

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=["DATE", "DATE_OF_BIRTH"],
            supported_language=language,
            name="date_pattern",
        )

    def load(self) -> None:
        """Patterns are compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Find dates and classify each as DATE or DATE_OF_BIRTH."""
        results = []
        previous_end = 0
        for start, end in find_dates(text):
            # A cue belongs to the nearest date after it, not to every date that follows.
            window = text[max(previous_end, start - BIRTH_CUE_WINDOW) : start]
            previous_end = end
            birth = _BIRTH_CUES.search(window) is not None
            entity = "DATE_OF_BIRTH" if birth else "DATE"
            if entity not in entities:
                continue
            score = SCORE_DATE_OF_BIRTH if birth else SCORE_DATE
            results.append(
                RecognizerResult(
                    entity_type=entity,
                    start=start,
                    end=end,
                    score=score,
                    analysis_explanation=AnalysisExplanation(
                        recognizer=self.name,
                        original_score=score,
                        textual_explanation="birth cue before date" if birth else "date",
                    ),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: (
                            "date_of_birth_context" if birth else self.name
                        ),
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
