"""The shapes of a rule: named, data-only, compiled once at import.

A rule is a value, not a function, so the whole table can be listed, tested
for unique names and shown to an admin. Every rule's `name` is what gets
stored with a result, so it must stay stable across releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property


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
    """A generic text pattern bound to its reason.

    Compiled on first use: a command-line run classifies a few messages and
    most rules are never reached behind their reason's prefilter.
    """

    name: str
    reason: str
    regex: str
    lookup: bool = False

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.regex)


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
    """A provider pattern, named ``provider.<provider>.<name>``, compiled on first use."""

    name: str
    reason: str
    regex: str = ""
    status_regex: str = ""
    domain_regex: str = ""

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        return re.compile(self.regex) if self.regex else None

    @cached_property
    def status(self) -> re.Pattern[str] | None:
        return re.compile(f"(?:{self.status_regex})\\Z") if self.status_regex else None

    @cached_property
    def domain(self) -> re.Pattern[str] | None:
        return re.compile(f"(?:{self.domain_regex})\\Z") if self.domain_regex else None

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
    rules: tuple[ProviderRule, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "rules",
            tuple(
                ProviderRule(
                    name=f"provider.{self.name}.{p.name}",
                    reason=p.reason,
                    regex=p.regex,
                    status_regex=p.status,
                    domain_regex=p.domain,
                )
                for p in self.patterns
            ),
        )

    @cached_property
    def host_re(self) -> re.Pattern[str]:
        return re.compile(self.hosts)

    @cached_property
    def marker_re(self) -> re.Pattern[str] | None:
        return re.compile(self.markers) if self.markers else None

    def recognises(self, hosts: tuple[str, ...], text: str, domain: str) -> bool:
        if any(self.host_re.search(h) for h in hosts):
            return True
        if self.marker_re is not None and self.marker_re.search(text):
            return True
        return domain in self.domains
