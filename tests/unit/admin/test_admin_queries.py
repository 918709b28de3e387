"""The read models over a real, migrated SQLite store, rows written through the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.admin import queries
from bounce_sink.admin.queries import DsnFilter
from bounce_sink.store.models import Incident, Interaction, Message

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _message(n: int, state: str = "parsed", raw: bytes | None = b"raw") -> Message:
    return Message(
        received_at=NOW - timedelta(minutes=100 - n),
        sha256=f"{n:064x}",
        size=len(raw or b""),
        raw=raw,
        source="smtp",
        state=state,
        kind="dsn" if state == "parsed" else "unknown",
    )


def _interaction(
    message: Message, address: str, reason: str, severity: str, code: str | None, days_ago: int = 0
) -> Interaction:
    return Interaction(
        message_id=message.id,
        dedupe_key=f"{message.id}-{address}",
        kind="bounce",
        address=address,
        action="failed",
        status="5.1.1" if severity == "hard" else "4.2.2",
        diagnostic=f"diagnostic for {address}",
        reason=reason,
        side="recipient",
        severity=severity,
        code=code,
        rule=f"test.{reason}",
        occurred_at=NOW - timedelta(days=days_ago),
        created_at=NOW,
    )


async def _fill(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessionmaker() as session:
        two = _message(1)
        percent = _message(2)
        broken = _message(3, state="unparsed", raw=None)
        session.add_all([two, percent, broken])
        await session.flush()
        session.add_all(
            [
                _interaction(two, "a@example.com", "user_unknown", "hard", "bounce_hb"),
                _interaction(two, "b@example.com", "mailbox_full", "soft", "bounce_fm", days_ago=1),
                _interaction(percent, "100%_sure@example.org", "mailbox_full", "soft", "bounce_fm"),
            ]
        )
        old = _interaction(
            percent, "old@example.org", "filtered", "soft", "bounce_tr", days_ago=400
        )
        superseded = _interaction(broken, "gone@example.org", "undefined", "soft", "bounce_tr")
        superseded.superseded_by = 1
        session.add_all(
            [
                old,
                superseded,
                Incident(
                    domain="example.net",
                    reason="blocked",
                    opened_at=NOW,
                    last_seen_at=NOW,
                    count=30,
                ),
                Incident(
                    domain="example.org",
                    reason="spam_detected",
                    opened_at=NOW - timedelta(days=3),
                    last_seen_at=NOW - timedelta(days=2),
                    closed_at=NOW - timedelta(days=1),
                    count=21,
                ),
            ]
        )
        await session.commit()
        return {"two": two.id, "percent": percent.id, "broken": broken.id}


async def test_filters_match_one_recipient_on_all_terms(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    ids = await _fill(sessionmaker)
    async with sessionmaker() as session:

        async def found(**terms: Any) -> list[int]:
            return [row.id for row in (await queries.list_dsns(session, DsnFilter(**terms))).rows]

        assert await found() == [ids["broken"], ids["percent"], ids["two"]]  # newest first
        assert await found(severity="hard", address="a@") == [ids["two"]]
        # b@ bounced soft and a@ hard in the same DSN: no single recipient is both.
        assert await found(severity="hard", address="b@") == []
        # LIKE wildcards in the search are literal text.
        assert await found(address="100%_") == [ids["percent"]]
        assert await found(address="%") == [ids["percent"]]
        assert await found(address="_") == [ids["percent"]]
        assert await found(state="unparsed") == [ids["broken"]]
        page = await queries.list_dsns(session, DsnFilter(per_page=2, page=2))
        assert page.total == 3 and page.pages == 2 and page.has_prev and not page.has_next
        assert [r.id for r in page.rows] == [ids["two"]]


async def test_filters_use_the_current_reading_of_a_reclassified_recipient(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        message = _message(4)
        session.add(message)
        await session.flush()
        current = _interaction(message, "re@example.com", "mailbox_full", "soft", "bounce_fm")
        session.add(current)
        await session.flush()
        first = _interaction(message, "re@example.com", "user_unknown", "hard", "bounce_hb")
        first.dedupe_key += "-first"
        first.superseded_by = current.id
        session.add(first)
        await session.commit()
    async with sessionmaker() as session:

        async def found(**terms: Any) -> list[int]:
            return [row.id for row in (await queries.list_dsns(session, DsnFilter(**terms))).rows]

        assert await found(severity="hard") == []
        assert await found(code="bounce_hb") == []
        assert await found(severity="soft", address="re@") == [message.id]
        assert await found(reason="mailbox_full") == [message.id]


async def test_detail_and_raw(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    ids = await _fill(sessionmaker)
    async with sessionmaker() as session:
        detail = await queries.get_dsn(session, ids["two"])
        assert detail is not None and detail.raw_available
        assert [r.address for r in detail.recipients] == ["a@example.com", "b@example.com"]
        purged = await queries.get_dsn(session, ids["broken"])
        assert purged is not None and not purged.raw_available
        assert await queries.get_raw(session, ids["broken"]) is None
        assert await queries.get_raw(session, ids["two"], limit=2) == b"ra"
        assert await queries.get_dsn(session, 424242) is None


async def test_stats_and_metric_counts(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await _fill(sessionmaker)
    async with sessionmaker() as session:
        stats = await queries.stats(session, days=30, now=NOW + timedelta(hours=1))
        assert stats.messages_by_state["parsed"] == 2
        assert stats.messages_by_state["unparsed"] == 1
        assert stats.messages_by_state["quarantined"] == 0
        # the 400-day-old one is outside the window, the superseded one never counts
        assert stats.by_reason == {"mailbox_full": 2, "user_unknown": 1}
        assert stats.by_code == {"bounce_fm": 2, "bounce_hb": 1}
        assert [(d.day, d.total, d.hard, d.soft) for d in stats.by_day] == [
            ("2026-11-26", 2, 1, 1),
            ("2026-11-25", 1, 0, 1),
        ]
        counts = await queries.interactions_by_reason_code(session)
        assert ("filtered", "soft", "bounce_tr", 1) in counts
        assert all(reason != "undefined" for reason, *_ in counts)
        assert await queries.count_open_incidents(session) == 1
        incidents = await queries.list_incidents(session)
        assert [(i.domain, i.open) for i in incidents] == [
            ("example.net", True),
            ("example.org", False),
        ]


async def test_contact_page_finds_an_address_as_contacts_show_does(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    from bounce_sink.policy.contact_summary import contact_summary
    from bounce_sink.policy.contacts import create_contact

    async with sessionmaker() as session:
        await create_contact(session, "Jörg@Bücher.example", now=NOW)
        await create_contact(session, "twin@example.com", now=NOW)
        await create_contact(session, "TWIN@example.com", now=NOW)
        await session.commit()
    async with sessionmaker() as session:
        for asked in (
            "Jörg@bücher.example",
            "rfc822; <Jörg@BÜCHER.example>",
            "jörg@xn--bcher-kva.example",
        ):
            page = await queries.get_contact(session, asked)
            cli = await contact_summary(session, asked)
            assert page is not None and page.address == "Jörg@xn--bcher-kva.example", asked
            assert cli is not None and cli["address"] == page.address, asked
        # Two contacts that differ only in case: the exact spelling, or none.
        exact = await queries.get_contact(session, "TWIN@example.com")
        assert exact is not None and exact.address == "TWIN@example.com"
        assert await queries.get_contact(session, "Twin@example.com") is None
        assert await contact_summary(session, "Twin@example.com") is None
