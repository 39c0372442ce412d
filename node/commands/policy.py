"""The DPO's commands: ``policy check|preview|diff|explain`` read policy files and samples only
and never touch the node; ``policy apply|history``, ``retention``, ``erase`` and
``export-subject`` act on a node (``--home``) and write the audit log.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import click

from policies.errors import PolicyError
from policies.loader import check_policy, load_policy

_FILE = click.Path(dir_okay=False, path_type=Path)


def register(cli: click.Group) -> None:
    """Add the commands (the policy watcher and jobs are wired in node.context / node.jobs)."""
    for command in (policy, retention, erase, export_subject):
        cli.add_command(command)


@click.group()
def policy() -> None:
    """GDPR policy files: check, preview, diff, explain."""


def _load(path: Path) -> Any:
    try:
        return load_policy(path)
    except PolicyError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{path} is not a valid policy; run `policy check` on it"
        ) from exc


@policy.command("check")
@click.argument("files", nargs=-1, required=True, type=_FILE)
def check(files: tuple[Path, ...]) -> None:
    """Report every problem of each FILE as FILE:LINE:COLUMN; exit 1 if there is any."""
    failed = False
    for path in files:
        problems = check_policy(path)
        for problem in problems:
            click.echo(str(problem))
        if problems:
            failed = True
            count = len(problems)
            click.echo(f"{path}: {count} problem{'s' if count != 1 else ''}; the node will "
                       "not use this file", err=True)
        else:
            loaded = load_policy(path)
            click.echo(f"{path}: OK (city {loaded.city}, version {loaded.version}, "
                       f"hash {loaded.hash})")
    if failed:
        raise SystemExit(1)


@policy.command("diff")
@click.argument("old", type=_FILE)
@click.argument("new", type=_FILE)
def diff(old: Path, new: Path) -> None:
    """Say in plain words what changes from OLD to NEW."""
    from policies.diff import diff_policies

    before, after = _load(old), _load(new)
    changes = diff_policies(before, after)
    if not changes:
        same = "identical content" if before.hash == after.hash else "the same meaning"
        click.echo(f"No changes: {old} and {new} have {same} (hash {after.hash[:12]}).")
        return
    click.echo(f"From {old} (hash {before.hash[:12]}) to {new} (hash {after.hash[:12]}):")
    for change in changes:
        click.echo(f"  - {change}")


def _throwaway_redactor(policy_obj: Any) -> Any:
    """A redactor for the policy with a random secret: pseudonyms never match the node's."""
    from anonymisation.redactor import Redactor

    return Redactor(policy_obj.redaction, secrets.token_bytes(32))


def _detectors_for(policy_obj: Any, entity: str, language: str) -> list[str] | None:
    """Names of the recognizers that can find ``entity`` ("es_phone(PHONE)")."""
    if language not in policy_obj.redaction.languages:
        return None
    names = _throwaway_redactor(policy_obj).detectors().get(language, [])
    return [n for n in names if entity in n.partition("(")[2].rstrip(")").split(",")]


@policy.command("explain")
@click.option("--entity", help="A kind of personal data, e.g. PHONE.")
@click.option("--lang", "language", help="Language of the reports, e.g. es.")
@click.option("--category", help="A local category or ICCS code, e.g. 'hurto' or 0502.")
@click.option("--policy", "policy_file", type=_FILE, default=None,
              help="Policy file (default: the node's policy_file setting, via --home).")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="NODE_HOME",
              default=Path("node-home"), show_default=True, help="Node home for its policy.")
def explain(entity: str | None, language: str | None, category: str | None,
            policy_file: Path | None, home: Path) -> None:
    """Say which rule applies to an entity in a language, or to a category."""
    from policies.explain import ExplainError, explain_category, explain_entity

    if policy_file is None:
        from node.settings import SettingsError, load_settings

        try:
            policy_file = Path(load_settings(home).policy_file)
        except SettingsError as exc:
            raise click.ClickException(f"give --policy FILE, or a node --home ({exc})") from exc
    loaded = _load(policy_file)
    if not entity and not category:
        raise click.UsageError("give --entity with --lang, or --category")
    try:
        if entity:
            if not language:
                raise click.UsageError("--entity needs --lang")
            entity = entity.upper()
            for line in explain_entity(loaded, entity, language,
                                       _detectors_for(loaded, entity, language)):
                click.echo(line)
        if category:
            for line in explain_category(loaded, category):
                click.echo(line)
    except ExplainError as exc:
        raise click.ClickException(str(exc)) from exc


@policy.command("preview")
@click.argument("file", type=_FILE)
@click.option("--sample", required=True, type=_FILE, help="Reports as JSON Lines: "
              '{"id","lang","text"} and optional "category","occurred_at","lat","lon".')
