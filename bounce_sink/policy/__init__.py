"""Acting on bounces: interactions, contact settings, soft-bounce counts, forged-bounce quarantine.

The public surface other rooms call; the modules behind it each do one job:
`apply` (a parsed report -> decisions), `people` (CRM addresses, admin
reversals, reported deliveries), `soft_bounces`, `forgery` + `verp` (signed
return paths), `incidents`, `resend` (Outreach Lists), `reclassify`.
"""

from bounce_sink.policy.apply import PolicyOutcome, apply_report
from bounce_sink.policy.people import (
    AddressResult,
    UnknownAddress,
    allow_contact,
    record_delivery,
    set_person_address,
)

__all__ = [
    "AddressResult",
    "PolicyOutcome",
    "UnknownAddress",
    "allow_contact",
    "apply_report",
    "record_delivery",
    "set_person_address",
]
