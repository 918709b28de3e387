"""Full-jitter backoff and the HTTP status table of DESIGN.md "Flow" step 5."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bounce_sink.crm.adapter import Outcome
from bounce_sink.crm.backoff import backoff_delay
from bounce_sink.crm.http_status import outcome_for_status, parse_retry_after


def test_delays_are_jittered_below_an_exponential_ceiling_and_capped() -> None:
    rng = random.Random(1)
    for attempts in range(1, 30):
        ceiling = min(600.0, 2.0 * 2 ** (attempts - 1))
        delays = [backoff_delay(attempts, 2.0, 600.0, rng) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # full jitter uses the whole window
        assert min(delays) < ceiling * 0.2


def test_huge_attempt_counts_do_not_overflow() -> None:
    assert backoff_delay(10_000, 2.0, 600.0, random.Random(2)) <= 600.0


def test_retry_after_is_a_floor_even_above_the_cap() -> None:
    rng = random.Random(3)
    assert backoff_delay(1, 2.0, 600.0, rng, retry_after=1200.0) == 1200.0
    assert backoff_delay(1, 2.0, 600.0, rng, retry_after=10**9) == 24 * 3600.0


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.DELIVERED),
        (202, Outcome.DELIVERED),
        (204, Outcome.DELIVERED),
        (408, Outcome.RETRY),
        (429, Outcome.RETRY),
        (500, Outcome.RETRY),
        (502, Outcome.RETRY),
        (503, Outcome.RETRY),
        (401, Outcome.RETRY),
        (400, Outcome.DEAD),
        (403, Outcome.DEAD),
        (404, Outcome.DEAD),
        (409, Outcome.DEAD),
        (422, Outcome.DEAD),
        (301, Outcome.DEAD),
    ],
)
def test_status_table(status: int, outcome: Outcome) -> None:
    assert outcome_for_status(status) is outcome


def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert parse_retry_after({"Retry-After": "120"}) == 120.0
    assert parse_retry_after({"retry-after": " 7 "}) == 7.0
    when = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after({"Retry-After": when}, now=now) == pytest.approx(90.0)
    past = format_datetime(now - timedelta(hours=1), usegmt=True)
    assert parse_retry_after({"Retry-After": past}, now=now) == 0.0
    assert parse_retry_after({}) is None
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after({"Retry-After": "-5"}) == 0.0
