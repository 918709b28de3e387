"""Deciding: per recipient, evidence -> reason -> severity -> code. Never touches the network.

The rules are data: ``rules/reasons/*`` (generic wordings, one module per
reason), ``providers/*`` (one module per receiving provider, with the texts
it documents), ``rules/status_codes`` (bare RFC 3463 codes). ``table``
assembles them in order; ``engine`` applies them. Every result names the
rule that decided it, e.g. ``provider.google.disabled``,
``text.user_unknown.no_such_user``, ``status.5.1.1``, ``hint.qmail.user_unknown``.

To add a wording: add a named ``Pattern`` to the reason's module (or a
``ProviderPattern`` to the provider's), and an example for it to
``tests/unit/classify/test_classify_rule_examples.py``; the tests fail until
the example fires exactly that rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bounce_sink.classify.taxonomy import Classification

if TYPE_CHECKING:
    from bounce_sink.parse.report import RecipientStatus, Report

__all__ = ["Classification", "classify_recipient"]


def classify_recipient(recipient: RecipientStatus, report: Report) -> Classification:
    """Classify one recipient of a parsed report (imports the rule table on first use)."""
    from bounce_sink.classify.engine import classify

    return classify(recipient, report)
