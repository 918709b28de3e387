"""policy_violation: refused by a content or sending policy of the receiver."""

from bounce_sink.classify.rules.model import Pattern

REASON = "policy_violation"
PATTERNS = (
    Pattern(
        "policy_reasons",
        r"\b(?:rejected|refused|blocked|not accepted|not allowed) (?:for|due to) (?:local |security )?polic(?:y|ies)(?: reasons)?\b|\bfor policy reasons\b",
    ),
    Pattern(
        "violates_policy",
        r"\bviolat(?:es|ed|ion of) (?:our |the |local )?(?:\S+ )?polic(?:y|ies)\b|\bpolicy violation\b|\bprohibited by (?:the )?polic",
    ),
    # Not Gmail's old "(state 15/17/18)" notices: Gmail's state code says
    # the refusal came at the DATA stage (filtered, `filtered.gmail_data_stage`).
    Pattern("header_error", r"\bheader error\b(?! \(state 1[578]\))"),
    # The receiving organisation's or list's own rules, in their words.
    Pattern(
        "organization_rules",
        r"\bdenied by policy\b|\brejected by (?:the )?organization(?:al)? policy\b|"
        r"\bdue to organizational settings\b|\bheaders? are not accepted\b|\ban illegal attachment\b|"
        r"\brecipient is not accepting mail with\b|\bnon-member to a members-only list\b|"
        r"\bclosed mailing list\b|\bnot subscribed to this group\b|"
        r"\bwe do not accept messages containing images or other attachments\b|"
        r"\bcontent presents a potential\b|\bposts without solving a captcha\b|"
        r"\bmessage given low priority\b",
    ),
)
