"""The classifier's shortcuts answer exactly what the plain computation does.

Three shortcuts stand in front of the rule table: `word_scan` (which gate
words a text contains, testing only words filed under a piece the text
has), `recognise` (which providers the evidence points at, per host
cached) and `table.TextRuleIndex` (the text rules a text's words name). A wrong answer from either would silently stop a rule from
firing, so both are compared with the plain computation over the evidence
of every corpus and fixture message (both MIME readers), every rule
example, and generated texts. So are the cheaper steps of `Evidence.of`
(the normalised text, the hosts named in the text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import test_classify_rule_examples as examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounce_sink.classify import evidence
from bounce_sink.classify.evidence import Evidence, normalise_text
from bounce_sink.classify.gate_words import SCAN_KEYS
from bounce_sink.classify.providers import PROVIDERS
from bounce_sink.classify.recognise import providers_of_host, providers_of_text, providers_to_try
from bounce_sink.classify.required_text import gate_vocabulary, table_patterns
from bounce_sink.classify.rules.model import Provider, TextRule
from bounce_sink.classify.table import TEXT_RULES, scanned_gates, text_rule_index, text_words_in
from bounce_sink.classify.word_scan import WordScan, choose_keys, is_piece_offsets, piece_key
from bounce_sink.parse.pipeline import parse_bytes
from bounce_sink.parse.report import RecipientStatus, Report

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"
MESSAGES = sorted(CORPUS.glob("*.eml")) + sorted((REPO / "fixtures").rglob("*.eml"))


def _example_evidence() -> list[Evidence]:
    found = []
    for name, ex in {**examples.TEXT_EXAMPLES, **examples.PROVIDER_EXAMPLES}.items():
        if ex.host is not None:
            host = ex.host
        elif name.startswith("provider."):
            host = examples.PROVIDER_HOSTS[name.split(".")[1]]
        else:
            host = ""
        recipient = RecipientStatus(
            address=f"someone@{ex.domain}",
            action="failed",
            status=ex.status,
            diagnostic=ex.diagnostic,
            remote_mta=host,
            smtp_command=ex.command,
        )
        found.append(Evidence.of(recipient, Report(kind="dsn")))
    return found


def _reports() -> list[tuple[Path, bool, Report]]:
    """Every corpus and fixture message as both MIME readers (fast, then stdlib) read it.

    Parsed once, at import, for this module and the ones that import it
    (provider_first, report_at_once, ip_blocked, rule_branches): each used to
    parse the ~700 messages twice over on its own, ~2,800 parses of ~5 ms
    under coverage that gave the same reports. The classifier never changes
    a report (nothing in classify/ assigns to one), so sharing them is safe.
    """
    return [
        (path, fast, parse_bytes(raw, fast_mime=fast))
        for path in MESSAGES
        for raw in (path.read_bytes(),)
        for fast in (True, False)
    ]


REPORTS = _reports()


def _all_evidence() -> list[Evidence]:
    found = []
    for _, _, report in REPORTS:
        found += [Evidence.of(r, report) for r in report.recipients]
    return found + _example_evidence()


EVIDENCE = _all_evidence()
VOCABULARY = frozenset(w for g in scanned_gates() for c in g.scanned_clauses or () for w in c)


def test_inputs_cover_the_corpus_fixtures_and_examples() -> None:
    assert len(MESSAGES) > 280
    assert len(EVIDENCE) > 800
    assert len(VOCABULARY) > 300


def test_word_scan_finds_exactly_the_words_the_text_contains() -> None:
    for ev in EVIDENCE:
        expected = frozenset(w for w in VOCABULARY if w in ev.text)
        assert text_words_in(ev.text) == expected, ev.text


def test_word_scan_with_overlapping_short_and_repeated_words() -> None:
    words = ["user", "user unknown", "unknown", "ser u", "no", "n", "x.co/", "ü-mail", "nknow"]
    scan = WordScan(words)
    for text in [
        "",
        "n",
        "550 user unknown",
        "unknow",
        "users unknowns x.co/ ü-mail",
        "ser unknow",
        "no such user",
    ]:
        assert scan.present(text) == frozenset(w for w in words if w in text), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_word_scan_on_generated_texts(data: st.DataObject) -> None:
    """Texts built from pieces of the vocabulary, where words overlap and repeat."""
    pieces = data.draw(st.lists(st.sampled_from(sorted(VOCABULARY)), max_size=8))
    cuts = data.draw(st.lists(st.integers(0, 6), min_size=len(pieces), max_size=len(pieces)))
    text = " ".join(p[c:] for p, c in zip(pieces, cuts, strict=True))
    assert text_words_in(text) == frozenset(w for w in VOCABULARY if w in text), text


def test_every_gate_asked_through_the_scan_is_covered_by_it() -> None:
    # Each distinct text once (983 of the 1947 evidences' texts; both MIME
    # readers mostly give the same): the answer depends on the text alone.
    for text in sorted({ev.text for ev in EVIDENCE}):
        present = text_words_in(text)
        for gate in scanned_gates():
            assert gate.allows_present(present, text) == gate.allows(text), text


def _plain_providers(ev: Evidence) -> list[Provider]:
    """What the engine tried before `recognise`: each provider asked in turn."""
    if not any(p.recognises(ev.hosts, ev.text, ev.domain) for p in PROVIDERS):
        return []
    first = ev.hosts[:1]
    by_host = [p for p in PROVIDERS if any(p.host_re.search(h) for h in first)]
    others = [
        p
        for p in PROVIDERS
        if all(p is not q for q in by_host) and p.recognises(ev.hosts, ev.text, ev.domain)
    ]
    return by_host + others


def test_providers_to_try_are_the_plain_ones_in_the_same_order() -> None:
    pointed = several = 0
    for ev in EVIDENCE:
        got = providers_to_try(ev.hosts, ev.text, ev.domain, text_words_in(ev.text))
        expected = _plain_providers(ev)
        assert [p.name for p in got] == [p.name for p in expected], ev
        pointed += bool(got)
        several += len(got) > 1
    assert pointed > 300
    assert several > 5


def test_providers_of_text_through_the_marker_index_are_the_plain_ones() -> None:
    """Each provider's signature searched in turn, against the word-indexed lookup."""
    signed = 0
    texts = [ev.text for ev in EVIDENCE] + [
        "550 5.7.1 [TS01] messages from 192.0.2.1 temporarily deferred",
        "554 delivery error: dd this user doesn't have a yahoo.com account",
        "5.1.1 gsmtp and cxbl and imecast",
        "",
    ]
    for text in texts:
        expected = tuple(
            i
            for i, p in enumerate(PROVIDERS)
            if p.marker_re is not None and p.marker_re.search(text)
        )
        assert providers_of_text(text, text_words_in(text)) == expected, text
        signed += bool(expected)
    assert signed > 100


