"""The ordered registry of non-standard bounce formats, most specific first.

Order matters: a format keyed on a distinctive header (X-MLServer, SES's
SNS headers, X-Mailer, a provider's daemon address) runs before formats
keyed on common subjects, and the generic reader runs last. Each entry's
`matches` reads decoded top-level headers only, so skipping a format costs
nothing; a format whose `parse` finds nothing passes the message on. The
pipeline asks only the formats `CANDIDATES` finds for the message (those
whose header test its fields do not rule out), in this order.
"""

from __future__ import annotations

from collections.abc import Callable

from bounce_sink.parse.formats.amazon_ses import AmazonSESNotification
from bounce_sink.parse.formats.apache_james import ApacheJames
from bounce_sink.parse.formats.base import BounceFormat
from bounce_sink.parse.formats.chasquid import CHASQUID
from bounce_sink.parse.formats.dispatch import Dispatch, HeaderGate
from bounce_sink.parse.formats.dragonfly import DRAGONFLY
from bounce_sink.parse.formats.exchange import EXCHANGE2003, EXCHANGE2007, OFFICE365
from bounce_sink.parse.formats.exim import EXIM, MAILRU
from bounce_sink.parse.formats.fml import FML
from bounce_sink.parse.formats.generic import GenericTextBounce
from bounce_sink.parse.formats.gmail import GMAIL
from bounce_sink.parse.formats.google_groups import GoogleGroups
from bounce_sink.parse.formats.imail import IMAIL
from bounce_sink.parse.formats.interscan import INTERSCAN
from bounce_sink.parse.formats.kddi import KDDI
from bounce_sink.parse.formats.lotus_notes import DOMINO, NOTES
from bounce_sink.parse.formats.mailfoundry import MAILFOUNDRY
from bounce_sink.parse.formats.mfilter import MFILTER
from bounce_sink.parse.formats.opensmtpd import OPENSMTPD
from bounce_sink.parse.formats.postfix import POSTFIX
from bounce_sink.parse.formats.qmail import QMAIL, QMAIL_LIKE
from bounce_sink.parse.formats.unknown_mtas import X1, X3, X6
from bounce_sink.parse.formats.v5sendmail import V5SENDMAIL
from bounce_sink.parse.formats.verizon import Verizon
from bounce_sink.parse.formats.zoho import ZOHO
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import Report

REGISTRY: tuple[BounceFormat, ...] = (
    # Keyed on a header or sender no other MTA uses.
    AmazonSESNotification(),
    FML,
    MFILTER,
    Verizon(),
    ApacheJames(),
    KDDI,
    ZOHO,
    MAILRU,
    GoogleGroups(),
    GMAIL,
    OFFICE365,
    DRAGONFLY,
    CHASQUID,
    IMAIL,
    MAILFOUNDRY,
    NOTES,
    DOMINO,
    INTERSCAN,
    # Keyed on the MTA's usual subject and sender.
    EXCHANGE2007,
    EXCHANGE2003,
    X1,
    X3,
    X6,
    V5SENDMAIL,
    OPENSMTPD,
    POSTFIX,
    QMAIL,
    QMAIL_LIKE,
    EXIM,
    # Anything else that says it is a bounce.
    GenericTextBounce(),
)

# The catch-all: before it reads a message as prose, a format whose MTA's own
# opening sentence the text holds reads it (formats/body_markers.py).
CATCH_ALL: BounceFormat = REGISTRY[-1]

# The formats that may name reasons in an RFC 3464 report of their MTA (those
# with a `refine`), in registry order, each with its refine: the pipeline asks
# only these, instead of looking for the attribute on every format per report.
REFINERS: tuple[tuple[BounceFormat, Callable[[Report, MessageView], None]], ...] = tuple(
    (fmt, refine) for fmt in REGISTRY if (refine := getattr(fmt, "refine", None)) is not None
)


def _gate(fmt: BounceFormat) -> HeaderGate | None:
    gate = getattr(fmt, "gate", None)
    return gate if isinstance(gate, HeaderGate) else None


# The formats whose header test may pass on a message, found once per
# message (formats/dispatch.py): the pipeline asks only these, in order.
CANDIDATES: Dispatch[BounceFormat] = Dispatch(REGISTRY, tuple(_gate(f) for f in REGISTRY))
REFINER_CANDIDATES: Dispatch[tuple[BounceFormat, Callable[[Report, MessageView], None]]] = Dispatch(
    REFINERS, tuple(_gate(f) for f, _ in REFINERS)
)

__all__ = ["CANDIDATES", "CATCH_ALL", "REFINERS", "REFINER_CANDIDATES", "REGISTRY", "BounceFormat"]
