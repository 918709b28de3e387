"""The ordered registry of non-standard bounce formats, most specific first.

Order matters: a format keyed on a distinctive header (X-MLServer, SES's
SNS headers, a provider's daemon address) runs before formats keyed on
common subjects, and the generic reader runs last. Each entry's `matches`
reads decoded top-level headers only, so skipping a format costs nothing.
"""

from __future__ import annotations

from bounce_sink.parse.formats.amazon_ses import AmazonSESNotification
from bounce_sink.parse.formats.base import BounceFormat
from bounce_sink.parse.formats.exim import EXIM
from bounce_sink.parse.formats.fml import FML
from bounce_sink.parse.formats.generic import GenericTextBounce
from bounce_sink.parse.formats.gmail import GMAIL
from bounce_sink.parse.formats.google_groups import GoogleGroups
from bounce_sink.parse.formats.kddi import KDDI
from bounce_sink.parse.formats.postfix import Postfix
from bounce_sink.parse.formats.qmail import QMAIL
from bounce_sink.parse.formats.verizon import Verizon

REGISTRY: tuple[BounceFormat, ...] = (
    AmazonSESNotification(),
    FML,
    Verizon(),
    KDDI,
    GoogleGroups(),
    GMAIL,
    Postfix(),
    QMAIL,
    EXIM,
    GenericTextBounce(),
)

__all__ = ["REGISTRY", "BounceFormat"]