@pytest.mark.parametrize(
    "host",
    [
        "gmail-smtp-in.l.google.com",
        "example-com.mail.protection.outlook.com",
        "mx.example.com",
        "",
        "google.com.example.org",
        "mta7.am0.yahoodns.net",
    ],
)
def test_providers_of_a_host_cached_or_not(host: str) -> None:
    expected = tuple(i for i, p in enumerate(PROVIDERS) if p.host_re.search(host))
    assert providers_of_host.__wrapped__(host) == expected
    assert providers_of_host(host) == expected
    assert providers_of_host(host) == expected  # from the cache


def test_normalised_example_texts_are_in_the_inputs() -> None:
    texts = {ev.text for ev in EVIDENCE}
    ex = examples.TEXT_EXAMPLES["text.user_unknown.local_unknown_user"]
    assert normalise_text(ex.diagnostic) in texts


# The patterns as they were written before they were made cheaper.
_PLAIN_SPACE = re.compile(r"\s+")
_PLAIN_CONTINUATION = re.compile(r"(?:(?<=\s)|^)[245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}\s)?")
_PLAIN_STATUS = re.compile(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.]*\d)")
_PLAIN_REPLY = re.compile(r"(?:^|[\s:;>(\[])([245][0-5]\d)(?=[\s\-:])")


