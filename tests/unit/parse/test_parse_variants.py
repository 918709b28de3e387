"""The same bounce, written a little differently, reads the same.

Held-out mail of one MTA differs from our samples in small ways: line ends,
a text part sent base64 or quoted-printable (Exchange and webmail do),
delivery-status fields folded at 78 columns, the daemon's display name or
local part (MAILER-DAEMON or postmaster), a localised Exchange subject. A
webmail's multipart/alternative with an HTML copy, another ASCII charset
label. A reader keyed to the bytes of our samples loses those. Every dev-corpus
message and every labelled fixture (fixtures/*/expected.jsonl) is read
as it is and in each variant, and each recipient's (address, reason,
severity, status class) must stay the same.

Where a variant does not hold for a message, the message is listed in
NOT_HOLDING with the reason; the test fails when a listed one starts to
hold, so the list stays true. A second failed recipient repeated where the
notice lists recipients in blocks reads as the first (SECOND_NOT_HOLDING
lists where not). A missing Subject is the one variant that may
change a reading: the Subject is real evidence, and without it a reading
may be less sure, never harder (test_no_subject_is_never_harder).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from message_variants import (
    Variant,
    base64_text,
    daemon_local_part,
    folded_status_fields,
    html_alternative,
    other_charset,
    other_line_ends,
    quoted_printable_text,
    second_recipient,
    sender_display_name,
    status_family,
    subject,
    unfolded_status_fields,
)

from bounce_sink.parse.cli_output import report_to_json
from bounce_sink.parse.pipeline import parse_bytes

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _labelled_fixtures() -> list[Path]:
    out = []
    for labels in sorted(FIXTURES.glob("*/expected.jsonl")):
        for line in labels.read_text().splitlines():
            if line.strip():
                out.append(labels.parent / json.loads(line)["file"])
    return out


FILES = sorted(CORPUS.glob("*.eml")) + _labelled_fixtures()

VARIANTS: dict[str, Variant] = {
    "other line ends": other_line_ends,
    "text base64": base64_text,
    "text quoted-printable": quoted_printable_text,
    "daemon display name": sender_display_name,
    "daemon local part": daemon_local_part,
    "status fields folded": folded_status_fields,
    "status fields unfolded": unfolded_status_fields,
    "other charset": other_charset,
    "html alternative": html_alternative,
}

# (file name relative to the corpus or fixtures/, variant) -> why it does not hold.
NOT_HOLDING: dict[tuple[str, str], str] = {
    # Read only by flufl.bounce's AOL detector (the last resort), which reads
    # a message only when it is text/plain as a whole: sent as
    # multipart/alternative it finds nothing. Our own readers do not claim
    # these notices (no daemon sender, no failure subject, no code), and an
    # AOL screen name alone is no better evidence behind an HTML copy.
    ("bounceparser/aol-senderblock.eml", "html alternative"): "flufl.bounce's AOL detector",
    ("bounceparser/aol.attachment.eml", "html alternative"): "flufl.bounce's AOL detector",
}

# A second failed recipient repeated in the notice reads as the first: the
# messages where it does not, and why (file name as in NOT_HOLDING).
_REASON_IN_PROSE = (
    "its status block has no Diagnostic-Code: the reason is in the text, inside a sentence"
    " naming the first address, which the copy does not repeat; the second reads soft, undefined"
)
SECOND_NOT_HOLDING: dict[str, str] = {
    "lhost-gsuite-02.eml": _REASON_IN_PROSE,
    "bounce-email-gem/bounce_tt_bounce_03.eml": _REASON_IN_PROSE,
    "bounce-email-gem/bounce_tt_bounce_04.eml": _REASON_IN_PROSE,
    "bounce-email-gem/bounce_tt_bounce_05.eml": _REASON_IN_PROSE,
    "bounce-email-gem/bounce_tt_bounce_07.eml": _REASON_IN_PROSE,
    "flufl-bounce/dsn_03.eml": _REASON_IN_PROSE,
    # In a report of several recipients a system address is the reporting
    # MTA's own and is dropped (pipeline._finish); a list rarely mails one.
    "lhost-opensmtpd-10.eml": "the failed recipient is postmaster@",
    "lhost-postfix-78.eml": "the failed recipient is postmaster@",
    # Domino writes one recipient per sentence ("was not delivered to: <addr>
    # because: ..."): the copy puts a bare address inside that sentence.
    "bounceparser/domino.unknown.eml": "Domino's one-recipient sentence",
    "flufl-bounce/simple_11.eml": "Domino's one-recipient sentence",
    "bounceparser/quota-5.eml": "Final-Recipient is LOCAL;<f.b>; the text names the account",
    "flufl-bounce/dsn_11.eml": "an alias loop: the transcript names the first address only",
}

# Exchange's localised subject prefixes, each read as its English "Undeliverable:".
LOCALISED = ("Unzustellbar:", "Non remis :", "Onbestelbaar:", "No se puede entregar:")

_SEVERITY = {"hard": 3, "soft": 2, "none": 1}

Reading = list[tuple[str, str, str, str]]


def _reading(raw: bytes) -> Reading:
    out = report_to_json("variant", parse_bytes(raw))
    return sorted(
        (r["address"].lower(), r["reason"], r["severity"], r["status"][:1])
        for r in out["recipients"]
    )


@functools.cache
def _as_it_is(path: Path) -> Reading:
    """The message's own reading, which four tests compare their variants with.

    Read once per file for all of them (parse_bytes is a function of the
    bytes alone): ~1,500 parses fewer a run. Callers never change the list.
    """
    return _reading(path.read_bytes())


@functools.cache
def _variant(path: Path, label: str) -> bytes:
    """The message rewritten by VARIANTS[label]: made once, for the test that
    reads it and the one that counts how many messages it changes."""
    return VARIANTS[label](path.read_bytes())


def _name(path: Path) -> str:
    root = CORPUS if path.is_relative_to(CORPUS) else FIXTURES
    return str(path.relative_to(root))


def test_the_messages_are_there() -> None:
    # No skip: a missing corpus or fixture set must fail, not shrink the test.
    assert len(list(CORPUS.glob("*.eml"))) == 235, f"dev corpus not found at {CORPUS}"
    assert len(FILES) > 235 + 250
    assert all(path.is_file() for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_variants_read_the_same(path: Path) -> None:
    raw = path.read_bytes()
    base = _as_it_is(path)
    wrong = []
    for label in VARIANTS:
        variant = _variant(path, label)
        if variant == raw:
            continue
        holds = _reading(variant) == base
        listed = (_name(path), label) in NOT_HOLDING
        if holds == listed:
            wrong.append(
                f"{label}: {'holds now, take it off NOT_HOLDING' if holds else 'reads differently'}"
            )
    assert not wrong, wrong


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_localised_exchange_subjects_read_as_undeliverable(path: Path) -> None:
    raw = path.read_bytes()
    english = _reading(subject("Undeliverable: Your order")(raw))
    for prefix in LOCALISED:
        assert _reading(subject(f"{prefix} Your order")(raw)) == english, prefix


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_no_subject_is_never_harder(path: Path) -> None:
    raw = path.read_bytes()
    before = {r[0]: _SEVERITY.get(r[2], 0) for r in _as_it_is(path)}
    for address, _, severity, _ in _reading(subject(None)(raw)):
        # A recipient keeps its severity or goes down; one found only now is never hard.
        assert _SEVERITY.get(severity, 0) <= before.get(address, _SEVERITY["soft"]), address


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_a_second_recipient_reads_as_the_first(path: Path) -> None:
    raw = path.read_bytes()
    base = _as_it_is(path)
    if len(base) != 1 or "@" not in base[0][0]:
        return  # several recipients already, or none
    address = base[0][0]
    other = "second.rcpt@" + address.rsplit("@", 1)[1]
    variant = second_recipient(raw, address, other)
    if variant == raw or other.encode() in raw:
        return
    holds = _reading(variant) == sorted([*base, (other, *base[0][1:])])
    listed = _name(path) in SECOND_NOT_HOLDING
    assert holds != listed, (
        "holds now, take it off SECOND_NOT_HOLDING" if holds else "reads differently"
    )


def test_the_variants_change_the_bytes() -> None:
    """Each variant applies to many messages: a variant that silently did
    nothing would make its test pass on nothing."""
    applied = {
        label: sum(_variant(p, label) != p.read_bytes() for p in FILES) for label in VARIANTS
    }
    assert all(count >= 100 for count in applied.values()), applied


# Another member of a status family where the sample carried one (a held-out
# notice of the same MTA may): what must stay, per family. Members that mean
# the same read the same; Microsoft's 5.1.10 (recipient not found) keeps
# x.1.1's severity, its bare code reading as RFC 7505's null MX where no
# wording decides (not_accept, hard as user_unknown is); 4.2.2 and 5.2.2
# (mailbox full) differ in class only; 5.1.0 ("other address status")
# never reads harder than 5.1.1.
_SAME_MEANING = {
    "x.7.1 <-> x.7.0": {"5.7.1": "5.7.0", "5.7.0": "5.7.1", "4.7.1": "4.7.0", "4.7.0": "4.7.1"},
    "x.7.y -> x.7.509": {f"{k}.7.{d}": f"{k}.7.509" for k in "45" for d in range(31)},
}
_MICROSOFT_1_10 = {"5.1.1": "5.1.10", "4.1.1": "4.1.10"}
_FULL_CLASS = {"5.2.2": "4.2.2", "4.2.2": "5.2.2"}
_OTHER_ADDRESS = {"5.1.1": "5.1.0", "4.1.1": "4.1.0"}


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_another_member_of_a_status_family(path: Path) -> None:
    raw = path.read_bytes()
    base = _as_it_is(path)
    for label, members in _SAME_MEANING.items():
        variant = status_family(members)(raw)
        if variant != raw:
            assert _reading(variant) == base, label
    variant = status_family(_MICROSOFT_1_10)(raw)
    if variant != raw:
        got = _reading(variant)
        assert [(r[0], r[2], r[3]) for r in got] == [(r[0], r[2], r[3]) for r in base]
    variant = status_family(_FULL_CLASS)(raw)
    if variant != raw:
        assert [r[:3] for r in _reading(variant)] == [r[:3] for r in base]
    variant = status_family(_OTHER_ADDRESS)(raw)
    if variant != raw:
        before = {r[0]: _SEVERITY.get(r[2], 0) for r in base}
        for address, _, severity, _ in _reading(variant):
            assert _SEVERITY.get(severity, 0) <= before.get(address, _SEVERITY["soft"]), address


def test_the_status_families_change_the_bytes() -> None:
    applied = {
        label: sum(status_family(members)(p.read_bytes()) != p.read_bytes() for p in FILES)
        for label, members in {
            **_SAME_MEANING,
            "x.1.1 -> x.1.10": _MICROSOFT_1_10,
            "5.2.2 <-> 4.2.2": _FULL_CLASS,
        }.items()
    }
    assert all(count >= 20 for count in applied.values()), applied
