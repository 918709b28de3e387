"""RFC 3464 delivery status notifications and RFC 6533 global ones.

The machine-readable part is a block of per-message fields followed by one
block per recipient. Real MTAs bend that: blocks without the blank line
between them, fields folded mid-word, status missing while the diagnostic
holds it, the diagnostic in the human-readable part only. This reader
follows the fields where they exist and fills gaps from the text the MTA
wrote for people, for that recipient.
"""

from __future__ import annotations

import binascii
import re
from typing import TYPE_CHECKING

from bounce_sink.parse.addresses import clean_address
from bounce_sink.parse.fast_mime import ReadMessage, field_value
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.powermta_category import FIELD as POWERMTA_FIELD
from bounce_sink.parse.powermta_category import apply_category
from bounce_sink.parse.prose import explanation_for, transcript_text
from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.sendmail_transcript import entry_for, transcript_entries
from bounce_sink.parse.smtp_codes import (
    clean_diagnostic,
    combine,
    find_answered_reply_code,
    find_reply_code,
    find_smtp_command,
    find_status,
    strip_type_prefix,
)
from bounce_sink.parse.text_decoding import (
    decode_bytes,
    decode_header_value,
    part_text,
    payload_of,
)

if TYPE_CHECKING:
    from email.message import Message  # typing only: parts are the quick reader's

# Sendmail's "(reason: )" with nothing in it says nothing.
_EMPTY_REASON = re.compile(r"\(reason:\s*\)", re.IGNORECASE)
_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:\s?(.*)$")
# A diagnostic with no run of three letters says nothing (a bare exit code),
# unless it is a server's reply with its enhanced code ("250 2.1.5 Ok").
_WORDISH = re.compile(r"[A-Za-z]{3}|^[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b")
_WORDS = re.compile(r"[A-Za-z]{2,}")


class DeliveryStatus:
    """The fields of one delivery-status part, grouped as the RFC intends.

    (A plain class: the parse path does not import `dataclasses`; see report.py.)
    """

    def __init__(
        self,
        per_message: dict[str, str] | None = None,
        per_recipient: list[dict[str, str]] | None = None,
    ) -> None:
        self.per_message: dict[str, str] = {} if per_message is None else per_message
        self.per_recipient: list[dict[str, str]] = [] if per_recipient is None else per_recipient


def _fields_text(part: Message, limit: int) -> str:
    """The delivery-status body as text, however the stdlib parser stored it."""
    payload = payload_of(part)
    if isinstance(payload, str):
        return part_text(part, limit)
    chunks: list[str] = []
    if isinstance(payload, list):
        for block in payload:
            chunks.append("\n".join(f"{k}: {decode_header_value(v)}" for k, v in block.raw_items()))
            if isinstance(payload_of(block), str):
                # message/global-delivery-status is read as a message: its first
                # block became headers and the recipient blocks its body (UTF-8
                # by RFC 6533, so read its bytes, not compat32's ASCII view).
                rest = part_text(block, limit)
                if rest.strip():
                    chunks.append(rest)
            chunks.append("")
    text = "\n".join(chunks)[:limit]
    cte = (field_value(part, "content-transfer-encoding") or "").strip().lower()
    if cte in ("base64", "quoted-printable"):
        # The stdlib splits the encoded text into blocks before decoding it;
        # put it back together and decode it here, with binascii's decoders
        # as text_decoding does (what b64decode and quopri.decodestring call).
        encoded = "".join(text.split()) if cte == "base64" else text
        try:
            data = (
                binascii.a2b_base64(encoded + "=" * (-len(encoded) % 4))
                if cte == "base64"
                else binascii.a2b_qp(encoded.encode("ascii", "replace"))
            )
        except (binascii.Error, ValueError):
            return text
        return decode_bytes(data)[:limit]
    return text


_PER_MESSAGE = frozenset(
    {
        "reporting-mta",
        "dsn-gateway",
        "received-from-mta",
        "arrival-date",
        "original-envelope-id",
        "x-postfix-queue-id",
        "x-postfix-sender",
        "x-original-message-id",
        "x-sender",
    }
)
_RECIPIENT_KEYS = frozenset({"final-recipient", "original-recipient", "x-actual-recipient"})