def _plain_normalise(diagnostic: str) -> str:
    """`normalise_text` as it was before its shortcuts."""
    text = _PLAIN_SPACE.sub(" ", diagnostic.lower()).strip()
    for prefix in ("smtp;", "x-postfix;", "x-unix;", "x-notes;", "x-local;", "mailbox;"):
        if text.startswith(prefix):
            text = text[len(prefix) :].lstrip()
            break
    return _PLAIN_SPACE.sub(" ", _PLAIN_CONTINUATION.sub(" ", text)).strip()


def _same_reading(diagnostic: str) -> None:
    """The cheaper steps of `Evidence.of` read `diagnostic` as the plain ones do."""
    assert normalise_text(diagnostic) == _plain_normalise(diagnostic)
    lowered = _PLAIN_SPACE.sub(" ", diagnostic.lower())
    assert evidence._single_spaced(diagnostic.lower()) == lowered
    assert evidence._hosts_in_text(lowered) == _plain_hosts(lowered)
    for new, plain in (
        (evidence._STATUS_IN_TEXT, _PLAIN_STATUS),
        (evidence._REPLY_IN_TEXT, _PLAIN_REPLY),
    ):
        assert [m.group(1) for m in new.finditer(lowered)] == [
            m.group(1) for m in plain.finditer(lowered)
        ]
    plain_command = evidence._COMMAND_IN_TEXT.search(lowered)
    command = evidence._command(RecipientStatus(address="a@example.com"), lowered)
    assert command == (
        evidence._COMMAND_NAMES[plain_command.group(1) or plain_command.group(2)]
        if plain_command
        else ""
    )
    # The continuation search (a space put in front, the matches then
    # replaced and the spaces collapsed) removes what the plain one does.
    text = lowered.strip()
    cut, count = evidence._CONTINUATION.subn(" ", " " + text)
    plain_cut, plain_count = _PLAIN_CONTINUATION.subn(" ", text)
    assert count == plain_count
    assert cut.split() == plain_cut.split()
    # `Evidence.of` does those steps inlined: its fields read the same.
    ev = Evidence.of(RecipientStatus(address="a@example.com", diagnostic=diagnostic), Report())
    status = _PLAIN_STATUS.search(lowered)
    reply = _PLAIN_REPLY.search(lowered)
    assert ev[:6] == (
        _plain_normalise(diagnostic),
        status.group(1) if status else "",
        reply.group(1) if reply else "",
        "",
        command,
        tuple(_plain_hosts(lowered)),
    )


def _plain_hosts(lowered: str) -> list[str]:
    return [m.group(1) for m in evidence._HOST_IN_TEXT.finditer(lowered)]


def _diagnostics() -> list[str]:
    found = [r.diagnostic for _, _, report in REPORTS for r in report.recipients]
    examples_ = {**examples.TEXT_EXAMPLES, **examples.PROVIDER_EXAMPLES}
    return found + [ex.diagnostic for ex in examples_.values()]


DIAGNOSTICS = _diagnostics()


def test_evidence_reads_texts_as_the_plain_computation() -> None:
    with_hosts = 0
    for diagnostic in DIAGNOSTICS:
        _same_reading(diagnostic)
        with_hosts += bool(_plain_hosts(_PLAIN_SPACE.sub(" ", diagnostic.lower())))
    assert with_hosts > 50


_PIECES = [
    " ", "  ", "\t", "\n", "\u00a0", "\u2028", "\x1c", "550", "550-", "550 ", "5.1.1 ", "421-4.7.0 ",
    "smtp;", "4", "2", "5.", "0", "1.", ":", ";", "(", "[", "-", "x",
    "x-postfix; ", "mailbox;", "a", "@", ".", "-", "example.com", "mx.example.org", ".com",
    "gmail-smtp-in.l.google.com", "x.co", "com", "b.c.de", ">", "(", "[", "é", "Example.COM",
    ".jp", "co.uk", "uk", "mx.example.net.", "a.b.org/", ".comx", "de-", "x.io",
    "in reply to", "after", "did not like our", ">>>", "rcpt to", "mail from", "data", "end of data",
    "the ", "helo", "starttls", "initial connection",
]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_evidence_reads_generated_texts_as_the_plain_computation(pieces: list[str]) -> None:
    _same_reading("".join(pieces))


