"""PHONE, EMAIL, URL, IP, IBAN, PAYMENT_CARD and SOCIAL_HANDLE.

Presidio's own generic recognizers do the work (phonenumbers, Luhn and IBAN checksums), renamed
to the node's entity types and given context words in each language. Two changes matter:
the e-mail recognizer's public-suffix check uses tldextract's bundled snapshot instead of
fetching the list on first use, and phone regions are set in code (the YAML key is ignored).
"""

from __future__ import annotations

import regex
import tldextract
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UrlRecognizer,
)

from anonymisation.recognizers.patterns import RulePatternRecognizer

# Regions of the pilot cities and their neighbours.
PHONE_REGIONS = ("GB", "IE", "ES", "NL", "CY", "GR")
# Regions whose national formats (no "+" prefix) each language's reports use. Numbers with an
# international prefix are found whatever the region; each extra region costs a full
# phonenumbers pass over the text, the slowest step of the analysis.
PHONE_REGIONS_BY_LANGUAGE = {
    "en": ("GB", "IE", "CY"),
    "es": ("ES",),
    "nl": ("NL",),
    "el": ("CY", "GR"),
}

# suffix_list_urls=() means "never fetch"; cache_dir=None means "never write a cache": the
# snapshot bundled with tldextract is the only source.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

# Something a phone number could be: seven or more digits with the usual separators.
_PHONE_CANDIDATE = regex.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
# Characters kept on each side of a digit run: room for "+", "(0)" and an extension word.
_PHONE_WINDOW = 8

# "26-09-2025" is a date even where phonenumbers accepts it as a number.
_DATE_LIKE = regex.compile(r"\d{1,2}[\-/.]\d{1,2}[\-/.]\d{2,4}")

_CONTEXT = {
    "PHONE": {
        "en": ("phone", "tel", "mobile", "call", "contact", "number", "fax", "ring"),
        "es": ("teléfono", "telefono", "tel", "móvil", "movil", "llam", "contacto", "fax"),
        "nl": ("telefoon", "tel", "mobiel", "gsm", "bellen", "belde", "nummer", "fax"),
        "el": ("τηλέφων", "τηλεφων", "τηλ", "κινητό", "κινητο", "καλέσ", "επικοινων", "φαξ"),
    },
    "EMAIL": {
        "en": ("email", "e-mail", "mail"),
        "es": ("correo", "email", "e-mail", "electrónico"),
        "nl": ("e-mail", "email", "mail"),
        "el": ("email", "e-mail", "ηλεκτρονικ", "ταχυδρομ"),
    },
    "PAYMENT_CARD": {
        "en": ("card", "credit", "debit", "visa", "mastercard", "amex"),
        "es": ("tarjeta", "crédito", "credito", "débito", "debito", "visa"),
        "nl": ("kaart", "creditcard", "pinpas", "bankpas", "visa"),
        "el": ("κάρτα", "καρτα", "πιστωτικ", "χρεωστικ", "visa"),
    },
    "IBAN": {
        "en": ("iban", "account", "bank"),
        "es": ("iban", "cuenta", "banco", "bancari"),
        "nl": ("iban", "rekening", "bank"),
        "el": ("iban", "λογαριασμ", "τράπεζ", "τραπεζ"),
    },
    "SOCIAL_HANDLE": {
        "en": ("twitter", "instagram", "tiktok", "facebook", "snapchat", "handle", "account",
               "profile", "user"),
        "es": ("twitter", "instagram", "tiktok", "facebook", "usuario", "perfil", "cuenta"),
        "nl": ("twitter", "instagram", "tiktok", "facebook", "gebruiker", "profiel", "account"),
        "el": ("twitter", "instagram", "tiktok", "facebook", "χρήστη", "προφίλ", "λογαριασμ"),
    },
}  # fmt: skip


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer with an offline public-suffix check."""

    def load(self) -> None:
        """Build the public-suffix trie now, not inside the first analysed text."""
        _OFFLINE_TLD("example.org")

    def validate_result(self, pattern_text: str) -> bool:
        """A match is an e-mail address if its domain has a known public suffix."""
        return _OFFLINE_TLD(pattern_text.rsplit("@", 1)[-1]).fqdn != ""


class FastPhoneRecognizer(PhoneRecognizer):
    """Presidio's phonenumbers-based recognizer, skipped on texts with no digit run at all.

    phonenumbers' matcher is the slowest recognizer by far; most report texts have no
    seven-digit run, and those cannot contain a phone number.
    """

    # Presidio's 0.4 needs a context word to pass the threshold; a number phonenumbers
    # validates for one of our regions is evidence enough ("call" is a spaCy stop word and
    # never counts as context).
    SCORE = 0.6

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Run phonenumbers' matcher only if a phone-like digit run exists."""
        results = []
        # Only the neighbourhood of each digit run is given to phonenumbers, not the text.
        for candidate in _PHONE_CANDIDATE.finditer(text):
            digits = sum(ch.isdigit() for ch in candidate.group())
            # Phone numbers have at least 7 digits (a run may hold two numbers, so no upper
            # bound); a date is not a phone number.
            if digits < 7 or _DATE_LIKE.fullmatch(candidate.group().strip()):
                continue
            offset = max(0, candidate.start() - _PHONE_WINDOW)
            window = text[offset : candidate.end() + _PHONE_WINDOW]
            for r in super().analyze(window, entities, nlp_artifacts):
                r.start += offset
                r.end += offset
                if not _DATE_LIKE.fullmatch(text[r.start : r.end]):
                    results.append(r)
        return EntityRecognizer.remove_duplicates(results)


class TrimmedUrlRecognizer(UrlRecognizer):
    """Presidio's URL recognizer without the sentence's final punctuation in the match."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """URL matches, each ending before trailing ``.,;:!?)``."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            while result.end > result.start and text[result.end - 1] in ".,;:!?)'\"":
                result.end -= 1
        return [r for r in results if r.end > r.start]


def contact_recognizers(language: str) -> list[EntityRecognizer]:
    """Recognizers for contact details and payment data in ``language``."""
    return [
        FastPhoneRecognizer(
            supported_language=language,
            supported_entity="PHONE",
            supported_regions=PHONE_REGIONS_BY_LANGUAGE.get(language, PHONE_REGIONS),
            context=list(_CONTEXT["PHONE"][language]),
            name="phonenumbers",
        ),
        OfflineEmailRecognizer(
            supported_language=language,
            supported_entity="EMAIL",
            context=list(_CONTEXT["EMAIL"][language]),
            name="email_pattern",
        ),
        TrimmedUrlRecognizer(
            supported_language=language, supported_entity="URL", name="url_pattern"
        ),
        IpRecognizer(supported_language=language, supported_entity="IP", name="ip_pattern"),
        IbanRecognizer(
            supported_language=language,
            supported_entity="IBAN",
            context=list(_CONTEXT["IBAN"][language]),
            name="iban_checksum",
        ),
        CreditCardRecognizer(
            supported_language=language,
            supported_entity="PAYMENT_CARD",
            context=list(_CONTEXT["PAYMENT_CARD"][language]),
            name="card_luhn",
        ),
        RulePatternRecognizer(
            rule="social_handle",
            entity="SOCIAL_HANDLE",
            language=language,
            # "@name" not inside an e-mail address and not followed by a domain.
            patterns=[
                (r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?\b(?!@|\.\w)", 0.6)
            ],
            context=_CONTEXT["SOCIAL_HANDLE"][language],
        ),
    ]
