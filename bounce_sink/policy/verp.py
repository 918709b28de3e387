"""Signed return paths: `bounces+TAG@domain`, in the spirit of BATV and SRS.

A bounce that comes back to a tagged address can be checked without any
state: the tag says which mailing it was, which recipient it was sent to and
until when a bounce for it is believable, and a MAC over all of that proves we
made it. Layout of TAG (every part lowercase base32, RFC 4648 alphabet, so an
MTA that lower-cases local parts cannot break it)::

    <mailing-id>.<expiry>.<recipient>.<mac>
    mailing-id  the sender's own id, 1+ chars of a-z 0-9 _ - (kept readable)
    expiry      4 chars: the last day (UTC, days since 1970-01-01) a bounce is accepted
    recipient   10 chars: 50 bits of HMAC-SHA256(key, "rcpt" + address), not the address
    mac         13 chars: 64 bits of HMAC-SHA256(key, "v1" + the three parts above)

The recipient is carried as a keyed digest rather than as the address or a
short id from a table. A digest keeps the local part within RFC 5321's 64
octets for any address, lets the sending side tag mail without a round trip to
our store, and keeps addresses out of the return path (nobody can read who was
mailed from a bounce address). What it cannot do is name an address we never
saw: the DSN itself must report the failed recipient (Original-Recipient or
Final-Recipient), and the digest proves that the address reported is the one we
mailed. A DSN about any other address is treated as forged (see
`policy.forgery`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bounce_sink.policy.addresses import normalise_address

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
EPOCH = date(1970, 1, 1)
LOCAL_PART_LIMIT = 64  # RFC 5321 4.5.3.1.1
EXPIRY_CHARS = 4
RECIPIENT_CHARS = 10
MAC_CHARS = 13
DEFAULT_DAYS = 60

_MAILING_RE = re.compile(r"^[a-z0-9_-]+$")
_TAG_RE = re.compile(
    rf"^(?P<mailing>[a-z0-9_-]+)\.(?P<expiry>[a-z2-7]{{{EXPIRY_CHARS}}})"
    rf"\.(?P<recipient>[a-z2-7]{{{RECIPIENT_CHARS}}})\.(?P<mac>[a-z2-7]{{{MAC_CHARS}}})$"
)

Problem = str  # "" | "missing" | "malformed" | "bad_signature" | "expired"


def _b32_int(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _int_b32(text: str) -> int:
    value = 0
    for char in text:
        value = value * 32 + ALPHABET.index(char)
    return value


def _key_bytes(key: str | bytes) -> bytes:
    if not key:
        raise ValueError(
            "a VERP key is required: set verp_key in the config or BOUNCE_SINK_VERP_KEY"
        )
    return key.encode("utf-8") if isinstance(key, str) else key


def _truncated(key: bytes, message: bytes, chars: int) -> str:
    digest = hmac.new(key, message, hashlib.sha256).digest()
    bits = chars * 5
    value = int.from_bytes(digest[: (bits + 7) // 8], "big") >> ((8 - bits % 8) % 8)
    return _b32_int(value, chars)


def recipient_digest(address: str, key: str | bytes) -> str:
    """The recipient part of a tag; case-insensitive in the whole address."""
    bare = normalise_address(address).lower()
    return _truncated(_key_bytes(key), b"rcpt\0" + bare.encode("utf-8"), RECIPIENT_CHARS)


def _mac(key: bytes, mailing: str, expiry: str, recipient: str) -> str:
    message = "\0".join(("v1", mailing, expiry, recipient)).encode("ascii")
    return _truncated(key, message, MAC_CHARS)


def encode(
    recipient: str,
    mailing_id: str,
    key: str | bytes,
    *,
    domain: str = "localhost",
    local_part: str = "bounces",
    days: int = DEFAULT_DAYS,
    today: date | None = None,
) -> str:
    """The return path to put on the mail for `recipient` in `mailing_id`.

    Raises ValueError when the mailing id is not 1+ chars of a-z 0-9 _ - or
    when the result would not fit RFC 5321's 64-octet local part.
    """
    if not _MAILING_RE.match(mailing_id):
        raise ValueError(
            f"mailing id {mailing_id!r}: use 1 or more characters of a-z 0-9 _ - "
            "(lower case: MTAs may lower-case the local part)"
        )
    if days < 0:
        raise ValueError("days must not be negative")
    if not normalise_address(recipient) or "@" not in recipient:
        raise ValueError(f"recipient {recipient!r} is not an email address")
    key_bytes = _key_bytes(key)
    last_day = (today or datetime.now(UTC).date()) + timedelta(days=days)
    expiry = _b32_int((last_day - EPOCH).days, EXPIRY_CHARS)
    rcpt = recipient_digest(recipient, key_bytes)
    tag = f"{mailing_id}.{expiry}.{rcpt}.{_mac(key_bytes, mailing_id, expiry, rcpt)}"
    local = f"{local_part}+{tag}"
    if len(local.encode("utf-8")) > LOCAL_PART_LIMIT:
        room = LOCAL_PART_LIMIT - (len(local) - len(mailing_id))
        raise ValueError(
            f"local part {local!r} is {len(local)} octets, over {LOCAL_PART_LIMIT}: "
            f"use a mailing id of at most {max(room, 0)} characters"
        )
    return f"{local}@{domain.lower()}"


def tag_of(address: str) -> str:
    """The TAG of `local+TAG@domain` ("" for a plain address); a bare tag passes through."""
    bare = normalise_address(address)
    local = bare.rpartition("@")[0] if "@" in bare else bare
    if "@" not in bare and "+" not in bare:
        return bare.lower()
    return local.partition("+")[2].lower()


@dataclass(frozen=True)
class TagCheck:
    """What a tag proves. `valid` only when well-formed, signed by us and not expired."""

    tag: str
    valid: bool
    problem: Problem
    mailing_id: str = ""
    recipient_digest: str = ""
    expires_on: date | None = None
    # the key that verified the tag (the current one or an old one during rotation)
    key: bytes = field(default=b"", repr=False, compare=False)

    def matches(self, address: str, key: str | bytes | None = None) -> bool:
        """Whether `address` is the recipient this tag was made for (by the key that verified it)."""
        use = key if key is not None else self.key
        return (
            bool(self.recipient_digest)
            and bool(use)
            and hmac.compare_digest(self.recipient_digest, recipient_digest(address, use))
        )

    def describe(self) -> str:
        """One line for a quarantine reason or the CLI."""
        if self.valid:
            return f"valid tag for mailing {self.mailing_id}, until {self.expires_on}"
        if self.problem == "expired":
            return f"VERP tag expired on {self.expires_on}"
        if self.problem == "missing":
            return "no VERP tag on the bounce address"
        if self.problem == "bad_signature":
            return "VERP tag signature does not verify"
        return f"VERP tag {self.tag!r} is malformed"


def verify(
    address: str,
    key: str | bytes,
    *,
    today: date | None = None,
    old_keys: Sequence[str | bytes] = (),
) -> TagCheck:
    """Check the tag of a return path (`bounces+TAG@domain`, or the bare TAG).

    `old_keys` still verify (a key rotation must not quarantine the bounces of
    mail already sent), but `encode` only ever signs with the current key.
    """
    keys = [_key_bytes(key), *(_key_bytes(k) for k in old_keys if k)]
    tag = tag_of(address)
    if not tag:
        return TagCheck(tag="", valid=False, problem="missing")
    match = _TAG_RE.match(tag)
    if match is None:
        return TagCheck(tag=tag, valid=False, problem="malformed")
    mailing, expiry, rcpt, mac = match.group("mailing", "expiry", "recipient", "mac")
    signer = next(
        (k for k in keys if hmac.compare_digest(mac, _mac(k, mailing, expiry, rcpt))), None
    )
    if signer is None:
        return TagCheck(tag=tag, valid=False, problem="bad_signature")
    last_day = EPOCH + timedelta(days=_int_b32(expiry))
    current = today or datetime.now(UTC).date()
    problem = "expired" if current > last_day else ""
    return TagCheck(
        tag=tag,
        valid=not problem,
        problem=problem,
        mailing_id=mailing,
        recipient_digest=rcpt,
        expires_on=last_day,
        key=signer,
    )
