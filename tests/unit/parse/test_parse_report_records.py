"""Report and RecipientStatus behave as the dataclasses they were.

They are plain classes so that the parse path never imports `dataclasses`
(and `inspect` with it). Their users construct them by keyword and by
position, compare them, print them, render them field by field through
`vars()` (admin pages, the reference snapshots) and deep-copy them: each of
those is compared here with the dataclass definitions the classes replace.
"""

from __future__ import annotations

import copy
import inspect
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bounce_sink.parse.report import RecipientStatus, Report

REPO = Path(__file__).resolve().parents[3]


@dataclass
class DataclassRecipientStatus:
    address: str
    action: str = ""
    status: str = ""
    reply_code: str = ""
    diagnostic: str = ""
    remote_mta: str = ""
    original_recipient: str = ""
    final_recipient: str = ""
    smtp_command: str = ""
    last_attempt: str = ""
    heuristic: bool = False
    reason_hint: str = ""
    new_address: str = ""
    hint_source: str = ""


@dataclass
class DataclassReport:
    kind: str = "unknown"
    format: str = ""
    recipients: list[Any] = field(default_factory=list)
    reporting_mta: str = ""
    received_from_mta: str = ""
    arrival_date: datetime | None = None
    envelope_id: str = ""
    subject: str = ""
    from_address: str = ""
    to_addresses: list[str] = field(default_factory=list)
    message_id: str = ""
    original_message_id: str = ""
    original_headers: dict[str, str] = field(default_factory=dict)
    feedback_type: str = ""
    error: str = ""


PAIRS = [(RecipientStatus, DataclassRecipientStatus), (Report, DataclassReport)]


def _defaults(cls: type) -> list[tuple[str, Any]]:
    """Each parameter with its default ([] / {} for a default factory's, "required" for none)."""
    out = []
    for name, p in inspect.signature(cls).parameters.items():
        default = p.default
        if default is inspect.Parameter.empty:
            default = "required"
        elif default is None and name in ("recipients", "to_addresses"):
            default = []  # the plain class's None stands for a new empty list
        elif default is None and name == "original_headers":
            default = {}
        out.append((name, default))
    return out


def _factory_defaults(cls: type) -> list[tuple[str, Any]]:
    out = []
    for name, p in inspect.signature(cls).parameters.items():
        default = p.default
        if default is inspect.Parameter.empty:
            default = "required"
        elif repr(default) == "<factory>":
            default = cls(**({"address": "a"} if cls is DataclassRecipientStatus else {})).__dict__[
                name
            ]
        out.append((name, default))
    return out


@pytest.mark.parametrize(("plain", "reference"), PAIRS)
def test_same_parameters_in_the_same_order_with_the_same_defaults(
    plain: type, reference: type
) -> None:
    assert _defaults(plain) == _factory_defaults(reference)
    for name, p in inspect.signature(plain).parameters.items():
        assert p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, name


def _samples() -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    return [
        ((), {}),
        (("dsn", "rfc3464"), {"subject": "Undelivered", "arrival_date": when}),
        ((), {"recipients": [], "to_addresses": ["a@example.org"], "error": "x"}),
        ((), {"original_headers": {"to": "b@example.org"}, "kind": "arf"}),
    ]


def test_a_report_holds_what_the_dataclass_held_in_the_same_order() -> None:
    for args, kwargs in _samples():
        plain, reference = Report(*args, **kwargs), DataclassReport(*args, **kwargs)
        assert vars(plain) == vars(reference)
        assert list(vars(plain)) == list(vars(reference))
        assert repr(plain) == repr(reference).replace("DataclassReport", "Report")
    # A list or dict left out is a new one for every report, as with a default factory.
    first, second = Report(), Report()
    first.recipients.append(RecipientStatus("a@example.org"))
    first.to_addresses.append("x")
    first.original_headers["to"] = "x"
    assert second.recipients == [] and second.to_addresses == [] and second.original_headers == {}


def test_a_recipient_holds_what_the_dataclass_held_in_the_same_order() -> None:
    cases: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (("a@example.org",), {}),
        (("a@example.org", "failed", "5.1.1", "550"), {"diagnostic": "no such user"}),
        ((), {"address": "b@example.org", "heuristic": True, "hint_source": "qmail"}),
    ]
    for args, kwargs in cases:
        plain = RecipientStatus(*args, **kwargs)
        reference = DataclassRecipientStatus(*args, **kwargs)
        assert list(vars(plain).items()) == list(vars(reference).items())
        assert repr(plain) == repr(reference).replace("DataclassRecipientStatus", "RecipientStatus")
    with pytest.raises(TypeError):
        RecipientStatus()  # type: ignore[call-arg]  # the address is required
    with pytest.raises(TypeError):
        Report(nothing="x")  # type: ignore[call-arg]


def test_equal_by_value_unequal_across_classes_and_unhashable() -> None:
    a = RecipientStatus("a@example.org", "failed", diagnostic="x")
    b = RecipientStatus("a@example.org", "failed", diagnostic="x")
    assert a == b
    assert (a != b) is False
    b.diagnostic = "y"
    assert a != b
    assert a != DataclassRecipientStatus("a@example.org", "failed", diagnostic="x")
    assert Report(recipients=[a]) == Report(recipients=[copy.deepcopy(a)])
    assert Report(recipients=[a]) != Report()
    assert Report() != "Report()"
    for value in (a, Report()):
        with pytest.raises(TypeError):
            hash(value)
    report = Report(kind="dsn", recipients=[a])
    assert report.is_bounce and not Report(kind="arf", recipients=[a]).is_bounce
    copied = copy.deepcopy(report)
    assert copied == report and copied.recipients[0] is not a


def test_the_parse_path_imports_no_dataclasses(corpus_dir: Path) -> None:
    """Reading every corpus message loads no `dataclasses` (nor `inspect`) from parse/."""
    code = (
        "import sys, pathlib\n"
        "from bounce_sink.parse.pipeline import parse_bytes\n"
        f"for p in sorted(pathlib.Path({str(corpus_dir)!r}).glob('*.eml')):\n"
        "    parse_bytes(p.read_bytes())\n"
        "print(sorted(m for m in ('dataclasses', 'inspect') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
