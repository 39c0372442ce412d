"""The INSPEC2T city node: HTTP API, storage, CLI and scheduler wiring."""

__version__ = "0.1.0"
