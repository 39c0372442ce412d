"""``run_node.py anonymise --lang LANG [--policy FILE]``: redact JSON lines from stdin.

Contract (used by benchmarks, DPOs and tests): each input line ``{"id": ..., "text": "..."}``
gives exactly one output line, in the same order:
``{"id": ..., "text": "<redacted>", "findings": [{"start", "end", "entity", "score"}]}``
with offsets into the ORIGINAL text. A bad line (blank, not JSON, missing or wrong-typed field,
not UTF-8, too long) gives ``{"id": <id or null>, "error": "<message>"}``; messages never
contain the text. The exit status is 0 unless stdin cannot be read at all.
"""

from __future__ import annotations

import io
import json
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from anonymisation.config import RedactionConfig
from anonymisation.redactor import Redactor, UnsupportedLanguageError, default_redaction_config

# Lines redacted together: enough for nlp.pipe batching and worker processes, small enough
# that output follows input closely when stdin is a stream.
CHUNK_LINES = 1024
# Safety limit: one report text longer than this is refused (an error line), not analysed.
MAX_TEXT_CHARS = 100_000
MIN_SECRET_BYTES = 16


def register(cli: click.Group) -> None:
    """Add the ``anonymise`` command to the node's CLI."""
    cli.add_command(anonymise)


class _BadLine(Exception):
    def __init__(self, message: str, line_id: Any = None) -> None:
        super().__init__(message)
        self.line_id = line_id


def _parse(number: int, raw: bytes) -> tuple[Any, str]:
    """(id, text) of one input line, or _BadLine with a message that never quotes the text."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _BadLine(f"line {number}: expected UTF-8, got undecodable bytes") from None
    if not line.strip():
        raise _BadLine(f"line {number}: expected a JSON object, got a blank line")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        raise _BadLine(f"line {number}: expected a JSON object, got invalid JSON") from None
    if not isinstance(obj, dict):
        raise _BadLine(f"line {number}: expected a JSON object, got {type(obj).__name__}")
    line_id = obj.get("id")
    if "id" not in obj or not isinstance(line_id, str | int) or isinstance(line_id, bool):
        raise _BadLine(f'line {number}: expected "id" as a string or integer')
    text = obj.get("text")
    if not isinstance(text, str):
        got = "nothing" if "text" not in obj else type(text).__name__
        raise _BadLine(f'line {number}: expected "text" as a string, got {got}', line_id)
    if len(text) > MAX_TEXT_CHARS:
        raise _BadLine(
            f'line {number}: expected "text" of at most {MAX_TEXT_CHARS} characters, '
            f"got {len(text)}; split the report",
            line_id,
        )
    return line_id, text


def _chunks(stream: IO[bytes]) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for raw in stream:
        chunk.append(raw.rstrip(b"\r\n"))
        if len(chunk) >= CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(redactor: Redactor, language: str, stdin: IO[bytes], stdout: IO[str]) -> None:
    """Redact every line of ``stdin`` to ``stdout`` (the command minus option parsing)."""
    number = 0
    for chunk in _chunks(stdin):
        parsed: list[tuple[Any, str] | _BadLine] = []
        for raw in chunk:
            number += 1
            try:
                parsed.append(_parse(number, raw))
            except _BadLine as bad:
                parsed.append(bad)
        good = [p for p in parsed if not isinstance(p, _BadLine)]
        results = iter(redactor.redact_many([text for _, text in good], language))
        for item in parsed:
            if isinstance(item, _BadLine):
                out: dict[str, Any] = {"id": item.line_id, "error": str(item)}
            else:
                result = next(results)
                out = {
                    "id": item[0],
                    "text": result.text,
                    "findings": [
                        {"start": f.start, "end": f.end, "entity": f.entity, "score": f.score}
                        for f in result.findings
                    ],
                }
            stdout.write(_one_line(out) + "\n")
        stdout.flush()


def _secret(secret_file: Path | None) -> bytes:
    if secret_file is None:
        click.echo(
            "anonymise: no --secret-file, using a random secret for this run: pseudonyms "
            "will not match the node's",
            err=True,
        )
        return secrets.token_bytes(32)
    secret = secret_file.read_bytes()
    if len(secret) < MIN_SECRET_BYTES:
        raise click.ClickException(
            f"expected a secret of at least {MIN_SECRET_BYTES} bytes in {secret_file}, "
            f"got {len(secret)}; write 32 random bytes to it"
        )
    return secret


@click.command("anonymise")
@click.option("--lang", "language", required=True, help="Language of the texts (en, es, nl, el).")
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="City policy file; without it the built-in default redaction applies.",
)
@click.option(
    "--secret-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File with the node's pseudonym secret (at least 16 bytes).",
)
def anonymise(language: str, policy_file: Path | None, secret_file: Path | None) -> None:
    """Redact JSON lines {"id", "text"} from stdin; one JSON line per input on stdout."""
    if policy_file is None:
        config = default_redaction_config()
    else:
        from policies.errors import PolicyError
        from policies.loader import load_policy

        try:
            config = load_policy(policy_file).redaction
        except PolicyError as exc:
            raise click.ClickException(
                f"{policy_file} is not a valid policy; run `policy check {policy_file}`"
            ) from exc
    if language not in config.languages:
        raise click.ClickException(
            f"expected --lang to be one of the policy's languages {sorted(config.languages)}, "
            f"got {language!r}"
        )
    # Load only this language's pipeline: start-up is most of a small run.
    only = RedactionConfig(
        languages={language: config.languages[language]}, policy_hash=config.policy_hash
    )
    redactor = Redactor(only, _secret(secret_file))
    click.echo(
        f"anonymise: detectors for {language}: {', '.join(redactor.detectors()[language])}",
        err=True,
    )
    try:
        # Output is UTF-8 JSON whatever the locale says (a C locale would choke on Greek).
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(encoding="utf-8")
        run(redactor, language, sys.stdin.buffer, sys.stdout)
    except UnsupportedLanguageError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        click.echo(f"anonymise: cannot read stdin or write stdout: {exc.strerror}", err=True)
        sys.exit(1)


# JSON allows these raw inside strings, but readers that split on Unicode line boundaries
# (Python's str.splitlines, JavaScript) would see two lines where the contract promises one.
# (json.dumps already escapes every control character below U+0020.)
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def _one_line(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text
