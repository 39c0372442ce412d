"""One real redactor per test session: loading spaCy and the recognizers takes seconds."""

from __future__ import annotations

import pytest

from anonymisation.redactor import Redactor, default_redaction_config

SECRET = b"test-secret-insecure-0123456789ab"


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """The default config in all four languages, in-process (no worker pool)."""
    return Redactor(default_redaction_config(), SECRET, workers=1)


@pytest.fixture(scope="session")
def found(redactor: Redactor):
    """found(text, lang) -> set of (entity, matched text) acted on."""

    def find(text: str, language: str) -> set[tuple[str, str]]:
        result = redactor.redact(text, language)
        return {(f.entity, text[f.start : f.end]) for f in result.findings}

    return find
