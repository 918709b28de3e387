"""spam_detected: the receiver's filter judged the message to be spam."""

from bounce_sink.classify.rules.model import Pattern

REASON = "spam_detected"
PATTERNS = (
    Pattern(
        "spam_content",
        r"\b(?:message|mail|e-?mail|content)(?: content)? (?:was |is |has been )?(?:rejected|blocked|classified|identified|detected|marked|considered) (?:as |due to )?(?:being )?(?:likely )?(?:spam|unsolicited|bulk)\b",
    ),
    Pattern(
        "spam_classification",
        r"\bspam (?:classification|detected|content|message|score|filter|rejected)\b|\bdetected (?:as )?spam\b|\blooks like spam\b|\bspam not accepted\b",
    ),
    Pattern(
        "ube",
        r"\bcontent rejected, ube\b|\bube\b|\bunsolicited (?:commercial |bulk )?(?:e-?mail|mail|message)\b",
    ),
    Pattern("message_content_rejected", r"\bmessage content rejected\b"),
    Pattern(
        "likely_spam",
        r"\blikely (?:to be )?(?:spam|unsolicited mail)\b|\bspamassassin\b|\bhigh spam probability\b",
    ),
    Pattern(
        "spam_probability",
        r"\b(?:probability|likelihood) of (?:being )?spam\b|\bspam probability\b",
    ),
    Pattern("flagged_as_spam", r"\b(?:flagged|tagged|scored) as (?:spam|junk)\b"),
)
