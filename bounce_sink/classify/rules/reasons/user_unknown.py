"""user_unknown: the receiving host says the mailbox does not exist.

Hard when permanent, so these wordings must name a missing mailbox, never a
refusal: "mailbox unavailable" alone is too vague and is left to providers
that document it.
"""

from bounce_sink.classify.rules.model import Pattern

REASON = "user_unknown"
PATTERNS = (
    # Local delivery agents and directory servers answering for their own
    # mailboxes: the wording is a lookup result by itself.
    # Exchange's wrapper for a remote server's refusal of the recipient.
    Pattern(
        "remote_unknown_recipient",
        r"\bremote server returned unknown recipient\b",
        lookup=True,
    ),
    Pattern(
        "local_unknown_user",
        r"\bmail\.local: unknown user\b|\bunknown local[- ]user\b",
        lookup=True,
    ),
    # Courier's local delivery, "550 User <name> unknown": the local part it
    # looked up, echoed between the words.
    Pattern("user_name_unknown", r"\buser <[^<>\s]+> unknown\b", lookup=True),
    # Sendmail's per-address answer, "<a@b>... User unknown": the address
    # echoed with three dots is how sendmail (and gateways that relay its
    # reply) report the recipient lookup, at RCPT or from its local mailer.
    Pattern(
        "sendmail_address_lookup",
        r"@[\w.-]+>?\.\.\. (?:user unknown|no such user|unknown user)\b",
        lookup=True,
    ),
    Pattern("no_mailbox_by_that_name", r"\bno mailbox here by that name\b", lookup=True),
    Pattern("recipient_name_not_recognized", r"\brecipient name is not recognized\b", lookup=True),
    # Domino and Notes answering from their own directory ("User x (a@b)
    # not listed in Domino Directory"), in the languages Domino writes it;
    # IMail's local delivery ("Invalid final delivery userid").
    Pattern(
        "directory_not_listed",
        r"\bnot listed in (?:the )?(?:domino directory|public name & address book)\b|"
        r"\bno se encuentra en el directorio de domino\b|\bnon répertorié dans l'annuaire domino\b|"
        r"domino ディレクトリには見つかりません|ディレクトリのリストにありません|"
        r"\binvalid final delivery userid\b",
        lookup=True,
    ),
    Pattern(
        "no_such_user",
        r"\bno such (?:user|recipient|mailbox|person|account|local user|address|e-?mail address)\b",
    ),
    Pattern(
        "user_unknown",
        r"(?<!mentioned in )\b(?:user|recipient|mailbox|addressee|local[- ]part|e-?mail address)(?: name)? (?:is )?unknown\b",
    ),
    Pattern(
        "unknown_user",
        r"\bunknown (?:user|recipient|local[- ]?part|mailbox|e-?mail address|address|addressee|account)\b",
    ),
    Pattern(
        "does_not_exist",
        r"\b(?:user|recipient|mailbox|account|address|addressee|e-?mail account|e-?mail address)(?: name| address)? (?:does not|doesn't|doesnt|did not) exist",
    ),
    Pattern(
        "not_found",
        r"\b(?:user|recipient|mailbox|mail-box|account|addressee|e-?mail address)(?: address)? not found\b",
    ),
    Pattern(
        "invalid_recipient",
        r"\binvalid[- ](?:recipient|mailbox|user|e-?mail address|addressee)\b|\bmailbox invalid\b",
    ),
    Pattern(
        "not_a_valid_mailbox", r"\bis not a (?:valid|known) (?:user|mailbox|recipient|address)\b"
    ),
    Pattern(
        "mailbox_does_not_exist", r"\bmailbox (?:is )?(?:not existent|nonexistent|non-existent)\b"
    ),
    Pattern("bad_destination_mailbox", r"\bbad destination mailbox address\b"),
    Pattern("no_account_here", r"\bthis user doesn'?t have an? \S+ account\b"),
    Pattern(
        "account_not_exist",
        r"\bthe (?:e-?mail )?account (?:that )?you tried to reach does not exist\b",
    ),
    Pattern("not_a_valid_recipient", r"\bnot a valid (?:recipient|user|mailbox)\b"),
    Pattern(
        "address_couldnt_be_found",
        r"\be-?mail address (?:you entered )?could(?:n't| not) be found\b|"
        # Gmail's "Address not found": "... because the address couldn't be found."
        r"\bbecause the address could(?:n'?t| not) be found\b",
    ),
    Pattern("unknown_or_illegal_alias", r"\bunknown or illegal alias\b"),
    # The address echoed between the words: "User [a@b] does not exist",
    # "Rcpt <a@b> does not exist".
    Pattern(
        "echoed_address_does_not_exist",
        r"\b(?:user|rcpt|recipient|mailbox|address)\s*[<\[][^<>\[\]\s]+[>\]]\s*(?:does not|doesn't) exist\b|"
        r"\buser \([^()\s]+\) unknown\b",
    ),
    Pattern("no_mailbox_available", r"\bno mail ?box available\b|\bno mailbox found\b"),
    Pattern("bad_recipient", r"\bbad[-_ ]recipient\b"),
    Pattern("not_an_active_address", r"\bis not an active (?:address|account|user|mailbox)\b"),
    Pattern("no_account_by_that_name", r"\bno (?:account|user|mailbox) by that name\b"),
    Pattern(
        "address_unknown",
        r"(?<!ip )(?<!host )(?<!mentioned in email )(?<!mentioned in e-mail )\baddress (?:is )?unknown\b",
    ),
    Pattern("nonexistent_user", r"\bnon-?existent (?:user|recipient|mailbox|address|account)\b"),
    # The looked-up name echoed between the words: "user jdoe does not
    # exist", "Recipient jdoe was not found in ...", "mailbox x@y does not
    # exist"; a domain there is host_unknown's.
    Pattern(
        "named_user_not_found",
        r"\b(?:user|recipient|mailbox|account) (?!domain\b)\S+ (?:(?:does not|doesn't) exist|was not found)\b",
    ),
    Pattern(
        "user_not_exist",
        r"\b(?:user|recipient) not (?:exists?|known)\b|\bmailbox not present\b|"
        r"\baddress not present in directory\b|\bdestination addresses were unknown\b|"
        r"\bthe user'?s email name is not found\b|\bthere is no one at this address\b|"
        r"\bthis e-?mail address is wrong or no longer valid\b|"
        r"\bresolver\.adr\.(?:ex)?recip(?:ient)? ?notfound\b|#5\.1\.1 bad address\b|"
        r"\brecipient address rejected: userunknown\b",
    ),
    # qmail's lists of refused recipients (badrcptto, validrcptto patches).
    Pattern("qmail_recipient_lists", r"\bbadrcptto\b|\bbadrecipientto\b|\bvalidrcptto\b"),
    Pattern(
        "user_unknown_foreign",
        r"\bnessun utente simile\b|\bno existe (?:dicha persona|ese usuario)\b|\butilisateur inconnu\b",
    ),
    # vpopmail's vdelivermail: the local delivery agent's own lookup.
    Pattern("vpopmail_unknown_user", r"\binvalid or unknown virtual user\b", lookup=True),
)
