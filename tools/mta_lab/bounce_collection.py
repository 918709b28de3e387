"""Waiting for a lab MTA's bounces and writing them as fixtures, written once for every lab.

Every lab ends the same way: the MTA has been given its messages, its
bounces arrive at a capturing server in no fixed order (and with extra ones:
warnings, expiry notices of other cases), and the lab must pick each case's
own bounce, refuse to write anything whose envelope is not a bounce's (null
sender, to the newsletter's Return-Path), and write one file per case.  How a
lab recognises a case's bounce differs by MTA and stays in the lab (its
``bounce_for``, most often pieces of text for ``first_containing``); the
waiting, the checks and the writing are here.

Two ways of waiting exist because the MTAs differ: most send every bounce on
their own once their (shortened) retry times are up, so the lab only waits
for more mail (``wait_for_bounces``); Exim and Sendmail retry deferred mail
only when their queue is run, so the lab runs the queue between looks
(``poll_for_bounces``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from mta_lab.newsletter import RETURN_PATH
from mta_lab.servers import CapturedMessage, MessageCapture


class LabCase(Protocol):
    """What the shared steps need of a lab's case: the fixture file it becomes."""

    @property
    def fixture(self) -> str: ...


class ExpectingCase(LabCase, Protocol):
    """A case that names a text its bounce must contain."""

    @property
    def expect(self) -> str: ...


CaseT = TypeVar("CaseT", bound=LabCase)


def first_containing(
    captured: Sequence[CapturedMessage], pieces: Sequence[str]
) -> CapturedMessage | None:
    """The first captured message holding every piece of text, compared on single spaces.

    MTAs fold long headers and wrap their prose and the quoted reply, so a
    piece is looked for in the message with its whitespace collapsed.
    """
    wanted = [piece.encode() for piece in pieces]
    for message in captured:
        text = b" ".join(message.data.split())
        if all(piece in text for piece in wanted):
            return message
    return None


def check_envelope(message: CapturedMessage) -> None:
    """A bounce has the null sender and goes to the Return-Path; anything else is a lab fault."""
    if message.mail_from != "" or message.rcpt_tos != (RETURN_PATH,):
        raise RuntimeError(f"unexpected envelope {message.mail_from!r} {message.rcpt_tos}")


def check_texts(cases: Iterable[ExpectingCase], bounces: Mapping[str, CapturedMessage]) -> None:
    """Each case's bounce contains its ``expect`` text (compared on single spaces).

    MTAs wrap their prose and the remote reply, so whitespace is collapsed
    first; a bounce that passes the lab's own match but lacks the text is
    never written.
    """
    for case in cases:
        if case.expect.encode() not in b" ".join(bounces[case.fixture].data.split()):
            raise RuntimeError(f"{case.fixture}: the bounce lacks {case.expect!r}")


def wait_for_bounces(
    capture: MessageCapture,
    cases: Sequence[CaseT],
    bounce_for: Callable[[CaseT, Sequence[CapturedMessage]], CapturedMessage | None],
    timeout: float,
    why_missing: Callable[[], str],
) -> dict[str, CapturedMessage]:
    """Each case's bounce (fixture name: message, in case order), waiting until all arrived.

    `bounce_for` gives None while a case's bounce has not arrived.
    Every captured message, used or not, must have a bounce's envelope.  When
    `timeout` runs out the error names the missing cases, followed by
    `why_missing()` (the MTA's log or queue).
    """
    deadline = time.monotonic() + timeout
    captured = capture.wait_for(len(cases), timeout=timeout)
    while True:
        found: dict[str, CapturedMessage] = {}
        missing: list[str] = []
        for case in cases:
            message = bounce_for(case, captured)
            if message is None:
                missing.append(case.fixture)
            else:
                found[case.fixture] = message
        if not missing:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError(f"no bounce for {missing}{why_missing()}")
        captured = capture.wait_for(len(captured) + 1, timeout=left)
    for message in captured:
        check_envelope(message)
    return found


def poll_for_bounces(
    sources: Sequence[tuple[MessageCapture, Sequence[CaseT]]],
    bounce_for: Callable[[CaseT, Sequence[CapturedMessage]], CapturedMessage | None],
    timeout: float,
    run_queue: Callable[[], None],
    why_missing: Callable[[], str],
    look: float = 0.5,
) -> dict[str, CapturedMessage]:
    """Each case's bounce (fixture name: message, in case order), running the queue between looks.

    `sources` pairs each capturing server with the cases whose bounces it
    gets (one MTA may run as several instances).  Each round waits up to
    `look` seconds per source, then half a second, then calls `run_queue`
    so deferred mail is retried (and given up) on the shortened schedule.
    """
    deadline = time.monotonic() + timeout
    total = sum(len(cases) for _, cases in sources)
    found: dict[str, CapturedMessage] = {}
    while time.monotonic() < deadline:
        for capture, cases in sources:
            captured = capture.wait_for(len(cases), timeout=look)
            for case in cases:
                message = bounce_for(case, captured)
                if message is not None:
                    found[case.fixture] = message
        if len(found) == total:
            break
        time.sleep(0.5)
        run_queue()
    every = [case.fixture for _, cases in sources for case in cases]
    missing = [fixture for fixture in every if fixture not in found]
    if missing:
        raise RuntimeError(f"no bounce captured for {missing}{why_missing()}")
    return {fixture: found[fixture] for fixture in every}


def write_fixtures(out_dir: Path, bounces: Mapping[str, CapturedMessage]) -> list[Path]:
    """Write each bounce as delivered to ``out_dir``/fixture name, after checking its envelope."""
    for message in bounces.values():
        check_envelope(message)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fixture, message in bounces.items():
        path = out_dir / fixture
        path.write_bytes(message.as_delivered())
        written.append(path)
    return written
