"""One spelling per address."""

from __future__ import annotations

import pytest

from bounce_sink.policy.addresses import domain_of, entered_address_problem, normalise_address


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane.Doe@Example.COM", "Jane.Doe@example.com"),
        ("rfc822; <jane@example.com>", "jane@example.com"),
        ("RFC822;jane@EXAMPLE.com.", "jane@example.com"),
        (" <anna@Bücher.Example> ", "anna@xn--bcher-kva.example"),
        ("user@under_score.example", "user@under_score.example"),
        ("", ""),
    ],
)
def test_normalise_address(raw: str, expected: str) -> None:
    assert normalise_address(raw) == expected


def test_domain_of() -> None:
    assert domain_of("a@b.example") == "b.example"
    assert domain_of("no-domain") == ""


@pytest.mark.parametrize(
    "entered", ["jane@example.com", "<Jane@Example.COM>", "anna@Bücher.Example", "x@localhost"]
)
def test_entered_address_taken(entered: str) -> None:
    assert entered_address_problem(entered) is None


@pytest.mark.parametrize(
    "entered",
    ["not-an-address", "a@>", "<@example.com>", "a@.", "@example.com", "two words@example.com", ""],
)
def test_entered_address_refused_when_nothing_usable_would_be_stored(entered: str) -> None:
    problem = entered_address_problem(entered)
    assert problem is not None and "not an email address" in problem