def _blocks(text: str) -> list[list[tuple[str, str]]]:
    """Field blocks separated by blank lines, continuation lines unfolded."""
    blocks: list[list[tuple[str, str]]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        current = blocks[-1]
        if line[:1] in (" ", "\t") and current:
            key, value = current[-1]
            current[-1] = (key, (value + " " + line.strip()).strip())
            continue
        m = _FIELD.match(line)
        if m:
            current.append((m.group(1).lower(), m.group(2).strip()))
        elif current and current[-1][0] == "diagnostic-code":
            # A multi-line reply copied in with its line breaks, unfolded
            # (nullmailer): its later lines ("550-5.1.1 ...") are the reply too.
            key, value = current[-1]
            current[-1] = (key, value + " " + line.strip())
    return [b for b in blocks if b]


def read_fields(text: str) -> DeliveryStatus:
    """Group `Name: value` lines into per-message and per-recipient fields.

    Blank lines separate blocks. A block with a recipient field is about a
    recipient, whatever order its fields come in (some MTAs put
    Final-Recipient last); a block that repeats a recipient field holds
    several recipients without the blank line between them.
    """
    return _grouped(_blocks(text))


def _grouped(blocks: list[list[tuple[str, str]]]) -> DeliveryStatus:
    """The field blocks sorted into per-message and per-recipient fields (see `read_fields`)."""
    ds = DeliveryStatus()
    for block in blocks:
        groups: list[dict[str, str]] = [{}]
        for key, value in block:
            if key in _PER_MESSAGE:
                ds.per_message.setdefault(key, value)
                continue
            group = groups[-1]
            if key in _RECIPIENT_KEYS and key in group:
                group = {}
                groups.append(group)
            group.setdefault(key, value)
        for group in groups:
            if not group:
                continue
            if not _RECIPIENT_KEYS.isdisjoint(group):
                ds.per_recipient.append(group)
            elif ds.per_recipient:
                for k, v in group.items():
                    ds.per_recipient[-1].setdefault(k, v)
            else:
                for k, v in group.items():
                    ds.per_message.setdefault(k, v)
    return ds


def _command_for(
    diagnostic: str, addresses: list[str], view: MessageView, *, explained: bool = False
) -> str:
    """The refused SMTP command: from the diagnostic, else the prose about this recipient.

    Sendmail's session transcript is not used: with pipelining it shows the
    RCPT refusals under ">>> DATA", which would name the wrong command.
    `explained` says that `explanation_for(view.body_text, addresses, ...)`
    was read already and is the diagnostic, or empty: the prose would give
    that same paragraph again, already searched (or nothing).
    """
    found = find_smtp_command(diagnostic)
    if found or explained:
        return found
    text, lower = view.body_text, view.body_text_lower
    if not prose_may_name_command(text, lower, addresses):
        return ""  # (2 in 5 reports: no paragraph to read, or no lead in it)
    return find_smtp_command(explanation_for(text, addresses, lower))


def named_addresses(address: str, original: str) -> list[str]:
    """The addresses the prose may name a recipient by: the address, and the
    original recipient when it is another one.

    Half the reports repeat the final recipient as the original one; every
    reader of the prose (the transcript's entry, the explanation, the lead
    test) looks for the addresses case-insensitively and one after the
    other, so a second copy only repeats the first one's search.
    tests/unit/parse/test_parse_rfc3464_named.py holds both ways equal.
    """
    if not original or original.lower() == address.lower():
        return [address]
    return [address, original]


# A word of each of smtp_codes._SMTP_COMMAND_LEADS without a blank in it
# ("reply" of "in reply to"): the prose's lines joined with single spaces
# hold a lead only where the text holds its word.
_LEAD_WORDS = ("after", "during", "reply", "talking", "like", "following")


def prose_may_name_command(text: str, lower: str, addresses: list[str]) -> bool:
    """False when `find_smtp_command(explanation_for(text, addresses, lower))` is "".

    The explanation (~7 us: the returned original's marker searched for,
    the paragraph cut out and unfolded) is text from the line of a mention
    of an address to the end of that paragraph (the next blank line, which
    the text's cut before the original can only bring nearer), its lines
    joined by single spaces: where no address is mentioned it is "", and in
    an ASCII text (where `lower` keeps every position and a case-insensitive
    lead is its lower case) a lead in it means one of `_LEAD_WORDS` in
    `lower` within a mention's paragraph (most leads a text holds are in
    the returned original or another recipient's paragraph).
    tests/unit/parse/test_parse_command_prose.py holds both ways equal.
    """
    if not text.isascii():
        return True
    for address in addresses:
        if not address:
            continue
        folded = address.lower()
        at = lower.find(folded)
        while at >= 0:
            line_start = lower.rfind("\n", 0, at) + 1
            end = lower.find("\n\n", at)
            if end < 0:
                end = len(lower)
            # `in` on the paragraph's copy: a find bounded to it parses its
            # arguments the slow way (~2x the cost of the test, six a mention).
            paragraph = lower[line_start:end]
            for word in _LEAD_WORDS:
                if word in paragraph:
                    return True
            # The next mention after this paragraph (one inside it is in it too).
            at = lower.find(folded, max(end, at + 1))
    return False


def parse_delivery_status(part: Message, view: MessageView) -> DeliveryStatus:
    limit = view.limits.max_text_chars
    blocks = _field_blocks(part, limit)
    if blocks is None:
        blocks = _blocks(_fields_text(part, limit))
    return _grouped(blocks)


# Field names seen to be names the field reader takes (`_is_field_name`), with
# their lower case: the same few dozen names come in every report.
_FIELD_KEYS: dict[str, str] = {}


def _is_field_name(name: str) -> bool:
    """Whether `[A-Za-z][A-Za-z0-9-]*` matches all of the name (what `_FIELD` reads
    as one), without compiling a pattern for it: in ASCII, `isalpha` and
    `isalnum` are those classes. tests/unit/parse/test_parse_sb_s9_shortcuts.py
    compares the two."""
    return name.isascii() and name[:1].isalpha() and name.replace("-", "").isalnum()


def _field_blocks(part: Message, limit: int) -> list[list[tuple[str, str]]] | None:
    """`_blocks(_fields_text(part, limit))` read straight from the parsed blocks, or None.

    The parser has already split message/delivery-status into one header
    block per group of fields; writing those back out as text and reading
    the text line by line costs a regex per field. This takes the fields as
    they are when the text route could only give the same: no transfer
    encoding to undo, names the field reader accepts, values on one line,
    no body text in a block, and a total that the text limit does not cut.
    Anything else returns None, and the text route reads the part.
    """
    payload = payload_of(part)
    if not isinstance(payload, list):
        return None
    cte = field_value(part, "content-transfer-encoding")
    if cte is not None and cte.strip().lower() in ("base64", "quoted-printable"):
        return None
    blocks: list[list[tuple[str, str]]] = []
    size = 0
    for block in payload:
        fields: list[tuple[str, str]] = []
        # The quick reader's blocks (nearly all) read in place: their field
        # list (raw_items() iterates a copy of it) and their body text.
        quick = type(block) is ReadMessage
        items = block._headers if quick else block.raw_items()  # type: ignore[attr-defined]
        for name, raw in items:
            if (
                type(raw) is str
                and raw.isascii()
                and "\n" not in raw
                and "\r" not in raw
                and "=?" not in raw
                and "\x1b" not in raw
            ):
                # decode_header_value's own common case, without the call
                # (~12 fields a message): the value stripped, on one line.
                value = stripped = raw.strip()
            else:
                value = decode_header_value(raw)
                if "\n" in value or "\r" in value:
                    return None
                stripped = value.strip()
            key = _FIELD_KEYS.get(name)
            if key is None:
                if not _is_field_name(name):
                    return None
                key = name.lower()
                if len(_FIELD_KEYS) < 1000:
                    _FIELD_KEYS[name] = key
            fields.append((key, stripped))
            size += len(name) + len(value) + 3
        rest = block._payload if quick else payload_of(block)  # type: ignore[attr-defined]
        if isinstance(rest, str) and rest:
            return None
        if fields:
            blocks.append(fields)
        size += 1
    return blocks if size <= limit else None


def recipients_from(ds: DeliveryStatus, view: MessageView) -> list[RecipientStatus]:
    out: list[RecipientStatus] = []
    for block in ds.per_recipient:
        final = clean_address(block.get("final-recipient", ""))
        original = clean_address(block.get("original-recipient", ""))
        address = final or original or clean_address(block.get("x-actual-recipient", ""))
        if "@" not in address and "@" in original:
            # An X.400 gateway names the final recipient by its X.400 address
            # ("x400; /S=user/PRMD=.../"); the Internet address we mailed is
            # the original one, and the one a contact is found by.
            address = original
        if not address or ("@" not in address and not final):
            continue
        diagnostic = clean_diagnostic(strip_type_prefix(block.get("diagnostic-code", "")))
        field_status = find_status(block.get("status", ""))
        named = named_addresses(address, original)
        entry = None
        explained = False
        if not diagnostic or not _WORDISH.search(diagnostic):
            # Empty, or a bare local-delivery exit code ("X-Unix; 71"): the
            # human-readable part says more. Sendmail's transcript block for
            # this address first (it keeps the local mailer's or the remote
            # server's words above the summary), then the prose.
            entry = entry_for(transcript_entries(view.body_text), named)
            extra = entry.diagnostic if entry else ""
            prose: str | None = None  # the prose's explanation, when it was read
            if not extra:
                extra = prose = explanation_for(view.body_text, named, view.body_text_lower)
            if len(_WORDS.findall(_EMPTY_REASON.sub("", extra))) < 2:
                extra = transcript_text(view.body_text) or extra
            diagnostic = extra or diagnostic
            # The prose's command is in what it explained, now the diagnostic
            # (or nowhere, when it explained nothing).
            explained = prose is not None and (not prose or diagnostic == prose)
        status = combine(field_status, diagnostic)
        action = block.get("action", "")
        action = action.strip().lower().split()[0] if action else ""
        action = _ACTION_WORDS.get(action, action)
        reply = find_reply_code(diagnostic) or find_answered_reply_code(diagnostic)
        if not action and not status and not reply:
            # RFC 3464 requires an Action and a Status. A block with neither,
            # and no reply to tell its class (Haraka 3 writes bare
            # Final-Recipient lines for the refused recipients of a message
            # others accepted), is read as the failure the classifier and
            # policy already took it for, with the generic status below.
            action = "failed"
        if not status:
            # RFC 3464 requires a Status; without one, the reply code's class
            # (or the action) is all the report says.
            if reply[:1] in ("4", "5"):
                status = f"{reply[0]}.0.0"
            elif action == "failed":
                status = "5.0.0"
            elif action == "delayed":
                status = "4.0.0"
        remote = strip_type_prefix(block.get("remote-mta", "")).strip()
        if not remote and entry is not None:
            remote = entry.remote_host
        out.append(
            RecipientStatus(
                address=address,
                action=action,
                status=status,
                reply_code=reply,
                diagnostic=diagnostic,
                remote_mta=remote,
                original_recipient=named[1] if len(named) > 1 else "",
                final_recipient=final,
                smtp_command=(entry.command if entry else "")
                or _command_for(diagnostic, named, view, explained=explained),
                last_attempt=block.get("last-attempt-date", ""),
                reason_hint=_pipe_hint(block.get("final-recipient", ""))
                or _exit_status_hint(block.get("diagnostic-code", "")),
            )
        )
        if POWERMTA_FIELD in block:
            apply_category(out[-1], block[POWERMTA_FIELD])
    if len(out) > 1:
        _mark_replies_about_others(out)
    return out


# Not RFC 3464's words for an Action, but written by real MTAs (OpenSMTPD
# once wrote "Action: error" for a permanent failure).
_ACTION_WORDS = {"failure": "failed", "fail": "failed", "error": "failed", "delay": "delayed"}

_BRACKETED = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def _mark_replies_about_others(recipients: list[RecipientStatus]) -> None:
    """A recipient whose diagnostic is a refusal of another listed recipient learns nothing.

    A relay that gives a message up whole at the first refused RCPT
    (nullmailer does) lists every recipient with that one reply:
    "550 5.1.1 <jane@...>: User unknown" under john@... as well.  The reply
    names the address it refused; for the others it says only that the
    message was not delivered, so their hint is ``undefined`` (soft, side
    unknown), which outweighs a hard reading of words about someone else.
    """
    listed = {r.address.lower() for r in recipients}
    for recipient in recipients:
        if "<" not in recipient.diagnostic or recipient.reason_hint:
            continue
        named = {a.lower() for a in _BRACKETED.findall(recipient.diagnostic)}
        own = recipient.address.lower()
        if named and own not in named and not named.isdisjoint(listed - {own}):
            recipient.reason_hint = "undefined"


# What Postfix writes for a delivery command's sysexits(3) exit status
# (its sys_exits.c), under Diagnostic-Code type X-Unix. The two that name an
# address problem (EX_NOUSER "user unknown", EX_NOHOST "host name unknown")
# are left to the text rules.
_EXIT_STATUS_TEXTS = frozenset(
    {
        "command line usage error",
        "data format error",
        "cannot open input",
        "service unavailable",
        "internal software error",
        "system resource problem",
        "critical os file missing",
        "can't create user output file",
        "output write error",
        "input/output error",
        "temporary failure",
        "remote error in protocol",
        "permission denied",
        "local configuration error",
    }
)


def _exit_status_hint(diagnostic_code: str) -> str:
    """An X-Unix diagnostic that is only a program's exit status: the mailer failed.

    ``X-Unix; temporary failure`` is Postfix reporting that the delivery
    command (a pipe, maildrop, procmail) exited with EX_TEMPFAIL; nothing
    in it is about the recipient or the message.
    """
    kind, sep, text = diagnostic_code.partition(";")
    if not sep or kind.strip().lower() != "x-unix":
        return ""
    words = " ".join(text.split()).strip(" .").lower()
    return "mailer_error" if words in _EXIT_STATUS_TEXTS or words.isdigit() else ""


def _pipe_hint(final_recipient: str) -> str:
    """A program as the final recipient ("rfc822;|/usr/bin/prog ..."): its failure is the mailer's.

    Exim and Sendmail name a pipe delivery (a .forward or alias to a
    program) this way; the address found inside is only an argument, and
    whatever went wrong went wrong in the local delivery program.
    """
    value = final_recipient.partition(";")[2] if ";" in final_recipient else final_recipient
    return "mailer_error" if value.strip().startswith("|") else ""
