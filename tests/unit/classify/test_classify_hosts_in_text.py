"""`evidence._hosts_in_text` finds what a search of the whole text finds.

It tries one match per run of host characters that holds a top-level
domain; these texts put other characters (word characters a host cannot
hold, ``@``, dots, dashes, URL punctuation) right before and after such
runs, where a wrong bound would change what the look-behind or the final
``\\b`` sees.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.classify import evidence


def _plain(lowered: str) -> list[str]:
    return evidence._HOST_IN_TEXT.findall(lowered)


@pytest.mark.parametrize(
    "text",
    [
        "mx.example.com",
        "550 mx.example.com said no",
        "see https://support.google.com/mail/?p=nosuchuser for more",
        "<user@mail.example.com>: no such user",
        "user_mx.example.com",
        "mx.example.com_x",
        "mx.example.comé",
        "émx.example.com",
        "mx.example.com2",
        "mx.example.com-",
        "-mx.example.com",
        ".mx.example.com",
        "mx.com.example.jp",
        "mx.com.example.jpx",
        "mx.com.example.jpé",
        "a.b.org/c.d.net:e.f.io",
        "x.co x.io x.comx x.com.",
        "(mx.example.net) [mx2.example.org]",
        "mx.example.com.example.org mx..example.com",
        "host-.example.com host-a.example.com a--b.example.de",
        "a" * 70 + ".example.com " + "b" * 62 + ".example.com",
        "mail.example.com:mail.example.org",
        "foo=mx.example.jp;bar=x.example.cn",
    ],
)
def test_edges_of_host_runs(text: str) -> None:
    assert evidence._hosts_in_text(text) == _plain(text)


_PARTS = [
    "mx", "example", "a", "b-c", "-", ".", ".com", ".jp", ".org", ".co", ".uk", "com",
    " ", "@", "_", "é", "/", ":", "<", ">", "(", ")", "[", "=", "1", "0", "x",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), max_size=16))
def test_generated_texts(parts: list[str]) -> None:
    text = "".join(parts)
    assert evidence._hosts_in_text(text) == _plain(text)


def test_bare_host_kept_per_value_answers_as_reading_it() -> None:
    """`_bare_host` is kept per value: a second ask (cached) answers what
    reading the value gives, for corpus-like values and odd ones."""
    values = [
        "dns; mx.example.com",
        "DNS; MX.Example.COM",
        "dns;[192.0.2.1]",
        "smtp; mx.example.org (192.0.2.2)",
        " mx.example.net. ",
        "dns; ",
        "",
        "(mx.example.jp)",
        "x; y; z.example.com extra",
    ]
    for value in values * 2:
        assert evidence._bare_host(value) == evidence._bare_host.__wrapped__(value), value
    assert evidence._bare_host("DNS; MX.Example.COM") == "mx.example.com"
    assert evidence._bare_host("dns;[192.0.2.1]") == "192.0.2.1"
