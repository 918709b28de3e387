"""The generic text patterns, one module per reason, in the order they are tried.

Order is the policy: sender-side causes with specific wordings come first
(an authentication or reputation refusal often also says "blocked" or
"rejected"), then the recipient-side causes from most to least specific,
then the vague ones. Earlier wins.
"""

from __future__ import annotations

from types import ModuleType

from bounce_sink.classify.rules.reasons import (
    auth_failure,
    bad_reputation,
    blocked,
    content_error,
    exceed_limit,
    expired,
    failed_starttls,
    filtered,
    has_moved,
    host_unknown,
    mailbox_full,
    mailer_error,
    mesg_too_big,
    network_error,
    no_relaying,
    not_accept,
    not_compliant_rfc,
    on_hold,
    policy_violation,
    rejected,
    require_ptr,
    security_error,
    spam_detected,
    speeding,
    suspend,
    syntax_error,
    system_error,
    system_full,
    too_many_conn,
    user_unknown,
    virus_detected,
)

REASON_MODULES: tuple[ModuleType, ...] = (
    auth_failure,
    require_ptr,
    bad_reputation,
    not_compliant_rfc,
    virus_detected,
    spam_detected,
    no_relaying,
    failed_starttls,
    security_error,
    too_many_conn,
    speeding,
    policy_violation,
    rejected,
    mesg_too_big,
    exceed_limit,
    mailbox_full,
    has_moved,
    suspend,
    blocked,
    user_unknown,
    network_error,
    host_unknown,
    not_accept,
    filtered,
    content_error,
    mailer_error,
    system_full,
    system_error,
    expired,
    syntax_error,
    on_hold,
)
