"""The signed request and the receiver code in docs/crm-sync.md really verify."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bounce_sink.crm.signing import verify

DOC = (Path(__file__).resolve().parents[3] / "docs" / "crm-sync.md").read_text()


def _example() -> tuple[dict[str, str], bytes]:
    block = re.search(r"```http\n(POST /hooks/bounces.*?)```", DOC, re.S)
    assert block, "the signed example request is missing from docs/crm-sync.md"
    head, _, body = block.group(1).partition("\n\n")
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    return headers, body.strip("\n").encode()


def test_documented_request_verifies_with_the_documented_secret() -> None:
    headers, body = _example()
    ts = headers["X-Bounce-Sink-Timestamp"]
    assert verify("whsec-example", ts, body, headers["X-Bounce-Sink-Signature"], now=int(ts))
    assert not verify("whsec-other", ts, body, headers["X-Bounce-Sink-Signature"], now=int(ts))


def test_documented_receiver_code_accepts_it_and_drops_the_repeat() -> None:
    code = re.search(r"```python\n(import hashlib.*?)```", DOC, re.S)
    assert code, "the receiver example is missing from docs/crm-sync.md"
    headers, body = _example()
    applied: list[dict[str, Any]] = []
    namespace: dict[str, Any] = {"apply": applied.append}
    exec(code.group(1).replace('b"the crm_webhook_secret"', 'b"whsec-example"'), namespace)
    # the example's clock, frozen at the request's time (its own global, not the time module)
    namespace["time"] = SimpleNamespace(time=lambda: int(headers["X-Bounce-Sink-Timestamp"]))
    seen: set[str] = set()
    assert namespace["handle"](headers, body, seen) == 200
    assert namespace["handle"](headers, body, seen) == 200  # redelivered: dropped by event_id
    assert [e["event_id"] for e in applied] == ["interaction-42"]
    assert namespace["handle"](headers, body + b" ", seen) == 401
