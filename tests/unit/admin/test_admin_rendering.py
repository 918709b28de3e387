"""Escaping, formats and JSON of the admin's output."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bounce_sink.admin.metrics import render_store_metrics
from bounce_sink.admin.rendering import (
    address_path,
    format_size,
    format_time,
    make_environment,
    query_string,
    to_jsonable,
)


def test_every_template_escapes_by_default() -> None:
    env = make_environment()
    hostile = '<script>alert("x")</script> & <img src=x onerror=1>'
    assert env.from_string("{{ v }}").render(v=hostile) == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=1&gt;"
    )
    rendered = env.get_template("error.html").render(
        title="t", message=hostile, request_path="/", actor="admin:local"
    )
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_times_are_shown_in_utc() -> None:
    naive = datetime(2026, 11, 25, 9, 59, 58)
    assert format_time(naive) == "2026-11-25 09:59:58 UTC"
    cet = datetime(2026, 11, 25, 10, 59, 58, tzinfo=timezone(timedelta(hours=1)))
    assert format_time(cet) == "2026-11-25 09:59:58 UTC"
    assert format_time(None) == "—"


def test_sizes_and_links() -> None:
    assert format_size(512) == "512 B"
    assert format_size(1536) == "1.5 KiB"
    assert format_size(50 * 1024 * 1024) == "50.0 MiB"
    assert address_path("bounces+x/y@example.com") == "bounces+x%2Fy@example.com"
    assert (
        query_string({"state": "", "reason": "mailbox_full"}, page=2)
        == "reason=mailbox_full&page=2"
    )


def test_json_of_read_models() -> None:
    @dataclass(frozen=True)
    class Row:
        at: datetime
        names: list[str]
        raw: bytes

    at = datetime(2026, 11, 25, tzinfo=UTC)
    assert to_jsonable({"row": Row(at, ["a"], b"\xffok")}) == {
        "row": {"at": "2026-11-25T00:00:00+00:00", "names": ["a"], "raw": "\ufffdok"}
    }


def test_metric_labels_are_escaped() -> None:
    text = render_store_metrics({"parsed": 3}, [('odd"reason\n', "soft", "", 2)], open_incidents=1)
    assert 'bounce_sink_messages{state="parsed"} 3' in text
    assert 'bounce_sink_interactions{reason="odd\\"reason\\n",severity="soft",code=""} 2' in text
    assert text.endswith("bounce_sink_open_incidents 1\n")


def test_json_times_carry_their_utc_offset() -> None:
    # SQLite hands datetimes back naive; the store only ever writes UTC.
    assert to_jsonable(datetime(2026, 11, 25, 9, 59, 58)) == "2026-11-25T09:59:58+00:00"


def test_quarantined_message_says_why_and_that_it_changed_nothing() -> None:
    from bounce_sink.admin.queries import DsnDetail

    dsn = DsnDetail(
        id=7,
        received_at=datetime(2026, 11, 25, tzinfo=UTC),
        processed_at=None,
        source="smtp",
        peer="192.0.2.1",
        helo="",
        mail_from="",
        rcpt_tos=["bounces+zz@localhost"],
        size=10,
        sha256="0" * 64,
        raw_truncated=False,
        raw_available=False,
        state="quarantined",
        error="",
        quarantine_reason="VERP tag <expired>",
        kind="dsn",
        format="rfc3464",
        subject="",
        from_header="",
        reporting_mta="",
        original_message_id="",
        envelope_id="",
        verp_tag="zz",
        recipients=[],
    )
    html = (
        make_environment()
        .get_template("dsn_detail.html")
        .render(
            title="Message 7",
            dsn=dsn,
            raw_text=None,
            raw_cut=False,
            raw_display_limit=1,
            request_path="/dsn/7",
            actor="admin:local",
        )
    )
    assert "<strong>Quarantined.</strong> VERP tag &lt;expired&gt; It changed no contact." in html
    assert "purged by retention" in html
    assert "<code><></code>" not in html and "<code>&lt;&gt;</code>" in html
