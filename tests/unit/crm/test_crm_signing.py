"""Webhook signatures as a receiver checks them (the example in docs/crm-sync.md does the same)."""

from __future__ import annotations

import hashlib
import hmac

from bounce_sink.crm.signing import signature_header, verify

BODY = b'{"version":1,"events":[]}'


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    expected = hmac.new(b"k", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signature_header("k", "1700000000", BODY) == f"v1={expected}"


def test_receiver_accepts_a_fresh_genuine_signature() -> None:
    header = signature_header("k", "1700000000", BODY)
    assert verify("k", "1700000000", BODY, header, now=1700000100)


def test_receiver_refuses_tampering_wrong_secret_stale_or_garbage() -> None:
    header = signature_header("k", "1700000000", BODY)
    assert not verify("k", "1700000000", BODY + b" ", header, now=1700000000)
    assert not verify("other", "1700000000", BODY, header, now=1700000000)
    assert not verify("k", "1700000001", BODY, header, now=1700000000)  # timestamp is signed too
    assert not verify("k", "1700000000", BODY, header, now=1700000000 + 301)  # replay window
    assert not verify("k", "not-a-number", BODY, header, now=1700000000)
    assert not verify("k", "1700000000", BODY, "v0=" + header[3:], now=1700000000)


def test_several_signatures_allow_secret_rotation() -> None:
    header = (
        signature_header("old", "1700000000", BODY)
        + ", "
        + signature_header("new", "1700000000", BODY)
    )
    assert verify("new", "1700000000", BODY, header, now=1700000000)
    assert verify("old", "1700000000", BODY, header, now=1700000000)
