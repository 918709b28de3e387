"""Header and body decoding: RFC 2047, folding, 8-bit, odd and Japanese charsets."""

from __future__ import annotations

from email.header import Header

from bounce_sink.parse import parse_message
from bounce_sink.parse.text_decoding import codec_for, decode_bytes, decode_header_value


def test_encoded_words_adjacent_and_folded() -> None:
    value = "=?utf-8?q?Unzustellbar:?=\n =?utf-8?b?IE7DpGNoc3Rl?= Woche"
    assert decode_header_value(value) == "Unzustellbar: Nächste Woche"


def test_unknown_charset_falls_back() -> None:
    assert decode_header_value("=?x-nonsense?q?caf=C3=A9?=") == "café"


def test_broken_base64_word_does_not_raise() -> None:
    assert isinstance(decode_header_value("=?utf-8?b?%%%?="), str)


def test_iso_2022_jp_word() -> None:
    assert decode_header_value("=?ISO-2022-JP?B?GyRCJTUlOSVIGyhC?=") == "サスト"


def test_header_object() -> None:
    assert decode_header_value(Header("Grüße", "utf-8")).startswith("Gr")


def test_raw_8bit_header_in_message() -> None:
    raw = "From: MAILER-DAEMON@example.org\nSubject: Unzustellbar: Grüße\n\nx\n".encode()
    assert parse_message(raw).subject == "Unzustellbar: Grüße"


def test_latin1_bytes_without_label() -> None:
    assert decode_bytes("Büro".encode("latin-1")) == "Büro"


def test_escape_sequences_win_over_label() -> None:
    assert decode_bytes("メール".encode("iso2022_jp"), "us-ascii") == "メール"


def test_charset_aliases() -> None:
    assert codec_for("unknown-8bit") == "utf-8"
    assert codec_for('"ks_c_5601-1987"') == "cp949"
    assert codec_for(None) == "utf-8"


def test_folded_diagnostic_is_unfolded() -> None:
    raw = (
        b"From: MAILER-DAEMON@example.org\nSubject: failure\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        b"Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.2.2\n"
        b"Diagnostic-Code: smtp; 552 5.2.2 mailbox\n   is full\n\n--b--\n"
    )
    (r,) = parse_message(raw).recipients
    assert r.diagnostic == "552 5.2.2 mailbox is full"
    assert (r.status, r.reply_code) == ("5.2.2", "552")


def test_raw_iso_2022_jp_in_a_field() -> None:
    jp = "ユーザーは見つかりません".encode("iso2022_jp").decode("ascii")
    assert decode_header_value(f"X-Notes; {jp}") == "X-Notes; ユーザーは見つかりません"


def test_base64_encoded_delivery_status() -> None:
    import base64

    fields = (
        b"Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; a@example.com\n"
        b"Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n"
    )
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\nSubject: Undeliverable\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nfailed\n"
        b"--b\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(fields)
        + b"--b--\n"
    )
    (r,) = parse_message(raw).recipients
    assert (r.address, r.status, r.reply_code) == ("a@example.com", "5.1.1", "550")


def test_charset_label_with_a_nul_byte() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\nSubject: failure\n"
        b'Content-Type: text/plain; charset="ut\x00f"\n\n<a@example.com>: 550 5.1.1 no such user\n'
    )
    report = parse_message(raw)
    assert report.error == ""
    assert [r.address for r in report.recipients] == ["a@example.com"]


def test_8bit_part_with_a_broken_charset_label() -> None:
    # Message.get_payload() decodes 8-bit text with the declared charset and
    # raises on a label with a NUL byte; the parser must not.
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\nSubject: failure\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n'
        b'--b\nContent-Type: text/plain; charset="x\x00y"\n\n<a@example.com>: 550 5.1.1 B\xfcro\n--b--\n'
    )
    report = parse_message(raw)
    assert report.error == ""
    assert [r.address for r in report.recipients] == ["a@example.com"]
