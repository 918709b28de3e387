"""filtered: a recipient-side filter or rule refused the message."""

from bounce_sink.classify.rules.model import Pattern

REASON = "filtered"
PATTERNS = (
    Pattern(
        "message_filtered",
        r"\bmessage filtered\b|\bfiltered by\b|\brejected by (?:the )?recipient'?s? (?:filter|rule)\b",
    ),
    Pattern(
        "recipient_refuses",
        r"\b(?:recipient|user) (?:has )?(?:refused|refuses|rejected|declined|does not accept) (?:to receive |to accept |your |mail|messages|this)\b",
    ),
    # The recipient's own settings or rules turned the message away.
    Pattern(
        "recipient_settings",
        r"\bonly accepting mail from specific e-?mail addresses\b|\bis not accepting any mail\b|"
        r"\brejected due to user rules\b|\brefused due to recipient preferences\b|"
        r"\bresolver\.rst\.notauthorized\b|\bthis account is protected by\b|\buser reject\b|"
        r"\brefuse to receive mail\b|\byou have been blocked by the recipient\b|"
        r"\bhas restricted sms e-?mail\b|\bnot found recipient account\b|"
        r"\bnew mail is not currently being accepted for this mailbox\b|"
        # Domino's router refusing delivery to the user (Sisimai: filtered).
        r"\bcannot route mail to user\b",
    ),
    # Gmail's old notices name the stage the remote refused at: states 15,
    # 17 and 18 are after DATA (Sisimai's Gmail table: filtered). Sisimai
    # lets a specific status (x.y.z, neither y nor z 0) decide instead; this
    # pattern sees only one left in the words ("#5.1.1"), not one that came
    # right after the reply code ("550 5.7.1 ..."), which the normalised text
    # drops. An earlier wording (user unknown, mailbox full) still decides.
    Pattern(
        "gmail_data_stage",
        r"^(?!.*\b[45]\.[1-9]\d{0,2}\.[1-9]).*\(state 1[578]\)",
    ),
)
