"""Which envelope recipients are ours: the bounce local part (plain or +TAG) and postmaster."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import idna

Mailbox = Literal["bounces", "postmaster"]


@dataclass(frozen=True)
class Accepted:
    """An accepted recipient: which mailbox, and the VERP tag if it had one."""

    mailbox: Mailbox
    tag: str = ""


def domain_key(domain: str) -> str:
    """The form domains are compared in: lower case, no trailing dot, IDN as A-label.

    An MTA may write an internationalised bounce domain either way
    (`bücher.example` with SMTPUTF8, `xn--bcher-kva.example` without).
    """
    folded = domain.strip().rstrip(".").lower()
    try:
        return idna.encode(folded, uts46=True).decode("ascii")
    except idna.IDNAError:
        return folded


class RecipientPolicy:
    """Decides RCPT TO; everything not listed here is refused (no relaying)."""

    def __init__(self, domains: Iterable[str], local_part: str = "bounces") -> None:
        self._domains = frozenset(domain_key(d) for d in domains)
        self._local = local_part.lower()

    def check(self, address: str) -> Accepted | None:
        local, at, domain = address.rpartition("@")
        if not at or domain_key(domain) not in self._domains:
            return None
        # Local parts are case-sensitive by RFC 5321, but no MTA treats
        # "Bounces" and "bounces" as different people; accept both.
        folded = local.lower()
        if folded == "postmaster":
            return Accepted("postmaster")
        if folded == self._local:
            return Accepted("bounces")
        base, plus, tag = local.partition("+")
        if plus and base.lower() == self._local and tag:
            return Accepted("bounces", tag)
        return None
