"""The engine never opens a network connection: not to load models, not for public suffixes."""

from __future__ import annotations

import socket

import pytest

from anonymisation.redactor import Redactor, default_redaction_config

TEXTS = {
    "en": "Email r.connolly@example.co.uk or see https://example.org, says John Smith.",
    "es": "Correo pepe.ruiz@ejemplo.es, web www.ejemplo.es, dice Dña. María López.",
    "nl": "Mail j.devries@voorbeeld.nl of kijk op voorbeeld.nl, zegt dhr. de Vries.",
    "el": "Email g.pap@example.gr, δείτε example.gr, λέει ο κ. Παπαδόπουλος.",
}


class NetworkUsedError(AssertionError):
    pass


ATTEMPTS: list[str] = []


def _refuse(*args, **kwargs):
    # Recorded as well as raised: a library that catches the error and falls back (tldextract
    # does) would otherwise hide the attempt.
    ATTEMPTS.append(repr(args[:2]))
    raise NetworkUsedError("the anonymisation engine tried to open a network connection")


def test_loading_and_analysing_opens_no_socket(monkeypatch):
    ATTEMPTS.clear()
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)

    redactor = Redactor(default_redaction_config(), b"no-network-test-secret-000000000", workers=1)
    for language, text in TEXTS.items():
        entities = {f.entity for f in redactor.redact(text, language).findings}
        assert "EMAIL" in entities, language
    assert ATTEMPTS == []


def test_the_refusal_itself_works(monkeypatch):
    # Guards the test above: if patching stopped taking effect, it would pass vacuously.
    monkeypatch.setattr(socket, "create_connection", _refuse)
    with pytest.raises(NetworkUsedError):
        socket.create_connection(("127.0.0.1", 9))
