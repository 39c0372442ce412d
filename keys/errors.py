"""Errors of the node's key store: key files that cannot be created, read or used."""

from __future__ import annotations


class KeyStoreError(Exception):
    """A key file or key directory cannot be used; the message says what to do."""


class KeyFileMissingError(KeyStoreError):
    """A key file or the key list is missing (keys not generated yet, or wrong home)."""


class InsecureKeyFileError(KeyStoreError):
    """A private key file or the key directory can be read or written by other users."""


class PassphraseRequiredError(KeyStoreError):
    """The keys are sealed with a passphrase and none was given."""


class WrongPassphraseError(KeyStoreError):
    """The passphrase does not open the sealed key."""


class CorruptKeyFileError(KeyStoreError):
    """A key file does not have the expected content (edited, truncated or mismatched)."""


class KeyStateError(KeyStoreError):
    """The requested change is not possible in the key store's current state."""
