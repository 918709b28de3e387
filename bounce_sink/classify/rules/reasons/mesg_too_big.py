"""mesg_too_big: the message exceeds the receiver's size limit."""

from bounce_sink.classify.rules.model import Pattern

REASON = "mesg_too_big"
PATTERNS = (
    Pattern(
        "size_limit",
        r"\bmessage (?:size |file )?(?:exceeds|is larger than|too (?:big|large))\b|\b(?:message|mail) (?:is )?too (?:big|large)\b|\bexceeded (?:\S+ )?message size limits?\b|(?<!mailbox )\bsize limit exceeded\b|\bmessage size exceeds\b|\bmax(?:imum)? message size (?:limit )?exceeded\b|\bexceeded maximum inbound message size\b|\btaille limite du message atteinte\b",
    ),
)
