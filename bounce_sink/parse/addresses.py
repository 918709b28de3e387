"""Pulling bare mail addresses out of the ways bounces write them."""

from __future__ import annotations

import re

# Permissive on purpose: local parts in bounces carry +tags, quotes and 8-bit text.
# Exchange's X.400 form names the Internet address as an attribute
# ("c=US;a= ;p=ORG;o=SITE;dda:SMTP=user@example.com"): the attribute's name
# is not part of the address.
ADDRESS = re.compile(
    r"""(?<![\w.+=/-])(?:(?i:smtp|rfc-?822)=)?"""
    r"""((?:"[^"\r\n]{1,64}"|[^\s<>()\[\]"',;:@]{1,128})@"""
    r"""(?:\[[0-9a-fA-F:.]+\]|[\w-]+(?:\.[\w-]+)+))""",
    re.UNICODE,
)


def clean_address(value: str) -> str:
    """`rfc822; <Foo@Example.COM>` -> `Foo@Example.COM` (case kept as given)."""
    text = value.strip()
    if ";" in text:
        head, _, tail = text.partition(";")
        if "@" not in head or head.strip().lower() in ("rfc822", "utf-8", "x-local", "unknown"):
            text = tail
    text = text.strip().strip("<>").strip()
    m = ADDRESS.search(text)
    if m:
        return m.group(1).strip(".").strip("'")
    return text.strip("<>\"' ")


def find_addresses(text: str) -> list[str]:
    """Every address in the text, in order, without repeats (case-insensitive)."""
    seen: set[str] = set()
    out: list[str] = []
    for m in ADDRESS.finditer(text):
        addr = m.group(1).strip(".")
        key = addr.lower()
        if key not in seen:
            seen.add(key)
            out.append(addr)
    return out


def is_system_address(address: str) -> bool:
    """Addresses of the reporting system itself, never the failed recipient."""
    local = address.split("@", 1)[0].lower().strip('"')
    return local in {
        "mailer-daemon",
        "postmaster",
        "mail-daemon",
        "mailerdaemon",
        "post_master",
    }