def preview(file: Path, sample: Path) -> None:
    """Show what FILE would do to a sample of reports; changes nothing on the node."""
    from policies.preview import SampleError, preview_aggregates, preview_reports, read_sample

    loaded = _load(file)
    try:
        reports = read_sample(sample)
    except SampleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Preview of {file} (version {loaded.version}, hash {loaded.hash[:12]}) on "
               f"{len(reports)} report(s). Pseudonyms use a throwaway key; noise is random.")
    for item in preview_reports(loaded, reports, _throwaway_redactor(loaded)):
        click.echo(f"\n[{item.id}] {item.language}  category {item.iccs or '-'}  "
                   f"area {item.area or '-'}")
        if item.redacted_text is not None:
            click.echo(f"  {item.redacted_text}")
        for f in item.findings:
            click.echo(f"  - {f.entity} at {f.start}-{f.end}: score {f.score:.2f} >= "
                       f"{f.threshold} -> {f.operator} (rule {f.rule})")
        for f in item.allowed:
            click.echo(f"  - {f.entity} at {f.start}-{f.end} kept: inside an allow-list phrase "
                       f"(rule {f.rule})")
        for note in item.notes:
            click.echo(f"  ! {note}")
    unmapped = loaded.categories.unmapped([r.category for r in reports if r.category])
    if unmapped:
        click.echo(f"\nUnmapped categories (add them under 'categories'): {', '.join(unmapped)}")
    for agg in preview_aggregates(loaded, reports):
        click.echo(f"\nAggregates for {agg.recipient}:")
        for note in agg.notes:
            click.echo(f"  ! {note}")
        for table in agg.tables:
            for line in table.explain().splitlines():
                click.echo(f"  {line}")


def _node(home: Path) -> Any:
    from node.cli import load_context

    return load_context(home)


_HOME = click.option("--home", type=click.Path(file_okay=False, path_type=Path),
                     envvar="NODE_HOME", default=Path("node-home"), show_default=True,
                     help="The node's home directory.")
_BY = click.option("--by", "actor", default="cli", show_default=True,
                   help="Who does this, as recorded in the audit log (a role or office).")


@policy.command("apply")
@_HOME
@_BY
def apply(home: Path, actor: str) -> None:
    """Check the node's policy file now and record it as applied by --by (exit 1 if invalid)."""
    from node.policy_versions import IN_FORCE, WATCHER

    ctx = _node(home)
    status = ctx.extras[WATCHER].check(actor=f"{actor} (policy apply)")
    for problem in status["problems"]:
        click.echo(problem)
    click.echo(f"{status['state']}: version {status['version']}, hash {status['hash']}")
    if status["state"] != IN_FORCE:
        raise SystemExit(1)


@policy.command("history")
@_HOME
def history_cmd(home: Path) -> None:
    """List every policy version this node applied, newest first."""
    from node.db import transaction
    from node.policy_versions import history

    ctx = _node(home)
    with transaction(ctx.sessions) as session:
        for item in history(session):
            click.echo(f"{item['applied_at']}  {item['hash'][:12]}  version {item['version']}"
                       f"  by {item['applied_by']}")


@click.command()
@_HOME
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def retention(home: Path, dry_run: bool) -> None:
    """Delete what the policy's retention rules say has expired (or list it with --dry-run)."""
    from node.db import transaction
    from node.models.base import utcnow
    from node.retention import due, enforce

    ctx = _node(home)
    if dry_run:
        with transaction(ctx.sessions) as session:
            items = due(session, ctx.policy, utcnow())
        for item in items:
            click.echo(f"{item.report_id}  {item.iccs_code or 'uncategorised':>13}  received "
                       f"{item.received_at.date().isoformat()}  would delete: "
                       f"{', '.join(item.parts)}")
        click.echo(f"{len(items)} report(s) have something past retention (dry run: nothing "
                   "deleted)")
        return
    counts = enforce(ctx, actor="cli (retention)")
    click.echo(json.dumps({"deleted": dict(counts)}))


@click.command()
@_HOME
@_BY
@click.option("--report", "report_id", help="Id of the report to erase.")
@click.option("--contact", help="Erase every report of this reporter contact (e-mail, phone).")
def erase(home: Path, actor: str, report_id: str | None, contact: str | None) -> None:
    """Erase a report, or every report of a contact; prints the audit receipt."""
    from node.db import transaction
    from node.subjects import SubjectRequestError, erase_contact, erase_report

    if (report_id is None) == (contact is None):
        raise click.UsageError("give exactly one of --report ID or --contact VALUE")
    ctx = _node(home)
    try:
        with transaction(ctx.sessions) as session:
            if report_id is not None:
                receipt = erase_report(ctx, session, report_id, actor=actor)
            else:
                receipt = erase_contact(ctx, session, contact or "", actor=actor)
    except SubjectRequestError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(receipt, indent=2))


@click.command("export-subject")
@_HOME
@_BY
@click.option("--contact", required=True, help="The reporter contact (e-mail, phone).")
@click.option("--out", type=_FILE, default=None,
              help="Write the export to this file (mode 0600) instead of standard output.")
def export_subject(home: Path, actor: str, contact: str, out: Path | None) -> None:
    """Export everything the node holds about one reporter, as JSON."""
    from node.db import transaction
    from node.subjects import SubjectRequestError
    from node.subjects import export_subject as export

    ctx = _node(home)
    try:
        with transaction(ctx.sessions) as session:
            data = export(ctx, session, contact, actor=actor)
    except SubjectRequestError as exc:
        raise click.ClickException(str(exc)) from exc
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is None:
        click.echo(text)
        return
    # The export is personal data: readable by the node's user only.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"{len(data['reports'])} report(s) exported to {out}", err=True)
