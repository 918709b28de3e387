"""Command-line commands of the policy room, registered explicitly by bounce_sink.cli.

contacts show/allow/add-address/delivered, soft-bounces, verp encode/verify,
reclassify. Every command that shows data takes --json.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.cli_context import print_json, run_with_store, settings_from
from bounce_sink.config import Settings

T = TypeVar("T")


def _run(
    ctx: click.Context,
    work: Callable[[Settings, async_sessionmaker[AsyncSession]], Awaitable[T]],
) -> T:
    """Run `work` on the migrated store of this invocation's settings."""
    settings = settings_from(ctx)

    async def job(sessionmaker: async_sessionmaker[AsyncSession]) -> T:
        return await work(settings, sessionmaker)

    return run_with_store(settings, job)


def _when(value: str | None, name: str) -> datetime | None:
    """A date (YYYY-MM-DD, midnight UTC) or an ISO 8601 time (UTC when no offset)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use YYYY-MM-DD or an ISO 8601 time", param_hint=name
        ) from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


# ---------------------------------------------------------------- contacts


@click.group("contacts")
def contacts() -> None:
    """Contacts (addresses) and their Bulk Email setting."""


@contacts.command("show")
@click.argument("address")
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.pass_context
def contacts_show(ctx: click.Context, address: str, as_json: bool) -> None:
    """Setting, why, since when, the causing interaction, soft-bounce count and audit trail."""
    from bounce_sink.policy.contact_summary import contact_summary

    async def work(
        _s: Settings, sessionmaker: async_sessionmaker[AsyncSession]
    ) -> dict[str, Any] | None:
        async with sessionmaker() as session:
            return await contact_summary(session, address)

    summary = _run(ctx, work)
    if summary is None:
        raise click.ClickException(f"no contact has the address {address}")
    if as_json:
        print_json(summary)
        return
    click.echo(
        f"{summary['address']}: bulk email {summary['bulk_email']}"
        + (f" ({summary['why']}) since {summary['since']}" if summary["why"] else "")
    )
    cause = summary["interaction"]
    if cause:
        click.echo(
            f"  because of interaction {cause['id']} (dsn {cause['dsn_id']}): {cause['reason']} "
            f"{cause['severity']} {cause['code'] or '-'} [{cause['rule']}]"
        )
        click.echo(f"    {cause['diagnostic']}")
    click.echo(
        f"  soft bounces counted: {summary['soft_bounce_count']}; last success: "
        f"{summary['last_success_at'] or '-'}; primary: {summary['is_primary']}"
    )
    person = summary["person"]
    if person:
        click.echo(
            f"  person {person['crm_person_id'] or '(no CRM id)'}: bulk email {person['bulk_email']}"
            + (f" ({person['why']})" if person["why"] else "")
            + (
                f"; other addresses: {', '.join(person['other_addresses'])}"
                if person["other_addresses"]
                else ""
            )
        )
    if summary["audit"]:
        click.echo("  audit:")
        for entry in summary["audit"]:
            click.echo(
                f"    {entry['at']} {entry['actor']}: {entry['entity']}.{entry['field']} "
                f"{entry['old'] or '-'} -> {entry['new']}: {entry['why']}"
            )


@contacts.command("allow")
@click.argument("address")
@click.option("--why", required=True, help="Why the earlier decision was wrong (audited).")
@click.option("--actor", required=True, help="Who decides, e.g. admin:alice (audited).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def contacts_allow(ctx: click.Context, address: str, why: str, actor: str, as_json: bool) -> None:
    """Allow bulk email to ADDRESS again (an admin's reversal)."""
    from bounce_sink.policy.people import UnknownAddress, allow_contact

    async def work(_s: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
        async with sessionmaker() as session, session.begin():
            try:
                change = await allow_contact(session, address, why=why, actor=actor)
            except UnknownAddress:
                raise click.ClickException(f"no contact has the address {address}") from None
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
        if change is None:
            return {"address": address, "changed": False}
        return {
            "address": change.address,
            "changed": True,
            "bulk_email": change.contact_after,
            "previous": change.contact_before,
            "person_bulk_email": change.person_after,
            "person_previous": change.person_before,
        }

    result = _run(ctx, work)
    if as_json:
        print_json(result)
    elif result["changed"]:
        click.echo(
            f"{result['address']}: bulk email {result['previous']} -> {result['bulk_email']}"
        )
    else:
        click.echo(f"{result['address']}: already allowed, nothing changed")


@contacts.command("add-address")
@click.argument("person_id")
@click.argument("address")
@click.option("--actor", default="cli", show_default=True, help="Who entered it (audited).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def contacts_add_address(
    ctx: click.Context, person_id: str, address: str, actor: str, as_json: bool
) -> None:
    """Enter ADDRESS as the current address of the CRM person PERSON_ID."""
    from bounce_sink.policy.people import set_person_address

    async def work(_s: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
        async with sessionmaker() as session, session.begin():
            try:
                done = await set_person_address(session, person_id, address, actor)
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
        return done.as_json(person_id)

    result = _run(ctx, work)
    if as_json:
        print_json(result)
    else:
        click.echo(
            f"{result['address']} is now the address of person {person_id}: bulk email "
            f"{result['bulk_email']} (person {result['person_bulk_email']})"
        )


@contacts.command("delivered")
@click.argument("address")
@click.option("--at", "at_text", help="When it was delivered (ISO 8601; default now).")
@click.pass_context
def contacts_delivered(ctx: click.Context, address: str, at_text: str | None) -> None:
    """Report a successful delivery to ADDRESS: resets its soft-bounce count."""
    from bounce_sink.policy.people import record_delivery

    at = _when(at_text, "--at") or datetime.now(UTC)

    async def work(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> bool:
        async with sessionmaker() as session, session.begin():
            return await record_delivery(session, address, at, settings=settings)

    if _run(ctx, work):
        click.echo(f"{address}: delivery at {at.isoformat()} recorded, soft-bounce count reset")
    else:
        click.echo(f"{address}: not a known contact, nothing to reset")


# ---------------------------------------------------------------- soft bounces


@click.command("soft-bounces")
@click.option("--mailing", "mailing_id", help="Only this mailing's soft bounces.")
@click.option("--since", help="From this date/time (YYYY-MM-DD or ISO 8601, UTC).")
@click.option("--until", help="Before this date/time.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv (with a header row) or json (JSON lines).",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--add-to-list", "list_name", help="Also add them to this Outreach List (synced to the CRM)."
)
@click.pass_context
def soft_bounces(
    ctx: click.Context,
    mailing_id: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    as_json: bool,
    list_name: str | None,
) -> None:
    """Soft-bounced recipients still eligible for a resend (not since hard-bounced, complained or blocked)."""
    from bounce_sink.policy.resend import FIELDS, add_to_outreach_list, soft_bounced_recipients

    start, end = _when(since, "--since"), _when(until, "--until")

    async def work(
        _s: Settings, sessionmaker: async_sessionmaker[AsyncSession]
    ) -> tuple[list[dict[str, Any]], int]:
        async with sessionmaker() as session, session.begin():
            found = await soft_bounced_recipients(
                session, mailing_id=mailing_id, since=start, until=end
            )
            added = await add_to_outreach_list(session, list_name, found) if list_name else 0
        return [c.as_json() for c in found], added

    rows, added = _run(ctx, work)
    if as_json or fmt == "json":
        for row in rows:
            print_json({k: row[k] for k in FIELDS})
    else:
        writer = csv.DictWriter(
            sys.stdout, fieldnames=FIELDS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    if list_name:
        click.echo(f"added {added} of {len(rows)} to outreach list {list_name!r}", err=True)


# ---------------------------------------------------------------- verp


@click.group("verp")
def verp_group() -> None:
    """Signed return paths (bounces+TAG@domain) for the sending side."""


@verp_group.command("encode")
@click.option("--recipient", required=True, help="The address the mail goes to.")
@click.option("--mailing", "mailing_id", required=True, help="Mailing id: a-z 0-9 _ - .")
@click.option(
    "--days",
    type=int,
    default=None,
    help="Accept bounces this many days (default verp_max_age_days).",
)
@click.option("--domain", default=None, help="Bounce domain (default: the first configured).")
@click.pass_context
def verp_encode(
    ctx: click.Context, recipient: str, mailing_id: str, days: int | None, domain: str | None
) -> None:
    """Print the return path for RECIPIENT in MAILING."""
    from bounce_sink.policy import verp

    settings = settings_from(ctx)
    if not settings.verp_key:
        raise click.ClickException(
            "no signing key: set verp_key in the config or BOUNCE_SINK_VERP_KEY"
        )
    try:
        click.echo(
            verp.encode(
                recipient,
                mailing_id,
                settings.verp_key,
                domain=domain or (settings.bounce_domains or ["localhost"])[0],
                local_part=settings.bounce_local_part,
                days=settings.verp_max_age_days if days is None else days,
            )
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@verp_group.command("verify")
@click.argument("address")
@click.option("--recipient", help="Also check that the tag was made for this recipient.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verp_verify(ctx: click.Context, address: str, recipient: str | None, as_json: bool) -> None:
    """Check the tag of ADDRESS; exit 1 when it is not valid (or not for --recipient)."""
    from bounce_sink.policy import verp

    settings = settings_from(ctx)
    if not settings.verp_key:
        raise click.ClickException(
            "no signing key: set verp_key in the config or BOUNCE_SINK_VERP_KEY"
        )
    check = verp.verify(address, settings.verp_key, old_keys=settings.verp_old_keys)
    matches = check.matches(recipient) if recipient else None
    ok = check.valid and matches is not False
    if as_json:
        print_json(
            {
                "address": address,
                "valid": check.valid,
                "problem": check.problem,
                "mailing_id": check.mailing_id,
                "expires_on": check.expires_on.isoformat() if check.expires_on else None,
                "recipient_matches": matches,
            }
        )
    else:
        line = check.describe()
        if matches is not None:
            line += f"; recipient {recipient} {'matches' if matches else 'does NOT match'}"
        click.echo(line)
    if not ok:
        ctx.exit(1)


# ---------------------------------------------------------------- reclassify


@click.command("reclassify")
@click.option("--since", help="Only messages received since (YYYY-MM-DD or ISO 8601).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON lines: one per changed interaction, then a summary.",
)
@click.pass_context
def reclassify_cmd(ctx: click.Context, since: str | None, as_json: bool) -> None:
    """Re-run stored raw messages through today's parser and rules; apply what changed."""
    from bounce_sink.policy.reclassify import ReclassifyResult, reclassify

    start = _when(since, "--since")

    async def work(
        settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
    ) -> ReclassifyResult:
        return await reclassify(sessionmaker, settings, since=start)

    result = _run(ctx, work)
    for change in result.changed:
        if as_json:
            print_json(
                {
                    "interaction_id": change.interaction_id,
                    "dsn_id": change.message_id,
                    "address": change.address,
                    "old": change.old,
                    "new": change.new,
                    "consequence": change.consequence,
                }
            )
        else:
            click.echo(
                f"interaction {change.interaction_id} {change.address}: "
                f"{change.old['reason']}/{change.old['severity']} -> "
                f"{change.new['reason']}/{change.new['severity']}"
                + (f" ({change.consequence})" if change.consequence else "")
            )
    summary = {
        "messages": result.messages,
        "changed": len(result.changed),
        "new_interactions": result.new_interactions,
        "errors": result.errors,
    }
    if as_json:
        print_json({"summary": summary})
    else:
        click.echo(
            f"{result.messages} messages re-read, {len(result.changed)} interactions changed, "
            f"{result.new_interactions} new, {len(result.errors)} errors"
        )
        for error in result.errors:
            click.echo(f"  {error}", err=True)
    if result.errors:
        ctx.exit(1)


def register(cli: click.Group) -> None:
    """Add this room's commands to the top-level group."""
    cli.add_command(contacts)
    cli.add_command(soft_bounces)
    cli.add_command(verp_group)
    cli.add_command(reclassify_cmd)
