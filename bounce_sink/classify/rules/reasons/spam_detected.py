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
        r"\bspam (?:classification|detected|contents?|message|score|filter|filtering|rejected|url)\b|\bdetected (?:your message |this message )?(?:as )?spam\b|\blook(?:s|ed) like spam\b|\bspam not accepted\b",
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
    # Filters' own short answers: "550 Probable Spam", "501 Spam Blocked",
    # "550 Spamming not allowed", "scored 8.4 spam points", "Rejected by
    # <filter> (spam)", "5.9.8 Spam", MailMarshal's SpamProfiler, SpamBouncer.
    Pattern(
        "spam_verdict",
        r"\bprobabl[ey] spam\b|\bspam[- ]like\b|\bspam points\b|\bspamming not allowed\b|"
        r"\bspam (?:blocked|block|check|email|e-mail|refused|rejection|not accepted)\b|"
        r"\bdenied due to spam list\b|\bblock(?:ed)? for spam\b|\brejected by \S+ \(spam\)|"
        r"\bspamprofiler\b|\bspambouncer identified spam\b|\bappears to be unsolicited\b|"
        r"(?:\b\d\.\d\.\d|\b\d{3}) spam$",
    ),
    # Content judged by reputation lists and scoring, in the filters' words:
    # URIBL (the links), "failed several antispam checks", "may consider
    # spam", "content filter rejection", "using a mass mailer", dspam,
    # "thinks this email is spam", "appears to be SPAM", "bulk email".
    Pattern(
        "spam_judged",
        r"\buribl\b|\banti-?spam checks?\b|\bmay consider spam\b|\bcontent filter rejection\b|"
        r"\busing a mass mailer\b|\bcontent reject\b|\bdspam\b|"
        r"\bthinks this (?:e-?mail|message) is spam\b|\b(?:appears to be|similar to) spam\b|"
        r"\bbulk e-?mail\b|\bclassification as bulk mail\b",
    ),
    Pattern(
        "spam_refused",
        r"\b(?:mail|message) content denied\b|\brejecting (?:mail|banned) content\b|\bunacceptable content\b|"
        r"\bcontains spam or virus\b|\bseems to be (?:a )?spam\b|\bbulk\.advertising\b|"
        r"\brecurrent pattern detection system\b|\btoo much spam\b|\bwe don'?t accept spam\b|"
        r"\bas spam and has prevented delivery\b|\btemporarily blocked by our filter\b|"
        # A URL or the sender's domain on a URI/domain block list, "no spam
        # please", filters' "rejected for policy reasons" (Sisimai 5.1 files
        # all of them as spam).
        r"\bblacklisted url in message\b|\bsender domain listed at\b|\bno spam please\b|"
        r"\bmessage rejected for policy reasons\b",
    ),
    # amavisd-new's reply, "554 5.7.0 Reject, id=12345-01 - spam" ("spammy").
    Pattern("amavis_spam", r"\bid=\S+ - spam(?:my)?\b"),
)
