"""Quicker ways of the view and the text decoding give the former results.

Each shortcut is compared with the plain way it replaced, on the corpus and
fixture messages and on generated input, so a shortcut that ever changes a
result fails here rather than silently in a report.
"""

from __future__ import annotations

import codecs
import email
import re
from email._policybase import compat32
from email.message import Message
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import text_decoding
from bounce_sink.parse.arf import _TEXT_REPORT, has_text_report
from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView, cached_once, html_to_text
from bounce_sink.parse.pipeline import (
    _INLINE_FIELDS,
    _MOVED_TO,
    _stdlib_tree,
    may_hold_inline_fields,
    may_name_new_address,
    parse_bytes,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _parts(corpus_dir: Path) -> list[Message]:
    out: list[Message] = []
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    for path in paths:
        out.extend(email.message_from_bytes(path.read_bytes(), policy=compat32).walk())
    return out


def _html_to_text_per_line(html: str) -> str:
    """html_to_text as it was: the blanks squeezed line by line."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>|</h\d>", "\n", html)
    text = re.sub(r"<[^>]*>", " ", html)
    for ent, ch in (
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(ent, ch)
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())


def test_html_to_text_on_every_html_part(corpus_dir: Path) -> None:
    seen = 0
    for part in _parts(corpus_dir):
        if part.get_content_type() != "text/html":
            continue
        seen += 1
        html = text_decoding.part_text(part, 1 << 20)
        assert html_to_text(html) == _html_to_text_per_line(html)
    assert seen > 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\r\n\x0b\x0c\x1c\x85\u2028\xa0ab<>/pbr&;", max_size=60))
def test_html_to_text_on_generated_text(html: str) -> None:
    assert html_to_text(html) == _html_to_text_per_line(html)


def test_codec_for_remembers_what_it_looked_up(corpus_dir: Path) -> None:
    labels = {part.get_content_charset() or "" for part in _parts(corpus_dir)}
    labels |= {"UTF-8", ' "ISO-2022-JP" ', "utf-8*en", "unknown-8bit", "x-no-such", "a\x00b"}
    for label in sorted(labels):
        expected = text_decoding._lookup_codec(label) if label else "utf-8"
        assert text_decoding.codec_for(label) == expected, label
        assert text_decoding.codec_for(label) == expected, label  # from memory
        assert codecs.lookup(expected).name == expected


def test_codec_for_remembers_a_bounded_number_of_labels() -> None:
    for i in range(2 * text_decoding._MAX_REMEMBERED_LABELS):
        assert text_decoding.codec_for(f"x-made-up-{i}") == "utf-8"
    assert len(text_decoding._CODEC_OF_LABEL) <= text_decoding._MAX_REMEMBERED_LABELS


def _texts(corpus_dir: Path) -> list[str]:
    texts: list[str] = []
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    for path in paths:
        data = path.read_bytes()
        view = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS)
        texts.append(view.body_text)
        texts += [r.diagnostic for r in parse_bytes(data).recipients]
    return texts


_FOLDS = st.text(alphabet="aeiks \n:-\u0130\u0131\u017f\u212aKIS\u00e9\u00a0", max_size=12)


def test_text_report_test_on_every_text(corpus_dir: Path) -> None:
    texts = _texts(corpus_dir)
    assert len(texts) > 400  # no corpus text is a plain-text report: see the generated ones
    for text in texts:
        assert has_text_report(text) == bool(re.search(_TEXT_REPORT, text[:4000]))


@settings(max_examples=300, deadline=None)
@given(before=_FOLDS, after=_FOLDS, upper=st.booleans(), kelvin=st.booleans())
def test_text_report_test_on_generated_text(
    before: str, after: str, upper: bool, kelvin: bool
) -> None:
    fields = "Feedback-Type: abuse\nUser-Agent: x\n"
    fields = fields.upper() if upper else fields
    fields = fields.replace("k", "\u212a") if kelvin else fields
    for text in (before + fields + after, "x" * 3990 + fields, before + after):
        assert has_text_report(text) == bool(re.search(_TEXT_REPORT, text[:4000]))


def test_new_address_words_on_every_text(corpus_dir: Path) -> None:
    texts = _texts(corpus_dir)
    assert len(texts) > 400  # none names a new address: see the generated ones
    for text in texts:
        if re.search(_MOVED_TO, text):
            assert may_name_new_address(text), text


@settings(max_examples=300, deadline=None)
@given(
    before=_FOLDS,
    phrase=st.sampled_from(
        [
            "please try",
            "has moved to",
            "moved to",
            "new address is",
            "new e-mail address is",
            "new email address is",
            "address has changed to",
            "is now at",
            "forward to",
            "forwarded to",
            "changed his address to",
            "changed her address to",
            "changed their address to",
        ]
    ),
    upper=st.booleans(),
    after=st.sampled_from(
        [" <a@example.org>", ": b@example.com.", " c@x.y)", " d@", " \u00e9@x.y", " e.org"]
    ),
    twin=st.sampled_from(["", "\u017f", "\u0131", "\u212a", "\u0130", "\u00e9"]),
)
def test_new_address_words_on_generated_text(
    before: str, phrase: str, upper: bool, after: str, twin: str
) -> None:
    text = before + (phrase.upper() if upper else phrase) + after
    # A non-ASCII letter in the phrase: a twin of an ASCII one matches as it.
    for variant in (text, text.replace("s", twin, 1), text.replace("i", twin, 1)):
        if re.search(_MOVED_TO, variant):
            assert may_name_new_address(variant), variant


def test_text_as_is_equals_decoded_text_on_every_part(corpus_dir: Path) -> None:
    as_is = 0
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    for path in paths:
        message = parse_fast(path.read_bytes())
        if message is None:
            continue
        for part in message.walk():
            if part.is_multipart():
                continue
            as_is += text_decoding._text_as_is(part) is not None  # type: ignore[arg-type]
            for limit in (5, 1 << 18):
                expected = text_decoding.decoded_part_text(part, limit)
                assert text_decoding.part_text(part, limit) == expected, path.name
    assert as_is > 300


@settings(max_examples=300, deadline=None)
@given(
    charset=st.sampled_from(
        [
            "",
            "; charset=utf-8",
            "; charset=UTF-7",
            "; charset=iso-2022-jp",
            "; charset=latin1",
            "; charset=cp037",
            "; charset=x-unknown",
        ]
    ),
    cte=st.sampled_from(["", "7bit", "8bit", "Base64", "quoted-printable", "x-uue"]),
    body=st.text(alphabet="ab+-=\r\n\x1b$B\udce9 ", max_size=30),
)
def test_text_as_is_on_generated_parts(charset: str, cte: str, body: str) -> None:
    head = f"Content-Type: text/plain{charset}\n"
    head += f"Content-Transfer-Encoding: {cte}\n" if cte else ""
    raw = (head + "\n" + body).encode("utf-8", "surrogateescape")
    message = parse_fast(raw)
    if message is None:
        return
    expected = text_decoding.decoded_part_text(message, 1 << 18)
    assert text_decoding.part_text(message, 1 << 18) == expected


def test_inline_fields_words_on_every_text(corpus_dir: Path) -> None:
    texts = _texts(corpus_dir)
    found = 0
    for text in texts:
        if _INLINE_FIELDS.search(text):
            found += 1
            assert may_hold_inline_fields(text), text[:200]
    assert found >= 5


@settings(max_examples=300, deadline=None)
@given(
    before=st.sampled_from(["", "x\n", "> ", ">> \t", "text\n> > ", "\u00e9\n", "\u00e9 "]),
    name=st.sampled_from(["Reporting-MTA", "Final-Recipient", "Original-Recipient"]),
    swap=st.sampled_from(["", "i", "I", "\u0130", "\u0131"]),
    upper=st.booleans(),
    after=st.sampled_from([": dns; x", " : rfc822; a@example.com", ":"]),
)
def test_inline_fields_words_on_generated_text(
    before: str, name: str, swap: str, upper: bool, after: str
) -> None:
    name = name.upper() if upper else name
    name = name.replace("i", swap, 1) if swap else name
    text = before + name + after
    if _INLINE_FIELDS.search(text):
        assert may_hold_inline_fields(text), text


def test_original_fields_answer_as_message_get(corpus_dir: Path) -> None:
    """The returned original's fields, read once, give what `Message.get` and a
    walk over `raw_items` gave the complaint test and the kept headers."""
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    with_original = 0
    for path in paths:
        data = path.read_bytes()
        view = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS)
        original = view.original
        if original is None:
            assert view.original_fields == {}
            continue
        with_original += 1
        first: dict[str, str] = {}
        for name, value in original.raw_items():
            first.setdefault(name.lower(), value)
        assert view.original_fields == first, path.name
        assert list(view.original_fields) == list(first), path.name
        for name in ("x-hmxmroriginalrecipient", "to", "message-id", "subject"):
            assert bool(view.original_fields.get(name)) == bool(original.get(name)), path.name
    assert with_original > 150


def test_view_properties_are_computed_once() -> None:
    view = MessageView(parse_fast(b"Subject: s\n\nbody\n") or Message(), DEFAULT_LIMITS)
    assert view.body_text is view.body_text
    assert view.headers is view.headers
    assert "body_text" in vars(view)  # stored on the instance: no second computation
    assert isinstance(MessageView.body_text, cached_once)
