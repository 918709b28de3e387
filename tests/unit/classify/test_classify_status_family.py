"""Members of one enhanced-status family read as RFC 3463 and the providers' docs say.

A held-out notice may carry another member of a family than the dev sample
did: Microsoft's 5.1.10 where others write 5.1.1, 4.2.2 for 5.2.2, 5.7.0 for
5.7.1, or a provider's own detail (5.7.509). What the member means decides;
a member that does not name a bad destination address never makes a user
unknown wording hard.
"""

from __future__ import annotations

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.classify.rules.status_codes import STATUS_REASONS
from bounce_sink.classify.taxonomy import HARD_REASONS, Classification
from bounce_sink.parse.report import RecipientStatus, Report


def _classify(
    diagnostic: str, status: str, command: str = "", reply: str = "550"
) -> Classification:
    recipient = RecipientStatus(
        address="someone@example.com",
        action="failed",
        status=status,
        reply_code=reply,
        diagnostic=diagnostic,
        smtp_command=command,
    )
    return classify_recipient(recipient, Report(kind="dsn"))


@pytest.mark.parametrize("status", ["5.1.1", "5.1.10"])
def test_a_bad_destination_address_backs_user_unknown_words(status: str) -> None:
    # Microsoft sends 5.1.10 for a recipient its directory does not have
    # (RESOLVER.ADR.RecipientNotFound); RFC 7505 registers it for a null MX.
    found = _classify(f"550 {status} <someone@example.com>... User unknown", status)
    assert (found.reason, found.severity) == ("user_unknown", "hard")


@pytest.mark.parametrize("status", ["5.1.0", "5.0.0", "5.1.7", "5.2.1", "5.7.1"])
def test_other_members_do_not_back_user_unknown_words(status: str) -> None:
    # x.1.0 is "other address status" and x.1.7 the sender's address: no
    # lookup of the recipient is shown.
    found = _classify(f"550 {status} User unknown", status)
    assert found.severity == "soft"


@pytest.mark.parametrize("status", ["5.2.1", "5.7.1"])
def test_lookup_words_with_a_mailbox_or_policy_member_are_a_filters(status: str) -> None:
    found = _classify(f"550 {status} <someone@example.com>... User unknown", status)
    assert found.severity == "soft"


def test_microsofts_recipient_not_found_is_a_hard_user_unknown() -> None:
    found = _classify(
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "5.1.10",
    )
    assert (found.reason, found.severity) == ("user_unknown", "hard")


def test_user_unknown_words_after_data_with_5_1_10_stay_a_lookup() -> None:
    found = _classify("550 5.1.10 Recipient not found", "5.1.10", command="DATA")
    assert (found.reason, found.severity) == ("user_unknown", "hard")


@pytest.mark.parametrize(
    ("status", "reply", "reason"),
    [("5.2.2", "552", "mailbox_full"), ("4.2.2", "452", "mailbox_full")],
)
def test_mailbox_full_is_soft_in_either_class(status: str, reply: str, reason: str) -> None:
    found = _classify(f"{reply} {status} Nyaan", status, reply=reply)
    assert (found.reason, found.severity) == (reason, "soft")


@pytest.mark.parametrize("status", ["5.7.0", "5.7.1", "5.7.509", "5.7.750"])
def test_security_members_read_alike(status: str) -> None:
    found = _classify(f"550 {status} Nyaan", status)
    assert (found.reason, found.severity, found.rule) == (
        "security_error",
        "soft",
        f"status.{status}",
    )


@pytest.mark.parametrize("subject", range(8))
def test_an_unregistered_detail_reads_as_its_subjects_other_member(subject: int) -> None:
    status = f"5.{subject}.999"
    assert f"{subject}.999" not in STATUS_REASONS
    found = _classify(f"550 {status} Nyaan", status)
    other = STATUS_REASONS.get(f"{subject}.0")
    if other is not None:
        assert (found.reason, found.rule) == (other, f"status.{status}")
    assert found.reason not in HARD_REASONS
    assert found.severity != "hard"
