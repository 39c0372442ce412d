"""Pull: a coordinator's signed query and the node's sealed answer (releases, or a refusal).

Node side (``answer_query``): open the query (``federation.envelope`` does every check), find
the sharing rule it may be answered under, and answer each closed period in its range with the
current release of that period (the stored one when the counts are unchanged, so a repeated
query spends no privacy budget). A query the rule does not allow is answered with a signed
``QueryRefusal`` that says why in plain words. Everything is sealed to the querier.

Coordinator side (``send_query``): seal the query, send it, open each answer message and store
the releases exactly like pushed ones.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from anonymisation.disclosure.errors import BudgetExceededError, PeriodError
from anonymisation.disclosure.periods import Period, parse_period
from federation.errors import MalformedEnvelopeError
from federation.exchange import COORDINATOR_RULE, Identity
from federation.inbox import open_message, remember, store_release
from federation.messages import AggregateQuery, AggregateRelease, Message, QueryRefusal
from federation.releases import as_message, ensure_release
from federation.transport import QUERY_PATH, Transport, endpoint_url
from node.context import NodeContext
from node.db import transaction

ANSWER_FORMAT = "inspec2t-query-answer/1"
MAX_PERIODS_PER_QUERY = 36


class _Refuse(Exception):
    """The query is refused: ``reason`` is a QueryRefusal reason, ``message`` plain words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def answer_query(ctx: NodeContext, identity: Identity, raw: bytes, *, now: datetime) -> bytes:
    """The answer body for a sealed query; raises EnvelopeError if the query is rejected."""
    with transaction(ctx.sessions) as session:
        opened = open_message(session, identity, raw, now=now,
                              expected_types=(AggregateQuery.MESSAGE_TYPE,))
        query = opened.message
        assert isinstance(query, AggregateQuery)
        replies: list[Message]
        try:
            rule_name = _rule_for(ctx, identity, opened.sender, query)
            replies = []
            for period in _periods(ctx, rule_name, query, now):
                local, _ = ensure_release(ctx, session, rule_name, period.label, now=now)
                replies.append(as_message(local))
        except _Refuse as refusal:
            replies = [QueryRefusal(query.query_id, refusal.reason, refusal.message)]  # type: ignore[arg-type]
        except BudgetExceededError as exc:
            session.rollback()
            replies = [QueryRefusal(query.query_id, "over_budget",
                                    f"over budget: {exc}; ask again next period")]
        sealed = [identity.seal(m, opened.sender, now).raw for m in replies]
        remember(session, opened, now)
    return encode_answer(sealed)


def _rule_for(ctx: NodeContext, identity: Identity, sender: str, query: AggregateQuery) -> str:
    sharing = {} if ctx.policy is None else ctx.policy.sharing
    member = identity.roster.member(sender)
    roles = set() if member is None else member.roles
    if query.recipient_role == "coordinator" and "coordinator" in roles:
        name = COORDINATOR_RULE
    else:
        name = sender
    rule = sharing.get(name)
    if rule is None:
        raise _Refuse("dimension_not_allowed",
                      f"dimension not allowed: the policy of {ctx.city} shares no figures "
                      f"with {name}")
    extra = sorted(query.dimensions - set(rule.dimensions))
    if extra:
        raise _Refuse("dimension_not_allowed",
                      f"dimension not allowed: {', '.join(extra)}; the policy allows "
                      f"{', '.join(rule.dimensions)} for {name}")
    if query.category_level > rule.category_level:
        raise _Refuse("dimension_not_allowed",
                      f"dimension not allowed: ICCS level {query.category_level}; the policy "
                      f"allows level {rule.category_level} for {name}")
    return name


def _periods(
    ctx: NodeContext, rule_name: str, query: AggregateQuery, now: datetime
) -> list[Period]:
    unit = ctx.policy.sharing[rule_name].period
    try:
        first = parse_period(query.period_from, unit)
        last = parse_period(query.period_to, unit)
    except PeriodError as exc:
        raise _Refuse("dimension_not_allowed",
                      f"dimension not allowed: the policy releases {unit} periods for "
                      f"{rule_name} ({exc})") from exc
    if last.index - first.index >= MAX_PERIODS_PER_QUERY:
        raise _Refuse("unknown_period",
                      f"expected at most {MAX_PERIODS_PER_QUERY} periods in one query, got "
                      f"{last.index - first.index + 1}")
    if last.end > now:
        raise _Refuse("period_not_closed",
                      f"period not closed: {last.label} ends at {last.end.isoformat()}; ask "
                      "for closed periods only")
    return [Period(unit, i) for i in range(first.index, last.index + 1)]


def encode_answer(sealed: list[bytes]) -> bytes:
    return json.dumps(
        {"format": ANSWER_FORMAT,
         "messages": [base64.b64encode(s).decode("ascii") for s in sealed]}
    ).encode()


def decode_answer(body: bytes) -> list[bytes]:
    """The sealed messages of an answer (MalformedEnvelopeError if it is not one)."""
    try:
        data = json.loads(body)
        if data["format"] != ANSWER_FORMAT or not isinstance(data["messages"], list):
            raise ValueError(data.get("format"))
        return [base64.b64decode(m, validate=True) for m in data["messages"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedEnvelopeError(
            f"expected a {ANSWER_FORMAT} document from the node, got something else"
        ) from exc


@dataclass
class QueryResult:
    """What a pull brought back: releases stored (or already held) and refusals."""

    releases: list[AggregateRelease] = field(default_factory=list)
    refusals: list[QueryRefusal] = field(default_factory=list)


def send_query(
    ctx: NodeContext,
    identity: Identity,
    transport: Transport,
    node_id: str,
    query: AggregateQuery,
    *,
    now: datetime,
) -> QueryResult:
    """Send ``query`` to ``node_id`` and store what it answers (PeerRejectedError,
    TransportError, or an EnvelopeError for an answer that does not verify)."""
    member = identity.roster.member(node_id)
    if member is None:
        raise MalformedEnvelopeError(f"{node_id} is not in the trusted roster")
    sealed = identity.seal(query, node_id, now)
    body = transport.send(endpoint_url(member.endpoint, QUERY_PATH), sealed.raw)
    result = QueryResult()
    for raw in decode_answer(body):
        with transaction(ctx.sessions) as session:
            opened = open_message(
                session, identity, raw, now=now,
                expected_types=(AggregateRelease.MESSAGE_TYPE, QueryRefusal.MESSAGE_TYPE),
            )
            if opened.sender != node_id:
                raise MalformedEnvelopeError(
                    f"expected an answer signed by {node_id}, got one from {opened.sender}"
                )
            if isinstance(opened.message, AggregateRelease):
                store_release(session, opened, now)
                result.releases.append(opened.message)
            elif isinstance(opened.message, QueryRefusal):
                result.refusals.append(opened.message)
            remember(session, opened, now)
    return result


def new_query(
    *, dimensions: set[str], category_level: int, period_from: str, period_to: str,
    recipient_role: str = "coordinator",
) -> AggregateQuery:
    """A query with a fresh random id."""
    return AggregateQuery(
        query_id=f"q-{secrets.token_hex(8)}",
        dimensions=frozenset(dimensions),
        category_level=category_level,
        period_from=period_from,
        period_to=period_to,
        recipient_role=recipient_role,
    )
