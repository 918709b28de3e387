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
# One plain address: ASCII letters, digits and `._%+-` before the one "@" (1
# to 128 of them), dot-separated labels of letters, digits, `_` and `-` after
# it. ADDRESS reads such a text whole from its first character: there is no
# "=" for a prefix, no character its local part stops at, and the domain is
# taken to the end; the lookbehind passes at the text's start (and after a
# "<"); no other match exists, this "@" being the only one (a quoted local
# part would need a '"' right before it). ADDRESS has no literal to skip to,
# so a search tries its lookbehind, prefix and local part at every position,
# ~350 instructions each; From, To and recipient values are mostly plain.
# tests/unit/parse/test_parse_addresses_sa.py compares both ways.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]{1,128}@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")


def clean_address(value: str) -> str:
    """`rfc822; <Foo@Example.COM>` -> `Foo@Example.COM` (case kept as given)."""
    text = value.strip()
    if ";" in text:
        head, _, tail = text.partition(";")
        if "@" not in head or head.strip().lower() in ("rfc822", "utf-8", "x-local", "unknown"):
            text = tail
    text = text.strip().strip("<>").strip()
    if _PLAIN_ADDRESS.fullmatch(text):
        return text.strip(".")  # what the search finds in it (a plain one holds no "'")
    m = ADDRESS.search(text)
    if m:
        return m.group(1).strip(".").strip("'")
    return text.strip("<>\"' ")


def find_addresses(text: str) -> list[str]:
    """Every address in the text, in order, without repeats (case-insensitive)."""
    if "@" not in text:
        return []  # every address holds one
    inner = text
    if text[-1:] == ">":
        # `Name <address>`: with no "@" before the "<", a match starts after it.
        cut = text.rfind("<")
        if cut >= 0 and "@" not in text[:cut]:
            inner = text[cut + 1 : -1]
    if _PLAIN_ADDRESS.fullmatch(inner):
        return [inner.strip(".")]
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
