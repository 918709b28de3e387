"""The shapes of a rule: named, data-only, compiled once at import.

A rule is a value, not a function, so the whole table can be listed, tested
for unique names and shown to an admin. Every rule's `name` is what gets
stored with a result, so it must stay stable across releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pattern:
    """One named wording that signals a reason.

    `regex` is matched (``search``) against the normalised diagnostic: lower
    case, whitespace collapsed, SMTP continuation prefixes removed. `name` is
    the last part of the stored rule name (``text.<reason>.<name>``).
    """

    name: str
    regex: str
    # The wording itself shows a mailbox lookup on the final host (a local
    # delivery agent or directory answering), so it needs no RCPT evidence.
    lookup: bool = False


@dataclass(frozen=True)
class TextRule:
    """A compiled generic text pattern bound to its reason."""

    name: str
    reason: str
    pattern: re.Pattern[str]
    lookup: bool = False


@dataclass(frozen=True)
class ProviderPattern:
    """A receiving provider's documented wording or code.

    `regex` matches the normalised diagnostic; `status` (optional) must match
    the enhanced status code from the start, e.g. ``r"5\\.7\\.509"``. At least
    one of them is given; when both are, both must match.
    """

    name: str
    reason: str
    regex: str = ""
    status: str = ""
    domain: str = ""  # regex the recipient's domain must match in full


@dataclass(frozen=True)
class ProviderRule:
    """A compiled provider pattern, named ``provider.<provider>.<name>``."""

    name: str
    reason: str
    pattern: re.Pattern[str] | None
    status: re.Pattern[str] | None
    domain: re.Pattern[str] | None = None

    def matches(self, text: str, status: str, domain: str = "") -> bool:
        if self.status is not None and not self.status.match(status):
            return False
        if self.domain is not None and not self.domain.match(domain):
            return False
        return self.pattern is None or self.pattern.search(text) is not None


@dataclass(frozen=True)
class Provider:
    """A receiving mail provider and the bounce texts it documents.

    A provider is recognised by the host that answered (Remote-MTA, a host
    named in the diagnostic, the reporting MTA), by a signature it leaves in
    its replies (Google's ``gsmtp``), or by a consumer domain it alone hosts
    (``gmail.com``). Corporate domains hosted by a provider are found through
    the host, never guessed from the recipient's domain.
    """

    name: str
    hosts: str  # regex searched in each candidate host name (lower case)
    markers: str = ""  # regex searched in the normalised diagnostic
    domains: tuple[str, ...] = ()  # recipient domains only this provider hosts
    patterns: tuple[ProviderPattern, ...] = ()
    host_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    marker_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    rules: tuple[ProviderRule, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "host_re", re.compile(self.hosts))
        object.__setattr__(self, "marker_re", re.compile(self.markers) if self.markers else None)
        object.__setattr__(
            self,
            "rules",
            tuple(
                ProviderRule(
                    name=f"provider.{self.name}.{p.name}",
                    reason=p.reason,
                    pattern=re.compile(p.regex) if p.regex else None,
                    status=re.compile(f"(?:{p.status})\\Z") if p.status else None,
                    domain=re.compile(f"(?:{p.domain})\\Z") if p.domain else None,
                )
                for p in self.patterns
            ),
        )

    def recognises(self, hosts: tuple[str, ...], text: str, domain: str) -> bool:
        if any(self.host_re.search(h) for h in hosts):
            return True
        if self.marker_re is not None and self.marker_re.search(text):
            return True
        return domain in self.domains
