"""Is this bounce ours? The check that keeps forged bounces from unsubscribing anyone.

Anybody can send a DSN to a plain bounce address naming any recipient. With a
signing key configured (settings.verp_key), a DSN counts only when it came
back to a `bounces+TAG@` address whose tag we signed, that has not expired,
and whose recipient digest matches the recipient the DSN reports. Anything
else is quarantined: stored and shown, but it changes no contact.

ARF complaints and auto-replies do not come back to the Return-Path as
reliably (feedback loops mail a fixed address; auto-replies often go to
From:), so for them a missing tag is accepted and only a tag that is present
but bad quarantines. Without a key every bounce is trusted, a risk the README
states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bounce_sink.parse.report import RecipientStatus, Report
from bounce_sink.policy import verp


@dataclass(frozen=True)
class Origin:
    """The verdict on where a report came from."""

    trusted: bool
    reason: str  # why it is quarantined ("" when trusted)
    tag: verp.TagCheck | None  # None when no key is configured or no tag was given


def candidates(recipient: RecipientStatus) -> list[str]:
    """The recipient's addresses in DESIGN.md's match order after the tag: ORCPT, Final, reported."""
    return [
        a for a in (recipient.original_recipient, recipient.final_recipient, recipient.address) if a
    ]


def tagged_address(recipient: RecipientStatus, tag: verp.TagCheck | None) -> str:
    """The reported address the valid tag was made for ("" when none matches)."""
    if tag is None or not tag.valid:
        return ""
    for address in candidates(recipient):
        if tag.matches(address):
            return address
    return ""


def judge(
    report: Report, tag_text: str, key: str, today: date, old_keys: Sequence[str] = ()
) -> Origin:
    """Trust or quarantine one report, given the TAG of the address it came back to."""
    if not key:
        return Origin(trusted=True, reason="", tag=None)
    check = (
        verp.verify(tag_text, key, today=today, old_keys=old_keys)
        if tag_text
        else verp.TagCheck("", False, "missing")
    )
    if not check.valid:
        if check.problem == "missing" and report.kind in ("arf", "autoreply"):
            return Origin(trusted=True, reason="", tag=None)
        return Origin(trusted=False, reason=check.describe(), tag=check)
    for recipient in report.recipients:
        if not tagged_address(recipient, check):
            shown = recipient.original_recipient or recipient.address
            return Origin(
                trusted=False,
                reason=f"recipient {shown} does not match the VERP tag of mailing {check.mailing_id}",
                tag=check,
            )
    return Origin(trusted=True, reason="", tag=check)
