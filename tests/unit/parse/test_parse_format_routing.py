"""Real corpus samples reach the format module written for their MTA.

The corpus test checks what comes out; this one checks which reader
produced it, so a registry-order change that hands a format to the generic
reader (or to the wrong module) shows up even when the numbers still match.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bounce_sink.parse import parse_message

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"

# corpus stratum -> the format name of the module that must read its text bounces
MODULE_OF = {
    "dragonfly": "dragonfly",
    "exchange2003": "exchange2003",
    "fml": "fml",
    "gmail": "gmail",
    "imailserver": "imailserver",
    "mfilter": "mfilter",
    "interscanmss": "interscanmss",
    "kddi": "kddi",
    "mailfoundry": "mailfoundry",
    "notes": "notes",
    "qmail": "qmail",
    "v5sendmail": "v5sendmail",
    "verizon": "verizon",
    "x1": "x1",
    "x3": "x3",
    "x6": "x6",
    "yahoo": "qmail",
    "zoho": "zoho",
    "einsundeins": "exim",
    "mxlogic": "exim",
    "mailru": "mailru",
    "x2": "qmail-like",
    "x4": "qmail-like",
    "office365": "office365",
    "opensmtpd": "opensmtpd",
    "gmx": "exim",
}


def _samples() -> list[dict[str, str]]:
    path = CORPUS / "manifest.jsonl"
    assert path.is_file(), f"dev corpus not found at {CORPUS}"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["mta"] in MODULE_OF]


@pytest.mark.parametrize("sample", _samples(), ids=lambda s: s["id"])
def test_routed_to_its_module(sample: dict[str, str]) -> None:
    raw = (CORPUS / sample["file"]).read_bytes()
    report = parse_message(raw)
    if report.format.startswith("rfc3464"):
        return  # a DSN from this MTA is read by the standard reader, as it should be
    assert report.format == MODULE_OF[sample["mta"]]