def test_str_split_and_regex_agree_on_whitespace() -> None:
    """`_single_spaced` rests on this for every character, not only the ones tried above."""
    chars = "".join(map(chr, range(0x110000)))
    assert "".join(_PLAIN_SPACE.findall(chars)) == "".join(c for c in chars if c.isspace())
    assert evidence._single_spaced(chars) == _PLAIN_SPACE.sub(" ", chars)


def _plain_first_text_rule(text: str) -> TextRule | None:
    return next((r for r in TEXT_RULES if r.pattern.search(text)), None)


def test_text_rule_index_finds_the_first_rule_of_the_table() -> None:
    found = 0
    for ev in EVIDENCE:
        got = text_rule_index().first_match(ev.text, text_words_in(ev.text))
        assert got == _plain_first_text_rule(ev.text), ev.text
        found += got is not None
    assert found > 300


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_text_rule_index_on_generated_matches(data: st.DataObject) -> None:
    """Texts holding matches of one or two rules, where an earlier rule may also match."""
    rules = data.draw(st.lists(st.sampled_from(TEXT_RULES), min_size=1, max_size=2))
    text = " ".join(data.draw(st.from_regex(r.regex)) for r in rules)
    got = text_rule_index().first_match(text, text_words_in(text))
    assert got == _plain_first_text_rule(text), text


def test_shipped_piece_keys_cover_the_vocabulary() -> None:
    """gate_words.SCAN_KEYS holds piece offsets for every word of four
    characters or more the table's gates ask about (chosen over the fixtures'
    texts, so only speed depends on which; a stale table should be
    regenerated), and none for a word no gate asks about."""
    vocabulary = {w for w in gate_vocabulary(table_patterns()) if len(w) >= 4}
    assert len(SCAN_KEYS) > 300
    assert set(SCAN_KEYS) == vocabulary
    assert all(is_piece_offsets(word, offsets) for word, offsets in SCAN_KEYS.items())


def test_every_chosen_key_is_a_piece_offset_pair_of_its_word() -> None:
    words = ["user unknown", "unknown user", "mailbox full", "quota", "no such user", "ü-mail"]
    for word, offsets in choose_keys(words).items():
        assert is_piece_offsets(word, offsets), word
    assert set(choose_keys(words)) == set(words)
    assert all(len(piece_key(w)) == 4 and piece_key(w) in w for w in words)
    # A piece every sample text holds is passed over for one none holds.
    assert choose_keys(["abcdef"], ["abc", "xabcx"])["abcdef"][0] != 0


def test_word_scan_ignores_a_key_that_is_not_a_piece_offset_pair_of_its_word() -> None:
    words = ["user unknown", "mailbox full", "quota", "abcdefg", "abcdefgh"]
    scan = WordScan(
        words,
        {
            "user unknown": (0, 11),  # past the last piece
            "mailbox full": (-2, 1),  # before the word
            "quota": (0, 2),  # both even
            "abcdefg": (0, 2),  # both even
            "abcdefgh": (1, 3),  # both odd
        },
    )
    for text in [
        "550 user unknown",
        "mailbox full",
        "over quota",
        "nothing",
        "xabcdefg",
        "xquota",
        "abcdefgh",
        "xxabcdefgh",
    ]:
        assert scan.present(text) == frozenset(w for w in words if w in text), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_providers_of_text_on_generated_signatures(data: st.DataObject) -> None:
    """Texts holding one provider's signature beside words of others' gates."""
    signed = [p for p in PROVIDERS if p.markers]
    provider = data.draw(st.sampled_from(signed))
    around = data.draw(
        st.lists(st.sampled_from(["/support", "postmaster.", "yandex", "x"]), max_size=3)
    )
    text = " ".join([*around, data.draw(st.from_regex(provider.markers)).lower()])
    expected = tuple(
        i for i, p in enumerate(PROVIDERS) if p.marker_re is not None and p.marker_re.search(text)
    )
    assert providers_of_text(text, text_words_in(text)) == expected, text
