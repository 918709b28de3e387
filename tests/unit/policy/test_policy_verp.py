"""Signed return paths: what a tag proves, and what breaks it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bounce_sink.policy import verp

KEY = "unit-key"
TODAY = date(2026, 11, 26)


def test_round_trip_carries_mailing_expiry_and_recipient() -> None:
    address = verp.encode(
        "Jane.Doe@Example.com", "spring-2026", KEY, domain="Bounce.Example.org", today=TODAY
    )
    local, _, domain = address.partition("@")
    assert domain == "bounce.example.org"
    assert local.startswith("bounces+spring-2026.")
    assert local == local.lower()
    check = verp.verify(address, KEY, today=TODAY)
    assert check.valid and check.problem == ""
    assert (check.mailing_id, check.expires_on) == ("spring-2026", TODAY + timedelta(days=60))
    assert check.matches("jane.doe@example.com", KEY)
    assert check.matches("JANE.DOE@EXAMPLE.COM", KEY)
    assert not check.matches("john.doe@example.com", KEY)


def test_idn_recipient_matches_in_either_form() -> None:
    check = verp.verify(verp.encode("anna@bücher.example", "m", KEY, today=TODAY), KEY, today=TODAY)
    assert check.matches("anna@xn--bcher-kva.example", KEY)


def test_expiry_is_the_last_accepted_day() -> None:
    address = verp.encode("a@example.com", "m", KEY, days=10, today=TODAY)
    assert verp.verify(address, KEY, today=TODAY + timedelta(days=10)).valid
    late = verp.verify(address, KEY, today=TODAY + timedelta(days=11))
    assert (late.valid, late.problem) == (False, "expired")
    assert "expired on 2026-12-06" in late.describe()


@pytest.mark.parametrize("position", [0, 13, 20, -1])
def test_any_changed_character_breaks_the_signature(position: int) -> None:
    address = verp.encode("a@example.com", "mailing-1", KEY, today=TODAY)
    tag = verp.tag_of(address)
    index = position % len(tag)
    if tag[index] == ".":
        index += 1
    swapped = "a" if tag[index] != "a" else "b"
    forged = tag[:index] + swapped + tag[index + 1 :]
    assert verp.verify(forged, KEY, today=TODAY).problem in ("bad_signature", "malformed")


def test_another_key_does_not_verify() -> None:
    address = verp.encode("a@example.com", "m", KEY, today=TODAY)
    assert verp.verify(address, "other-key", today=TODAY).problem == "bad_signature"


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("bounces@localhost", "missing"),
        ("bounces+hello@localhost", "malformed"),
        ("bounces+@localhost", "missing"),
    ],
)
def test_missing_and_malformed_tags(address: str, problem: str) -> None:
    assert verp.verify(address, KEY, today=TODAY).problem == problem


def test_local_part_stays_within_64_octets_or_encode_refuses() -> None:
    longest = "m" * 26
    assert (
        len(verp.encode("someone.with.a.very.long.name@example.com", longest, KEY).split("@")[0])
        == 64
    )
    with pytest.raises(ValueError, match="at most 26 characters"):
        verp.encode("a@example.com", longest + "m", KEY)


@pytest.mark.parametrize("mailing", ["Spring", "a.b", "", "sale 1"])
def test_mailing_ids_that_an_mta_could_change_are_refused(mailing: str) -> None:
    with pytest.raises(ValueError, match="mailing id"):
        verp.encode("a@example.com", mailing, KEY)


def test_a_key_is_required() -> None:
    with pytest.raises(ValueError, match="key") as refused:
        verp.encode("a@example.com", "m", "")
    assert "set verp_key in the config or BOUNCE_SINK_VERP_KEY" in str(refused.value)


def test_old_keys_still_verify_during_a_rotation_but_never_sign() -> None:
    address = verp.encode("a@example.com", "m", "old-key", today=TODAY)
    assert verp.verify(address, "new-key", today=TODAY).problem == "bad_signature"
    check = verp.verify(address, "new-key", today=TODAY, old_keys=["old-key"])
    assert check.valid
    assert check.matches("a@example.com")
    assert not check.matches("b@example.com")
    assert "old-key" not in repr(check)
