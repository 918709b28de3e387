"""mailbox_full: the recipient's mailbox is over its quota."""

from bounce_sink.classify.rules.model import Pattern

REASON = "mailbox_full"
PATTERNS = (
    Pattern(
        "mailbox_full",
        r"\b(?:mailbox|mail ?box|inbox|mail ?folder|account|user) (?:is )?(?:full|over ?quota|overquota)\b",
    ),
    Pattern(
        "over_quota",
        r"\bover ?quota\b|\bquota (?:exceed(?:ed)?|full|violation)\b|\baccount storage limit\b|\bexceed(?:s|ed|ing)? (?:the |its |his |her |their )?(?:storage |disk |mailbox )?quota\b",
    ),
    Pattern(
        "quota_exceeded",
        r"\b(?:disk|storage|mailbox|mail) quota\b.*\b(?:exceeded|reached|full)\b|"
        r"\breached (?:the |its |his |her |their )?(?:disk |storage |mailbox )?quota\b",
    ),
    Pattern(
        "disk_space_limit",
        r"\bexceeded (?:its|the|his|her|their) (?:disk ?space|storage|mailbox) limit\b|"
        r"\bnot enough (?:storage |disk )?space in (?:the )?(?:user'?s )?mail ?box\b|"
        r"\bnot enough (?:storage|disk) space in\b|\bdoes not have enough (?:storage |disk )?space\b",
    ),
    Pattern("full_mailbox", r"\b(?:a |the )?full mail ?box\b"),
    Pattern(
        "mailbox_exceeded_limit",
        r"\bmailbox (?:has )?exceeded (?:the |its )?(?:size |storage |local )?(?:limit|quota|maximum)\b|"
        r"\bmailbox exceeds allowed size\b",
    ),
    Pattern(
        "insufficient_storage",
        r"\b(?:mailbox|user) has (?:insufficient|not enough|no more) (?:storage|space|disk)\b|\bexceeded storage allocation\b",
    ),
    Pattern(
        "out_of_storage",
        r"\b(?:out of|run out of|ran out of) (?:storage|disk|mailbox) space\b|\bno space left for (?:this|the) (?:user|mailbox)\b",
    ),
    Pattern("shutoff_quota", r"mapiexceptionshutoffquotaexceeded|\bmailbox full\b"),
    Pattern(
        "too_many_messages",
        r"\btoo many (?:messages|mails|e-?mails) (?:in|on) (?:this|the) (?:mailbox|server)\b|"
        r"\bzu ?viele (?:mails|e-mails|nachrichten)\b",
    ),
    Pattern("size_limit_exceeded", r"\bmailbox size limit exceeded\b"),
    Pattern(
        "over_the_quota",
        r"\bover (?:the |their |his |her )?(?:allowed )?(?:storage |mailbox |disk )?(?:quota|storage limit)\b",
    ),
    Pattern(
        "diskspace_quota",
        r"\boverdrawn (?:his|her|their|the) diskspace quota\b|\bdisk ?space quota\b",
    ),
    # Maildrop/vpopmail's quota checks: "maildir delivery failed: userdisk quota".
    Pattern("maildir_quota", r"\b(?:user|domain)disk quota\b|\bmaildir over quota\b"),
    Pattern(
        "storage_used_up",
        r"\bspace has been used up\b|\bwould exceed (?:the )?maximum allowed storage\b|"
        r"\bmail file size exceeds the maximum size allowed for mail delivery\b|"
        r"\bfor exceeding receiving limits\b",
    ),
    Pattern("mailbox_full_french", r"\bbo[iî]te (?:du destinataire|aux lettres) pleine\b"),
)
