"""The VERP tag is found for every bounce-domain spelling intake accepts (IDN as U- or A-label)."""

from __future__ import annotations

import pytest

from bounce_sink.config import load_settings
from bounce_sink.parse.report import Report
from bounce_sink.policy.apply import message_tag
from bounce_sink.smtp.recipients import RecipientPolicy
from bounce_sink.store.models import Message


@pytest.mark.parametrize("configured", ["bücher.example", "xn--bcher-kva.example"])
@pytest.mark.parametrize(
    "rcpt",
    [
        "bounces+t1abc@bücher.example",
        "bounces+t1abc@xn--bcher-kva.example",
        "Bounces+T1ABC@XN--BCHER-KVA.example.",
    ],
)
def test_tag_of_an_idn_bounce_domain_in_either_spelling(configured: str, rcpt: str) -> None:
    settings = load_settings(env={}, bounce_domains=[configured])
    # Intake accepted it (so it was stored); the policy must then see its tag too.
    assert RecipientPolicy(settings.bounce_domains).check(rcpt) is not None
    message = Message(rcpt_tos=[rcpt], verp_tag="")
    assert message_tag(message, Report(), settings) == "t1abc"


def test_tag_at_another_domain_is_not_ours() -> None:
    settings = load_settings(env={}, bounce_domains=["bücher.example"])
    message = Message(rcpt_tos=["bounces+t1abc@example.org"], verp_tag="")
    assert message_tag(message, Report(), settings) == ""
