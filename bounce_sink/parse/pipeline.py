"""bytes -> Report: the order in which readers get a look at a message.

1. ARF complaints; 2. RFC 3464 / RFC 6533 delivery-status parts;
3. a delivery report attached whole to another notice; 4. the MTA format
registry (a cheap header check, then the deep parse); 5. auto-replies;
6. flufl.bounce's detectors; 7. the recipient the returned original's last
Received line names. Nothing here raises: any
failure becomes a Report with `error` set and kind "unknown".
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from bounce_sink.parse import arf, autoreply, rfc3464
from bounce_sink.parse.addresses import clean_address, find_addresses, is_system_address
from bounce_sink.parse.fast_mime import content_type, parse_fast
from bounce_sink.parse.formats import CANDIDATES, CATCH_ALL, REFINER_CANDIDATES
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.limits import DEFAULT_LIMITS, Limits
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.prose import earliest_name_line, has_case_twin
from bounce_sink.parse.report import RecipientStatus, Report
from bounce_sink.parse.smtp_codes import strip_type_prefix
from bounce_sink.parse.text_decoding import decode_header_value

if TYPE_CHECKING:
    # The quick reader's parts stand in for these: importing email.message (and
    # email.utils: socket, urllib, random, calendar...) cost ~20 ms of every start.
    from email.message import Message

KEPT_ORIGINAL_HEADERS = (
    "message-id",
    "to",
    "from",
    "subject",
    "date",
    "list-id",
    "list-unsubscribe",
    "x-mailing-id",
    "x-campaign-id",
    "x-mailer",
    "return-path",
    "x-job",
    "x-message-id",
)


_KEPT = frozenset(KEPT_ORIGINAL_HEADERS)


def parse_bytes(raw: bytes, limits: Limits = DEFAULT_LIMITS, *, fast_mime: bool = True) -> Report:
    """Read one message. Never raises; bounded by `limits`.

    `fast_mime=False` reads the MIME structure with the stdlib parser only
    (the reference the quick reader is tested against).
    """
    try:
        return _parse(raw, limits, fast_mime)
    except RecursionError:
        return _failed("message nested too deeply")
    except MemoryError:
        return _failed("message too large to parse")
    except Exception as exc:  # the promise is: never raises
        return _failed(f"parse failed: {type(exc).__name__}: {exc}"[:500])


def _failed(error: str) -> Report:
    """An unparsed report, logged: the raw message is kept by the caller and shown as such."""
    import structlog  # only on this path: the parse path imports nothing it does not need

    structlog.get_logger("bounce_sink.parse").warning("parse.failed", error=error)
    return Report(error=error)


def _parse(raw: bytes, limits: Limits, fast_mime: bool) -> Report:
    data = bytes(raw[: limits.max_bytes])
    if is_blank(data):
        return Report(error="empty message")
    quick = parse_fast(data) if fast_mime else None
    if quick is not None:
        message = _repair_boundary(quick, data, quick_reread=True)
    else:
        message = _stdlib_tree(data, quick_reread=fast_mime)
    view = MessageView(message, limits)
    report = Report()
    _fill_envelope(report, view)
    _fill_original(report, view)

    if arf.is_complaint(view):
        report.feedback_type, report.recipients = arf.read_complaint(view)
        report.kind, report.format = "arf", "arf"
        return _finish(report, view)

    ds_recipients = _read_delivery_status(report, view)
    if ds_recipients:
        report.kind, report.format = "dsn", "rfc3464"
        report.recipients = ds_recipients
        _refine_with_formats(report, view)
        return _finish(report, view)

    inline = _read_inline_delivery_status(report, view)
    if inline:
        report.kind, report.format, report.recipients = "dsn", "rfc3464-inline", inline
        return _finish(report, view)

    attached = _read_attached_report(report, view, data)
    if attached is not None:
        return attached

    headers = view.headers
    for fmt in CANDIDATES.candidates(headers):
        if not fmt.matches(headers):
            continue
        if fmt is CATCH_ALL:
            # No header named the format (a Subject dropped or reworded):
            # the MTA's own sentence may, before the text is read as prose.
            # (Imported here: a run whose formats all have their headers never needs it.)
            from bounce_sink.parse.formats.body_markers import read_by_body_marker

            marked = read_by_body_marker(view)
            if marked is not None:
                report.kind, report.format = "dsn", marked[0]
                report.recipients = marked[1]
                return _finish(report, view)
        found = fmt.parse(view)
        if found:
            report.kind, report.format, report.recipients = "dsn", fmt.name, found
            kind_of = getattr(fmt, "report_kind", None)
            if kind_of is not None:
                report.kind, report.feedback_type = kind_of(view)
            return _finish(report, view)

    if autoreply.is_autoreply(view):
        report.kind, report.format = "autoreply", "rfc3834"
        report.recipients = autoreply.replying_recipient(view)
        return _finish(report, view)

    if not _looks_like_bounce(view):
        return _finish(report, view)
    # Imported only here: most runs never get this far (no flufl, no logging).
    from bounce_sink.parse.fallback import guess_recipients

    # flufl.bounce looks everywhere, the returned original's body too: give
    # it the stdlib's whole tree, not the quick reader's.
    from bounce_sink.parse.formats.text_bounce import notice_text

    guessed, guessed_by = guess_recipients(_stdlib_tree(data)), "flufl"
    notice = notice_text(view)
    if not guessed:
        from bounce_sink.parse.last_hop import last_hop_recipient

        guessed, guessed_by = last_hop_recipient(view, notice), "last-hop"
    if guessed:
        for r in guessed:
            r.diagnostic = r.diagnostic or notice
        report.kind, report.format, report.recipients = "dsn", guessed_by, guessed
    return _finish(report, view)


def _read_attached_report(report: Report, view: MessageView, data: bytes) -> Report | None:
    """A delivery report that came back as an attachment of another notice.

    A gateway that scans mail (InterScan and the like) or a person forwarding
    a bounce wraps the whole DSN as message/rfc822 under a text of its own
    (a disclaimer, "see attached"). The attached report is the bounce; the
    message that bounced is the one it returns.
    """
    wrapped = view.original
    if wrapped is None or content_type(wrapped) != "multipart/report":
        return None
    if not isinstance(wrapped.get_payload(), list):
        # The quick reader leaves a returned original's body unread; this
        # rare layout is read again, whole, by the stdlib.
        from email.message import Message as StdlibMessage

        found = next(
            (
                part.get_payload(0)
                for part in _stdlib_tree(data).walk()
                if part.get_content_type() in ("message/rfc822", "message/global")
                and part.is_multipart()
            ),
            None,
        )
        if not isinstance(found, StdlibMessage) or content_type(found) != "multipart/report":
            return None
        wrapped = found
    inner = MessageView(wrapped, view.limits)
    recipients = _read_delivery_status(report, inner)
    if not recipients:
        return None
    report.kind, report.format, report.recipients = "dsn", "rfc3464-attached", recipients
    report.original_headers, report.original_message_id = {}, ""
    _fill_original(report, inner)
    _refine_with_formats(report, inner)
    return _finish(report, view)


def is_blank(data: bytes) -> bool:
    """`not data.strip()`, without copying the message to find that it is not:
    isspace() stops at the first byte that is not ASCII whitespace (the same
    six bytes strip() takes off)."""
    return not data or data.isspace()


def _stdlib_tree(data: bytes, *, quick_reread: bool = False) -> Message:
    """The stdlib's tree, its boundary repaired; `quick_reread` lets the quick
    reader read the repaired bytes (the same tree where it accepts them)."""
    import email  # the stdlib reader's path only
    from email._policybase import compat32

    message = email.message_from_bytes(data, policy=compat32)
    return _repair_boundary(message, data, quick_reread=quick_reread)


# The patterns of rare paths are compiled on first use, through re's cache.
_BOUNDARY_LINE = rb"(?m)^--([^\s]{1,200}?)(?:--)?[ \t]*\r?$"


def _repair_boundary(message: Message, data: bytes, *, quick_reread: bool = False) -> Message:
    """Re-read a multipart whose declared boundary never occurs in its body.

    Hand-edited or relayed bounces sometimes keep a Content-Type whose
    boundary differs from the delimiter lines actually used; the most common
    delimiter line in the body is the real one.
    """
    if (
        not message.defects  # nearly every message: no generator to find that out
        or not any(type(d).__name__ == "StartBoundaryNotFoundDefect" for d in message.defects)
        or message.get_content_maintype() != "multipart"
    ):
        return message
    declared = message.get_param("boundary")
    if not isinstance(declared, str) or not declared:
        return message
    counts: dict[bytes, int] = {}
    for m in re.finditer(_BOUNDARY_LINE, data):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    if not counts:
        return message
    actual = max(counts, key=lambda k: counts[k])
    if actual == declared.encode("utf-8", "surrogateescape") or counts[actual] < 2:
        return message
    head_end = data.find(b"\n\n")
    head_end = len(data) if head_end < 0 else head_end
    head = data[:head_end].replace(declared.encode("utf-8", "surrogateescape"), actual, 1)
    repaired = head + data[head_end:]
    quick = parse_fast(repaired) if quick_reread else None
    if quick is not None:
        return quick
    import email
    from email._policybase import compat32

    return email.message_from_bytes(repaired, policy=compat32)


def _read_delivery_status(report: Report, view: MessageView) -> list[RecipientStatus]:
    out: list[RecipientStatus] = []
    for part in view.delivery_status_parts:
        ds = rfc3464.parse_delivery_status(part, view)
        pm = ds.per_message
        if not report.reporting_mta and pm.get("reporting-mta"):
            report.reporting_mta = strip_type_prefix(pm["reporting-mta"]).strip()
        if not report.received_from_mta and pm.get("received-from-mta"):
            report.received_from_mta = strip_type_prefix(pm["received-from-mta"]).strip()
        if not report.envelope_id and pm.get("original-envelope-id"):
            report.envelope_id = pm["original-envelope-id"].strip()
        if pm.get("arrival-date"):
            report.arrival_date = _date(pm["arrival-date"]) or report.arrival_date
        out.extend(rfc3464.recipients_from(ds, view))
    return out


# Searched only in a text with a case twin of an ASCII letter (none in a
# corpus run; inline_fields_start reads the others): compiled on first use.
_INLINE_FIELDS = LazyPattern(
    r"(?im)^[> \t]*(?:reporting-mta|final-recipient|original-recipient)\s*:"
)


# The quoting in front of a forwarded DSN's lines (a rare path: compiled on
# first use, through re's cache).
_QUOTE_MARKS = r"^(?:> ?)+"
# A word each field name of _INLINE_FIELDS holds ("final-recipient" and
# "original-recipient" both hold "l-recipient": one scan of the text for two).
_INLINE_FIELD_WORDS = ("reporting-mta", "l-recipient")


def may_hold_inline_fields(text: str, lower: str | None = None) -> bool:
    """False when _INLINE_FIELDS cannot match: an ASCII text without its field names.

    Few bounces paste delivery-status fields into their text; two substring
    tests on the lower case are much cheaper than the multi-line search.
    (IGNORECASE also folds dotless i and dotted I: a text with a case twin
    is searched.) tests/unit/parse/test_parse_shortcuts.py holds both ways
    equal. `lower`, when given, is `text.lower()`.
    """
    if not text.isascii() and has_case_twin(text):
        return True
    folded = text.lower() if lower is None else lower
    for word in _INLINE_FIELD_WORDS:  # noqa: SIM110 - a loop; any(genexpr) costs more here
        if word in folded:
            return True
    return False


_INLINE_FIELD_NAMES = ("reporting-mta", "final-recipient", "original-recipient")
_FIELD_INDENT = "> \t"


def inline_fields_start(text: str, lower: str) -> int:
    """Where `_INLINE_FIELDS.search(text)` matches (the start of its line), or -1.

    Of the texts that hold a field name (1 in 5 without delivery-status
    parts), most hold it in a sentence, and the multi-line search tried at
    every line cost ~5 us there. In an ASCII text (`lower` is its lower
    case, position for position, which is what the case-insensitive pattern
    compares) a match is a name whose line holds only ">", blanks and tabs
    before it, followed by whitespace (any, across lines) and ":"; the
    earliest such line is where the search matches. So it is in a non-ASCII
    text without a case twin of an ASCII letter (`has_case_twin`); other
    texts are searched. tests/unit/parse/test_parse_inline_fields.py holds
    both ways equal.
    """
    if not text.isascii() and (has_case_twin(text) or len(lower) != len(text)):
        m = _INLINE_FIELDS.search(text)
        return m.start() if m else -1

    def colon_follows(_: int, end: int) -> bool:
        while end < len(lower) and lower[end].isspace():  # \s is str.isspace
            end += 1
        return lower[end : end + 1] == ":"

    return earliest_name_line(lower, _INLINE_FIELD_NAMES, _FIELD_INDENT, colon_follows)


def _read_inline_delivery_status(report: Report, view: MessageView) -> list[RecipientStatus]:
    """Delivery-status fields pasted into the text (forwarded or MIME-less DSNs)."""
    text = view.body_text
    lower = view.body_text_lower
    start = inline_fields_start(text, lower) if may_hold_inline_fields(text, lower) else -1
    if start < 0:
        return []
    lines = text[start:].splitlines()
    # Only a line that starts with ">" has quoting to take off.
    unquoted = [re.sub(_QUOTE_MARKS, "", ln, count=1) if ln[:1] == ">" else ln for ln in lines]
    ds = rfc3464.read_fields("\n".join(unquoted))
    if not report.reporting_mta and ds.per_message.get("reporting-mta"):
        report.reporting_mta = strip_type_prefix(ds.per_message["reporting-mta"]).strip()
    if ds.per_message.get("arrival-date"):
        report.arrival_date = _date(ds.per_message["arrival-date"]) or report.arrival_date
    return rfc3464.recipients_from(ds, view)


def _refine_with_formats(report: Report, view: MessageView) -> None:
    """A format module may know its MTA's DSN better (e.g. the text in its prose part).

    The formats are chosen by their headers; when a recipient is left with
    no reason named and only a class for a status (x.0.0), the MTA's own
    sentence in the text may name the format instead (a Subject dropped or
    reworded). Only then is the text looked at: a report whose status or a
    header says enough costs nothing more.
    """
    headers = view.headers
    for fmt, refine in REFINER_CANDIDATES.candidates(headers):
        if fmt.matches(headers):
            refine(report, view)
    if any(not r.reason_hint and r.status[1:] == ".0.0" for r in report.recipients):
        from bounce_sink.parse.formats.body_markers import refine_by_body_marker

        refine_by_body_marker(report, view)


_BOUNCE_HINT = (
    r"(?i)undeliver|returned mail|delivery (?:status|failure|notification|has failed)|"
    r"failure notice|mail delivery|could not be delivered|non[- ]?delivery|not delivered|"
    r"failed|bounce|mailer-daemon|postmaster|"
    # Exchange's localised "Undeliverable:" (German, French, Dutch, Spanish).
    r"unzustellbar|non remis|onbestelbaar|no se puede entregar"
)


def _looks_like_bounce(view: MessageView) -> bool:
    head = f"{view.subject} {view.from_}"
    return bool(re.search(_BOUNCE_HINT, head)) or content_type(view.message) == "multipart/report"


def _fill_envelope(report: Report, view: MessageView) -> None:
    report.subject = view.subject
    froms = find_addresses(view.from_)
    report.from_address = froms[0] if froms else ""
    report.to_addresses = find_addresses(view.header("to"))[:50]
    report.message_id = view.header("message-id").strip()
    # arrival_date: an Arrival-Date read later wins; the Date header is read
    # in _finish only when none did (a DSN's Arrival-Date spares the parse).


# Field names of returned originals seen, with whether _fill_original keeps
# them: the same few dozen names come in every original, and a lookup costs
# less than the set test and the `startswith` call for each (~25 a message).
_KEEPS: dict[str, bool] = {}


def _fill_original(report: Report, view: MessageView) -> None:
    if view.original is None:
        return
    kept: dict[str, str] = {}
    for key, value in view.original_fields.items():
        keep = _KEEPS.get(key)
        if keep is None:
            keep = key in _KEPT or key.startswith("x-mailing")
            if len(_KEEPS) < 1000:
                _KEEPS[key] = keep
        if not keep:
            continue
        if (
            type(value) is str
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
            and "=?" not in value
            and "\x1b" not in value
        ):
            # decode_header_value's own common case, without the call.
            kept[key] = value.strip()[:1000]
        else:
            kept[key] = decode_header_value(value)[:1000]
    report.original_headers = kept
    report.original_message_id = kept.get("message-id", "").strip()


def _parsedate_to_datetime(value: str) -> datetime:
    """`email.utils.parsedate_to_datetime`, without importing email.utils (only
    its date reader, email._parseaddr): the dates _common_date does not read."""
    from email._parseaddr import _parsedate_tz  # type: ignore[import-not-found]

    parsed = _parsedate_tz(value)
    if parsed is None:
        raise ValueError(f"Invalid date value or format {value!r}")
    year, month, day, hour, minute, second = parsed[:6]
    zone = parsed[9]
    if zone is None:
        return datetime(year, month, day, hour, minute, second)
    return datetime(
        year, month, day, hour, minute, second, tzinfo=timezone(timedelta(seconds=zone))
    )


def _date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    if ";" in value:
        value = value.rsplit(";", 1)[-1]
    try:
        common = _common_date(value)
        return common if common is not None else _parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# The shape nearly every Date and Arrival-Date has (RFC 5322 3.3), maybe with
# a comment after it: "Mon, 1 Jan 2024 00:00:00 +0900 (JST)".
_COMMON_DATE = re.compile(
    r"\s*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([12]\d\d\d) "
    r"(\d\d):(\d\d):(\d\d) ([+-]\d\d\d\d)(?:\s.*)?",
    re.ASCII | re.DOTALL,
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
# The values of the one- and two-digit fields ("7", "07", "59"; ASCII digits
# only, as _COMMON_DATE matches them): a lookup costs less than int().
_NUMBERS = {f"{n:02d}": n for n in range(100)} | {str(n): n for n in range(10)}
_NO_ZONE = timezone(timedelta(0), "-0000")  # stands for "-0000" in _ZONES: a naive datetime
_ZONES: dict[str, tzinfo] = {}  # zone offsets seen, "+0900" -> its tzinfo


def _common_date(value: str) -> datetime | None:
    """`parsedate_to_datetime(value)` for the common shape (None for any other).

    The stdlib's reading splits and re-checks every token for every shape
    there ever was (~5 us); this one is a match and a constructor. It raises
    where the stdlib's would (ValueError for a day, hour or zone out of
    range), and like it reads "-0000" as a naive datetime (zone unknown).
    tests/unit/parse/test_parse_dates.py compares both on every corpus date
    and on generated ones.
    """
    m = _COMMON_DATE.fullmatch(value)
    if m is None:
        return None
    day, month, year, hour, minute, second, zone = m.groups()
    tz = _ZONES.get(zone)
    if tz is None:
        offset = int(zone)
        if offset == 0 and zone[0] == "-":
            tz = _NO_ZONE
        else:
            sign = -1 if offset < 0 else 1
            seconds = sign * ((abs(offset) // 100) * 3600 + (abs(offset) % 100) * 60)
            tz = timezone(timedelta(seconds=seconds))  # ValueError beyond a day
        if len(_ZONES) < 2000:  # every zone there is, and then some
            _ZONES[zone] = tz
    numbers = _NUMBERS
    if tz is _NO_ZONE:
        return datetime(
            int(year), _MONTHS[month], numbers[day], numbers[hour], numbers[minute], numbers[second]
        )
    return datetime(
        int(year),
        _MONTHS[month],
        numbers[day],
        numbers[hour],
        numbers[minute],
        numbers[second],
        tzinfo=tz,
    )


# Where a server names the address a recipient moved to (RFC 5321's 551
# "User not local; please try <forward-path>", and the usual prose).
# Searched for only where may_name_new_address says so: compiled on first use.
_MOVED_TO = (
    r"(?i)(?:please try|has moved to|moved to|new (?:e-?mail )?address is|address has changed to|"
    r"is now at|forward(?:ed)? to|changed (?:his|her|their) address to)[:\s]*<?([^\s<>@]+@[\w.-]*\w)>?"
    r"(?=[\s.,;)]|$)"
)


# A word each alternative of _MOVED_TO holds, lower-case (ASCII).
# ("address is" and "changed" alone would pass "please check if address is
# correct": the whole phrases keep the search, and its compile, for texts
# that can name a new address.)
_MOVED_TO_WORDS = (
    "please try",
    "moved to",
    "new address is",
    "new email address is",
    "new e-mail address is",
    "changed to",
    "address to",
    "is now at",
    "forward to",
    "forwarded to",
)


def may_name_new_address(diagnostic: str) -> bool:
    """False when _MOVED_TO cannot match: a text without an "@", or without
    any of its words.

    Most diagnostics name no new address; the tests are much cheaper than
    the case-insensitive search (~25 us on a long non-ASCII diagnostic).
    The words are ASCII: the lower case of a text holds one wherever the
    search could match it, unless the text holds one of the non-ASCII
    letters that IGNORECASE folds to an ASCII one (then it is searched).
    tests/unit/parse/test_parse_shortcuts.py holds both ways equal.
    """
    if "@" not in diagnostic:
        return False  # the address it names has one
    if not diagnostic.isascii() and has_case_twin(diagnostic):
        return True
    folded = diagnostic.lower()
    for word in _MOVED_TO_WORDS:  # noqa: SIM110 - a loop; any(genexpr) costs more here
        if word in folded:
            return True
    return False


def _new_address(r: RecipientStatus) -> str:
    if not may_name_new_address(r.diagnostic):
        return ""
    m = re.search(_MOVED_TO, r.diagnostic)
    if not m:
        return ""
    found = clean_address(m.group(1))
    return found if found.lower() != r.address.lower() else ""


def _finish(report: Report, view: MessageView) -> Report:
    if report.arrival_date is None:
        report.arrival_date = _date(view.header("date"))
    limits = view.limits
    seen: set[tuple[str, str]] = set()
    kept: list[RecipientStatus] = []
    # In a DSN of several recipients a system address (postmaster@) is the
    # MTA's own, not one that failed.
    drop_system = report.kind == "dsn" and len(report.recipients) > 1
    for r in report.recipients[: limits.max_recipients]:
        r.address = clean_address(r.address)
        key = (r.address.lower(), r.diagnostic)
        if not r.address or key in seen:
            continue
        if drop_system and is_system_address(r.address):
            continue
        seen.add(key)
        if not r.new_address and r.diagnostic:
            r.new_address = _new_address(r)
        kept.append(r)
    report.recipients = kept
    return report


__all__ = ["parse_bytes"]
