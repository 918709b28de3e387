"""Every named rule has an example that makes exactly that rule fire.

The table below is the rule table's specification by example: one real (or
realistically worded) diagnostic per rule, with the host that answered when
the rule belongs to a provider. A rule without an example fails the
coverage test; an example that another rule catches first fails too, so a
reordering that shadows a rule cannot go unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from provider_table_examples import EXAMPLES as PROVIDER_TABLE_EXAMPLES

from bounce_sink.classify import classify_recipient
from bounce_sink.classify.providers import PROVIDERS
from bounce_sink.classify.rules.status_codes import STATUS_REASONS
from bounce_sink.classify.table import STRUCTURAL_RULES, TEXT_RULES, all_rule_names
from bounce_sink.parse.report import RecipientStatus, Report


@dataclass(frozen=True)
class Ex:
    diagnostic: str
    status: str = ""
    command: str = "RCPT"
    domain: str = "example.com"
    host: str | None = None  # None: the provider's example host, or none for text rules


PROVIDER_HOSTS = {
    "google": "gmail-smtp-in.l.google.com",
    "microsoft": "example-com.mail.protection.outlook.com",
    "yahoo": "mta7.am0.yahoodns.net",
    "apple": "mx01.mail.icloud.com",
    "united_internet": "mx00.emig.gmx.net",
    "t_online": "mx00.t-online.de",
    "orange": "smtp-in.orange.fr",
    "french_isp": "smtp-in.sfr.fr",
    "cox": "cxr.mx.a.cloudfilter.net",
    "spectrum": "mx0.charter.net",
    "comcast": "mx1a1.comcast.net",
    "mimecast": "us-smtp-inbound-1.mimecast.com",
    "messagelabs": "cluster1.eu.messagelabs.com",
    "proofpoint": "mx0a-00123456.pphosted.com",
    "godaddy": "smtp.secureserver.net",
    "tencent": "mx3.qq.com",
    "i_ua": "mx.email.ua",
    "ntt_docomo": "mfsmax.docomo.ne.jp",
    "kddi": "lsean.ezweb.ne.jp",
    "mail_ru": "mxs.mail.ru",
    "yandex": "mx.yandex.ru",
    "zoho": "mx.zoho.com",
    "facebook": "mx-out.facebook.com",
    "verizon": "mms.vzwpix.com",
    "amazon_ses": "inbound-smtp.us-east-1.amazonaws.com",
    "amazon_ses_inbound": "inbound-smtp.eu-west-1.amazonaws.com",
}

TEXT_EXAMPLES: dict[str, Ex] = {
    "text.auth_failure.dmarc": Ex("550 5.7.1 Email rejected per DMARC policy for example.org"),
    "text.auth_failure.spf": Ex("550 5.7.1 SPF check failed for example.org"),
    "text.auth_failure.dkim": Ex("550 5.7.1 DKIM signature verification failed"),
    "text.auth_failure.unauthenticated": Ex("550 Unauthenticated mail from example.org refused"),
    "text.require_ptr.no_ptr": Ex("550 5.7.1 Client host has no PTR record"),
    "text.require_ptr.no_reverse": Ex("550 5.7.1 Your IP does not have a reverse DNS entry"),
    "text.bad_reputation.low_reputation": Ex("550 5.7.1 Rejected due to low IP reputation"),
    "text.bad_reputation.reputation_block": Ex("554 Sender Score too low for 192.0.2.1"),
    "text.not_compliant_rfc.multiple_from": Ex("550 5.7.1 Message is not RFC 5322 compliant"),
    "text.virus_detected.virus_found": Ex("554 5.7.1 Virus found: Eicar-Test-Signature"),
    "text.spam_detected.spam_content": Ex("554 5.7.1 Message was classified as spam"),
    "text.spam_detected.spam_classification": Ex("550 Spam detected by content filter"),
    "text.spam_detected.ube": Ex("550 5.7.1 Message content rejected, UBE, id=12345"),
    "text.spam_detected.message_content_rejected": Ex("550 5.7.1 message content rejected"),
    "text.spam_detected.likely_spam": Ex("554 Your message is likely to be spam"),
    "text.no_relaying.relay_denied": Ex("554 5.7.1 <a@example.com>: Relay access denied"),
    "text.failed_starttls.tls_required": Ex("530 5.7.0 Must issue a STARTTLS command first"),
    "text.security_error.authentication_required": Ex("530 5.7.1 Authentication required"),
    "text.security_error.authentication_failed": Ex("535 5.7.8 Authentication failed"),
    "text.too_many_conn.too_many_connections": Ex("421 4.7.0 Too many connections from 192.0.2.1"),
    "text.too_many_conn.too_many_recipients": Ex("452 4.5.3 Too many recipients"),
    "text.speeding.rate_limited": Ex("450 4.7.1 Sending rate exceeded, throttled"),
    "text.policy_violation.policy_reasons": Ex(
        "554 Mail from a@example.org rejected for policy reasons."
    ),
    "text.policy_violation.violates_policy": Ex("550 Message violates our local policy"),
    "text.policy_violation.header_error": Ex("554 5.7.9 Header error"),
    "text.rejected.sender_rejected": Ex(
        "553 5.7.1 <a@example.org>: Sender address rejected: not owned by user", command="MAIL"
    ),
    "text.rejected.sender_domain_not_exist": Ex(
        "553 5.1.8 <a@example.org>... Domain of sender address a@example.org does not exist"
    ),
    "text.rejected.invalid_sender": Ex("550 Invalid sender <a@example.org>"),
    "text.rejected.mail_from_rejected": Ex("550 MAIL FROM rejected"),
    "text.mesg_too_big.size_limit": Ex("552 5.3.4 Message size exceeds fixed maximum message size"),
    "text.exceed_limit.length_exceeds_limit": Ex(
        "552 5.2.3 Message length exceeds administrative limit"
    ),
    "text.mailbox_full.mailbox_full": Ex("550 5.2.2 <a@example.com>... Mailbox is full"),
    "text.mailbox_full.over_quota": Ex("522 5.2.0 Delivery failed: Over quota"),
    "text.mailbox_full.quota_exceeded": Ex("552 storage quota for this mailbox reached"),
    "text.mailbox_full.mailbox_exceeded_limit": Ex("552 5.2.2 <> Mailbox has exceeded the limit"),
    "text.mailbox_full.insufficient_storage": Ex(
        "552 Requested mail action aborted: exceeded storage allocation"
    ),
    "text.mailbox_full.out_of_storage": Ex("452 The recipient ran out of mailbox space"),
    "text.mailbox_full.size_limit_exceeded": Ex("552 5.2.2 Mailbox size limit exceeded"),
    "text.mailbox_full.shutoff_quota": Ex("554 MapiExceptionShutoffQuotaExceeded"),
    "text.mailbox_full.too_many_messages": Ex("452 Too many messages in this mailbox"),
    "text.mailbox_full.disk_space_limit": Ex(
        "552 The recipient mailbox has exceeded its disk space limit."
    ),
    "text.mailbox_full.full_mailbox": Ex(
        "Delivery to the recipient has failed due to a full mailbox.", command=""
    ),
    "text.has_moved.user_not_local": Ex("551 User not local; please try <b@example.org>"),
    "text.suspend.account_disabled": Ex("550 5.2.1 Account has been disabled"),
    "text.suspend.disabled_recipient": Ex("525 5.7.13 Disabled recipient address"),
    "text.suspend.email_account_disabled": Ex(
        "550 5.2.1 The email account that you tried to reach is disabled."
    ),
    "text.suspend.temporarily_unavailable": Ex("550 This account has been temporarily suspended"),
    "text.blocked.blocked_using": Ex(
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"
    ),
    "text.blocked.open_relay_listed": Ex(
        "501 <a@example.org>... no access from mail server [192.0.2.55] which is an open relay.",
        command="MAIL",
    ),
    "text.blocked.blacklisted": Ex("550 5.7.1 IP address blacklisted by recipient"),
    "text.blocked.esmtp_not_accepting": Ex(
        "554 mx.example.com ESMTP not accepting messages", command=""
    ),
    "text.blocked.client_host_rejected": Ex(
        "554 5.7.1 <x.example.net[192.0.2.1]>: Client host rejected: Access denied"
    ),
    "text.blocked.ip_blocked": Ex("550 Your IP 192.0.2.1 has been blocked"),
    "text.blocked.access_denied_host": Ex("550 Access denied to host 192.0.2.1"),
    "text.blocked.helo_rejected": Ex("Connected to 192.0.2.1 but my name was rejected."),
    "text.blocked.invalid_ip": Ex("554 INVALID IP FOR SENDING MAIL OF DOMAIN example.org"),
    "text.blocked.use_isp_relay": Ex("550 5.7.0 Please use the smtp server of your ISP."),
    "text.blocked.blocked_generic": Ex("554 Blocked - see https://www.example.net/blocked"),
    "text.user_unknown.sendmail_address_lookup": Ex(
        "550 kijitora@example.com... No such user", command=""
    ),
    "text.user_unknown.local_unknown_user": Ex("mail.local: unknown user: kijitora", command=""),
    "text.user_unknown.user_name_unknown": Ex("550 User <kijitora> unknown", command=""),
    "text.user_unknown.no_mailbox_by_that_name": Ex(
        "Sorry, no mailbox here by that name. (#5.1.1)", command=""
    ),
    "text.user_unknown.recipient_name_not_recognized": Ex(
        "The recipient name is not recognized", command=""
    ),
    "text.user_unknown.remote_unknown_recipient": Ex(
        "550 5.1.351 Remote server returned unknown recipient or mailbox unavailable -> 550 Unknown user a@example.net",
        "5.1.351",
        command="",
    ),
    "text.user_unknown.no_such_user": Ex("550 No such user here"),
    "text.user_unknown.user_unknown": Ex(
        "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown in virtual mailbox table"
    ),
    "text.user_unknown.unknown_user": Ex("550 Unknown user a@example.com"),
    "text.user_unknown.does_not_exist": Ex("550 5.1.1 Mailbox does not exist"),
    "text.user_unknown.not_found": Ex("550 Recipient not found"),
    "text.user_unknown.invalid_recipient": Ex("550 Invalid recipient <a@example.com>"),
    "text.user_unknown.not_a_valid_mailbox": Ex("550 a@example.com is not a valid mailbox"),
    "text.user_unknown.mailbox_does_not_exist": Ex("550 Mailbox is nonexistent"),
    "text.user_unknown.bad_destination_mailbox": Ex("550 5.1.1 Bad destination mailbox address"),
    "text.user_unknown.no_account_here": Ex("554 This user doesn't have a example.com account"),
    "text.user_unknown.account_not_exist": Ex("550 The account you tried to reach does not exist"),
    "text.user_unknown.not_a_valid_recipient": Ex(
        "550 5.1.1 <a@example.com> not a valid recipient"
    ),
    "text.user_unknown.address_couldnt_be_found": Ex(
        "550 5.1.10 The email address you entered couldn't be found."
    ),
    "text.user_unknown.unknown_or_illegal_alias": Ex("550 unknown or illegal alias: a@example.com"),
    "text.user_unknown.echoed_address_does_not_exist": Ex(
        "550 User [a@example.com] does not exist"
    ),
    "text.user_unknown.no_mailbox_available": Ex("550 ** No mail box available for this user **"),
    "text.user_unknown.bad_recipient": Ex("550 BAD_RECIPIENT - see http://example.com/?r=BAD"),
    "text.user_unknown.not_an_active_address": Ex(
        "550 a@example.com is not an active address at this host"
    ),
    "text.user_unknown.no_account_by_that_name": Ex(
        "550 Recipient Rejected: No account by that name here"
    ),
    "text.user_unknown.address_unknown": Ex("550 550 Address unknown (state 14)."),
    "text.user_unknown.nonexistent_user": Ex(
        "554 5.7.1 <a@example.com>: Recipient address rejected: Nonexistent user"
    ),
    "text.rejected.sender_address_listed": Ex(
        "550 Sorry, you are sending to/from an address that has been blacklisted"
    ),
    "text.mailbox_full.over_the_quota": Ex("452 4.2.2 The user is over the storage limit"),
    "text.suspend.currently_suspended": Ex("550 Mailbox currently suspended"),
    "text.spam_detected.spam_probability": Ex("554 Rejected: high probability of spam"),
    "text.mailer_error.operating_system_error": Ex("451 4.0.0 Operating system error", command=""),
    "text.content_error.eight_bit_header": Ex(
        "554 5.6.0 Improper use of 8-bit data in message header"
    ),
    "text.too_many_conn.connection_limit": Ex("421 4.7.0 Connection limit exceeded for 192.0.2.1"),
    "text.syntax_error.bad_sequence": Ex("503 5.5.1 Bad sequence of commands"),
    "text.syntax_error.unreadable_address": Ex(
        "malformed address: <b@example.net> may not follow a@example.", command=""
    ),
    "text.system_error.error_in_processing": Ex(
        "451 Requested action aborted: error in processing"
    ),
    "text.network_error.hop_count": Ex("554 5.4.0 Hop count exceeded - possible mail loop"),
    "text.host_unknown.unrouteable_address": Ex("Unrouteable address"),
    "text.rejected.envelope_sender_denied": Ex("550 Your envelope sender has been denied"),
    "text.spam_detected.flagged_as_spam": Ex("550 This message has been flagged as spam"),
    "text.spam_detected.spam_verdict": Ex("550 Probable Spam"),
    "text.spam_detected.spam_judged": Ex("550 5.7.1 Your email breaches local URIBL policy."),
    "text.mailbox_full.diskspace_quota": Ex("The user has overdrawn his diskspace quota"),
    "text.network_error.dns_temporary": Ex(
        "Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again",
        status="4.4.3",
    ),
    "text.network_error.connection_failed": Ex(
        "connect to mx.example.com[192.0.2.1]:25: Connection refused", status="4.4.1"
    ),
    "text.network_error.network_error": Ex("Network error on destination MXs"),
    "text.network_error.routing_loop": Ex("554 5.4.6 Too many hops"),
    "text.host_unknown.domain_does_not_exist": Ex("domain name does not exist"),
    "text.host_unknown.no_such_domain": Ex("No such domain."),
    "text.host_unknown.host_not_found": Ex(
        "Host or domain name not found. Name service error for name=example.invalid type=A: Host not found",
        status="5.4.4",
    ),
    "text.host_unknown.unknown_host": Ex(
        "550 Host unknown (Authoritative answer from name server)"
    ),
    "text.host_unknown.domain_not_found": Ex("Recipient domain not found"),
    "text.host_unknown.invalid_domain": Ex("550 5.4.4 Invalid domain"),
    "text.host_unknown.host_does_not_exist": Ex("553 mail.example.invalid does not exist"),
    "text.host_unknown.dns_lookup_not_found": Ex(
        "DNS lookup failure: host mx.example.invalid not found"
    ),
    "text.host_unknown.nxdomain": Ex("DNS MX lookup responded with code NXDOMAIN"),
    "text.host_unknown.dns_says_no_host": Ex(
        "all relevant MX records point to non-existent hosts", command=""
    ),
    "text.host_unknown.name_or_service_not_known": Ex(
        "[dest.example.com]: Name or service not known", command=""
    ),
    "text.host_unknown.name_service_error_host_not_found": Ex(
        "Name service error for name=mx.example.invalid: Host not found"
    ),
    "text.not_accept.null_mx": Ex("556 5.1.10 Recipient address has null MX"),
    "text.not_accept.no_mx": Ex("No MX found for domain"),
    "text.not_accept.no_mail_host": Ex("The domain has no mail hosts"),
    "text.filtered.message_filtered": Ex("550 5.2.0 Message Filtered"),
    "text.filtered.recipient_refuses": Ex("550 Recipient has refused to receive mail from you"),
    "text.content_error.duplicate_header": Ex(
        "554 Transaction failed: Duplicate header 'DKIM-Signature'."
    ),
    "text.content_error.bare_lf": Ex("550 Bare LF received"),
    "text.content_error.content_rejected": Ex("554 Attachment type not allowed"),
    "text.system_full.insufficient_system_storage": Ex("452 4.3.1 Insufficient system storage"),
    "text.system_error.local_error": Ex(
        "451 4.3.0 Requested action aborted: local error in processing"
    ),
    "text.system_error.service_unavailable": Ex("451 Could not load DRD for domain"),
    "text.expired.retry_time_exceeded": Ex("retry timeout exceeded", status="4.4.7"),
    "text.expired.too_long_in_queue": Ex(
        "This message has been in the queue too long.", status="4.4.7"
    ),
    "text.expired.delivery_time_expired": Ex("Delivery time expired", status="4.4.7"),
    "text.expired.connection_timed_out": Ex(
        "connect to mx.example.com[192.0.2.1]:25: Connection timed out", status="4.4.1"
    ),
    "text.syntax_error.command_syntax": Ex("504 Command parameter not implemented"),
    "text.mailer_error.program_failed": Ex(
        "procmail: Error while writing to /var/mail/a", command=""
    ),
    "text.on_hold.held": Ex("550 5.0.0 <a@example.com>: Recipient address rejected: On hold"),
    "text.mailbox_full.maildir_quota": Ex("maildir delivery failed: userdisk quota 1000 exceeded"),
    "text.mailbox_full.storage_used_up": Ex("552 The user's space has been used up."),
    "text.mailbox_full.mailbox_full_french": Ex("552 Boite du destinataire pleine"),
    "text.expired.delivery_delayed": Ex("Delivery attempts will continue to be made for 4 days"),
    "text.filtered.recipient_settings": Ex("550 Message rejected due to user rules"),
    "text.filtered.gmail_data_stage": Ex(
        "554 554 5.7.0 Header error (state 18).", status="5.7.0", command=""
    ),
    "text.host_unknown.recipient_domain_unknown": Ex(
        "550 Mail domain mentioned in email address is unknown"
    ),
    "text.network_error.host_lookup_failed": Ex("Host name lookup failure", command=""),
    "text.no_relaying.not_our_domain": Ex("550 This system is not configured to relay mail"),
    "text.policy_violation.organization_rules": Ex("550 5.7.1 Message denied by policy"),
    "text.rejected.null_sender_refused": Ex("550 Empty envelope senders not allowed"),
    "text.rejected.sender_not_allowed": Ex("550 Sender not pre-approved"),
    "text.security_error.ses_not_authorized": Ex("554 Account not subscribed to SES"),
    "text.security_error.insecure_content": Ex(
        "552 5.7.0 Executable files are not allowed in compressed files"
    ),
    "text.spam_detected.spam_refused": Ex("550 Message contains spam or virus"),
    "text.suspend.suspended_or_inactive": Ex("550 5.2.1 Recipient rejected: Temporarily inactive"),
    "text.system_error.server_misconfigured": Ex("451 4.3.0 Error: queue file write error"),
    # Sisimai 5.1's phrase lists and per-MTA tables (session 8).
    "text.network_error.unrouteable_domain": Ex(
        'Unrouteable mail domain "example.com"', command=""
    ),
    "text.system_error.mail_loop": Ex("553 5.3.5 mail for example.com loops back to myself"),
    "text.system_error.directory_failure": Ex(
        "Unable to contact LDAP server. (#4.4.3)", command=""
    ),
    "text.content_error.too_many_received_headers": Ex(
        'Too many "Received" headers - suspected mail loop', command="DATA"
    ),
    "text.content_error.amavis_bad_header": Ex(
        "554 5.6.0 Reject, id=12345-02 - BAD HEADER: MIME error", command="DATA"
    ),
    "text.spam_detected.amavis_spam": Ex("554 5.7.0 Reject, id=00832-01 - SPAM", command="DATA"),
    "text.user_unknown.directory_not_listed": Ex(
        "User x (a@example.com) not listed in Domino Directory", command=""
    ),
    "text.blocked.sending_server_refused": Ex("550 Not currently accepting mail from your IP"),
    "text.user_unknown.named_user_not_found": Ex("550 User jdoe does not exist"),
    "text.user_unknown.user_not_exist": Ex("550 5.1.1 There is no one at this address"),
    "text.user_unknown.qmail_recipient_lists": Ex("553 sorry, badrcptto (#5.7.1)"),
    "text.user_unknown.user_unknown_foreign": Ex("550 Utilisateur inconnu !"),
    "text.user_unknown.vpopmail_unknown_user": Ex(
        "vdeliver: Invalid or unknown virtual user 'jdoe'", command=""
    ),
}

PROVIDER_EXAMPLES: dict[str, Ex] = {
    "provider.google.no_such_user": Ex(
        "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos - gsmtp",
        "5.1.1",
    ),
    "provider.google.disabled": Ex(
        "550-5.2.1 The email account that you tried to reach is disabled. - gsmtp", "5.2.1"
    ),
    "provider.google.over_quota": Ex(
        "452-4.2.2 The email account that you tried to reach is over quota. - gsmtp", "4.2.2"
    ),
    "provider.google.rate_limited_recipient": Ex(
        "450-4.2.1 The user you are trying to contact is receiving mail too quickly. - gsmtp",
        "4.2.1",
    ),
    "provider.google.low_reputation": Ex(
        "550-5.7.1 Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address. - gsmtp",
        "5.7.1",
    ),
    "provider.google.unsolicited_rate": Ex(
        "421-4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp",
        "4.7.0",
    ),
    "provider.google.dmarc": Ex(
        "550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy. - gsmtp",
        "5.7.26",
    ),
    "provider.google.ptr": Ex(
        "550-5.7.25 The IP address sending this message does not have a PTR record setup. - gsmtp",
        "5.7.25",
    ),
    "provider.google.multiple_from": Ex(
        "550-5.7.1 Messages with multiple addresses in From: header are not accepted. - gsmtp",
        "5.7.1",
    ),
    "provider.google.spam": Ex(
        "550-5.7.1 Our system has detected that this message is likely unsolicited mail. - gsmtp",
        "5.7.1",
    ),
    "provider.google.security_issue": Ex(
        "552-5.7.0 This message was blocked because its content presents a potential security issue. - gsmtp",
        "5.7.0",
    ),
    "provider.google.policy": Ex(
        "550-5.7.1 The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent. - gsmtp",
        "5.7.1",
    ),
    "provider.google.size": Ex(
        "552-5.3.4 Your message exceeded Google's message size limits. - gsmtp", "5.3.4"
    ),
    "provider.google.not_authorized_ip": Ex(
        "550-5.7.1 The IP you're using to send mail is not authorized to send email directly to our servers. - gsmtp",
        "5.7.1",
    ),
    "provider.google.group_spam": Ex(
        "Your email to group g@example.com was rejected due to spam classification.", command=""
    ),
    "provider.google.content_suspicious": Ex(
        "421-4.7.0 Our system has detected that this message is suspicious due to the nature of the content and/or the links within. - gsmtp",
        "4.7.0",
    ),
    "provider.google.ip_not_whitelisted": Ex(
        "421-4.7.0 IP not in whitelist for RCPT domain, closing connection. - gsmtp", "4.7.0"
    ),
    "provider.google.tls_required": Ex(
        "421-4.7.0 TLS required for RCPT domain, closing connection. - gsmtp", "4.7.0"
    ),
    "provider.google.too_many_recipients": Ex(
        "452-4.5.3 Your message has too many recipients. - gsmtp", "4.5.3"
    ),
    "provider.google.daily_quota": Ex(
        "550-5.4.5 Daily user sending quota exceeded. - gsmtp", "5.4.5"
    ),
    "provider.google.server_busy": Ex("421-4.4.5 Server busy, try again later. - gsmtp", "4.4.5"),
    "provider.google.temporary_problem": Ex(
        "421-4.3.0 Temporary System Problem. Try again later. - gsmtp", "4.3.0"
    ),
    "provider.google.protocol_violation": Ex(
        "451-4.5.0 SMTP protocol violation, see RFC 2821. - gsmtp", "4.5.0"
    ),
    "provider.google.connect_failed": Ex(
        "The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720",
        "4.4.1",
        command="",
        host="",
    ),
    "provider.google.group_post_refused": Ex(
        "Der Beitrag wurde abgelehnt.", command="", domain="googlegroups.com", host=""
    ),
    "provider.microsoft.access_denied_dbeb": Ex(
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "5.4.1"
    ),
    "provider.microsoft.recipient_not_found": Ex(
        "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", "5.1.1"
    ),
    "provider.microsoft.mailbox_unavailable": Ex(
        "550 Requested action not taken: mailbox unavailable", "5.5.0"
    ),
    "provider.microsoft.auth_required": Ex(
        "550 5.7.1 RESOLVER.RST.AuthRequired; authentication required", "5.7.1"
    ),
    "provider.microsoft.dmarc": Ex(
        "550 5.7.509 Access denied, sending domain EXAMPLE.ORG does not pass DMARC verification",
        "5.7.509",
    ),
    "provider.microsoft.dmarc_code": Ex("550 5.7.515 Access denied", "5.7.515"),
    "provider.microsoft.sc_block": Ex(
        "550 SC-001 (BAY0-MC1-F21) Unfortunately, messages from 192.0.2.1 weren't sent."
    ),
    "provider.microsoft.banned_ip": Ex(
        "550 5.7.606 Access denied, banned sending IP [192.0.2.1].", "5.7.606"
    ),
    "provider.microsoft.banned_code": Ex("550 5.7.511 Access denied", "5.7.511"),
    "provider.microsoft.rfc5322_code": Ex(
        "550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant", "5.7.512"
    ),
    "provider.microsoft.tenant_threshold": Ex(
        "550 5.7.705 Access denied, tenant has exceeded threshold", "5.7.705"
    ),
    "provider.microsoft.mailbox_full": Ex(
        "554 5.2.2 mailbox full; STOREDRV.Deliver: mailbox full", "5.2.2"
    ),
    "provider.microsoft.recipient_not_found_code": Ex("550 5.1.10 Recipient rejected", "5.1.10"),
    "provider.microsoft.domain_not_found": Ex(
        "550 5.4.310 DNS domain example.invalid does not exist", "5.4.310"
    ),
    "provider.microsoft.too_many_recipients": Ex("550 5.5.3 Too many recipients", "5.5.3"),
    "provider.microsoft.sender_limit": Ex("550 5.5.4 Sender exceeded the sending limit", "5.5.4"),
    "provider.yahoo.account_disabled": Ex(
        "554 delivery error: dd Sorry your message to a@yahoo.com cannot be delivered. "
        "This account has been disabled or discontinued [#102]. - mta1.mail.yahoo.com"
    ),
    "provider.yahoo.no_account": Ex(
        "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]"
    ),
    "provider.yahoo.no_such_user_here": Ex("550 5.1.1 No such user here"),
    "provider.yahoo.over_quota": Ex("552 1 Requested mail action aborted, mailbox is full"),
    "provider.yahoo.unexpected_volume": Ex(
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
        "4.7.0",
    ),
    "provider.yahoo.ts_block": Ex(
        "554 5.7.9 [TS03] All messages from 192.0.2.1 will be permanently deferred", "5.7.9"
    ),
    "provider.yahoo.policy": Ex(
        "554 Message not allowed - [PH01] Email not accepted for policy reasons."
    ),
    "provider.yahoo.dmarc": Ex(
        "554 5.7.9 Message not accepted due to the sender domain's DMARC record", "5.7.9"
    ),
    "provider.yahoo.rate": Ex("450 User is receiving mail too quickly"),
    "provider.yahoo.resources": Ex("451 Resources temporarily unavailable. Please try again later"),
    "provider.apple.inactive_address": Ex(
        "550 5.1.1 <a@icloud.com>: inactive email address", "5.1.1"
    ),
    "provider.apple.dmarc": Ex(
        "554 5.7.1 Your message was rejected due to example.org's DMARC policy.", "5.7.1"
    ),
    "provider.apple.over_quota": Ex("552 5.2.2 <a@icloud.com>: user is over quota", "5.2.2"),
    "provider.apple.blocked": Ex(
        "554 5.7.1 [CS01] Message rejected due to local policy. Blocked", "5.7.1"
    ),
    "provider.united_internet.ptr": Ex(
        "554-No SMTP service 554-Bad DNS PTR resource record. 554 For explanation visit https://postmaster.gmx.com/en/error-messages?ip=192.0.2.1&c=rdns"
    ),
    "provider.united_internet.blocklisted": Ex(
        "554-gmx.net (mxgmx104) Nemesis ESMTP Service not available 554-IP address is block listed."
    ),
    "provider.united_internet.spf": Ex("550 <a@gmx.net>: Reject due to SPF policy."),
    "provider.united_internet.mailbox_unavailable": Ex(
        "550 Requested action not taken: mailbox unavailable", domain="gmx.net"
    ),
    "provider.united_internet.too_many_messages": Ex("552 User has too many messages on server"),
    "provider.united_internet.policy": Ex("421 Reject due to policy violations"),
    "provider.united_internet.rate": Ex("421 Rate limit reached. Please try again later"),
    "provider.united_internet.spam": Ex("554 Reject due to content restrictions"),
    "provider.t_online.blocked": Ex(
        "554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de) Blocked by T-Online"
    ),
    "provider.t_online.user_unknown": Ex("550 5.1.1 <a@t-online.de>: user unknown", "5.1.1"),
    "provider.t_online.quota": Ex("552 Quota exceeded"),
    "provider.orange.invalid_recipient": Ex(
        "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient.",
        "5.1.1",
    ),
    "provider.orange.mailbox_full": Ex("552 Boite pleine. Mailbox is full."),
    "provider.orange.blocked_ip": Ex(
        "550 5.5.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. LPN001_108"
    ),
    "provider.orange.spam": Ex("550 5.7.1 Message considere comme spam. OFR_506"),
    "provider.orange.too_many_conn": Ex("421 Trop de connexions, too many connections. OFR_005"),
    "provider.french_isp.mailbox_full": Ex("552 5.2.2 Boite pleine / Mailbox full"),
    "provider.french_isp.spam": Ex("550 5.7.1 Message rejete comme spam"),
    "provider.french_isp.blocked": Ex("554 5.7.1 Votre IP est refusee"),
    "provider.cox.ip_blocked": Ex("554 5.7.1 AUP#CXBL Sending IP 192.0.2.1 is blocked"),
    "provider.cox.url_blocked": Ex("552 5.7.0 AUP#URLBL0010 message rejected"),
    "provider.cox.no_rdns": Ex("550 5.7.1 AUP#CXDNS no reverse DNS"),
    "provider.cox.too_many_conn": Ex("421 4.7.0 AUP#CXCONN too many sessions"),
    "provider.cox.throttle": Ex("421 4.7.0 AUP#CXTHROTTLE throttled"),
    "provider.cox.no_such_user": Ex("550 5.1.1 AUP#CXRCPT recipient rejected"),
    "provider.cox.dmarc": Ex("550 5.7.1 AUP#CXDMARC failed"),
    "provider.spectrum.connection_limit": Ex("421 4.7.0 cmsmtp 192.0.2.1 blocked. AUP#In-1340"),
    "provider.spectrum.blocked": Ex(
        "554 impin004.msg.chrl.nc.charter.net cmsmtp 192.0.2.1 blocked. AUP#In-1000"
    ),
    "provider.comcast.rbl": Ex("554 5.7.1 BL000010 rejected, see postmaster.comcast.net"),
    "provider.comcast.rate": Ex("421 4.7.0 RL000001 Too many sessions from 192.0.2.1"),
    "provider.comcast.ptr": Ex("554 5.7.1 PTR lookup failed for 192.0.2.1"),
    "provider.comcast.not_our_customer": Ex("551 5.1.1 Not our Customer"),
    "provider.comcast.over_quota": Ex("552 5.2.2 mailbox is full"),
    "provider.comcast.dmarc": Ex("550 5.7.1 DMARC reject"),
    "provider.mimecast.virus": Ex(
        "554 email rejected due to security policies - MCSpamSignature.sa.2.2"
    ),
    "provider.mimecast.invalid_recipient": Ex(
        "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550"
    ),
    "provider.mimecast.blocked": Ex(
        "451 IP Temporarily Blacklisted - https://community.mimecast.com/docs/DOC-1369#451"
    ),
    "provider.mimecast.sender_blocked": Ex(
        "421 Sender address blocked - https://community.mimecast.com/docs/DOC-1369#421"
    ),
    "provider.mimecast.busy": Ex("421 Unable to process connection at this time"),
    "provider.mimecast.spam": Ex("550 Message rejected as spam by Content Filtering"),
    "provider.mimecast.dmarc": Ex("550 DMARC Sender Invalid - envelope rejected"),
    "provider.proofpoint.dnsbl": Ex(
        "554 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1"
    ),
    "provider.proofpoint.spam": Ex("554 5.7.1 Message rejected due to local policy: spam"),
    "provider.proofpoint.user_unknown": Ex("550 5.1.1 User Unknown", "5.1.1"),
    "provider.godaddy.too_many_recipients_hour": Ex(
        "550 5.1.1 <a@example.com> - 192.0.2.1 has sent to too many recipients this hour. IB607 <http://x.co/rlbounce>",
        "5.1.1",
    ),
    "provider.godaddy.blocked_ip": Ex(
        "554 192.0.2.1 has been blacklisted. IB104 <http://x.co/rlbounce>"
    ),
    "provider.godaddy.spam": Ex(
        "552 This message has been rejected due to content judged to be spam. IB212"
    ),
    "provider.godaddy.over_quota": Ex("552 5.2.2 <a@example.com> mailbox is full"),
    "provider.godaddy.no_such_user": Ex(
        "550 5.1.1 <a@example.com> Recipient not found. <http://x.co/irbounce>", "5.1.1"
    ),
    "provider.godaddy.sender_domain": Ex("550 example.org From: Domain is invalid. IB506"),
    "provider.tencent.frequency": Ex(
        "550 Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722"
    ),
    "provider.tencent.ip_blocked": Ex("550 Mail is rejected by recipients. Your IP is rejected"),
    "provider.tencent.spam": Ex("550 Mail content denied as suspected spam"),
    "provider.messagelabs.domain_authentication": Ex(
        "553-SPF (Sender Policy Framework) domain authentication fail"
    ),
    "provider.messagelabs.reputation": Ex("501 Connection rejected by policy [7.7] 20805"),
    "provider.messagelabs.ip_blocked": Ex(
        "553-mail rejected because your IP is in the PBL. See http://www.spamhaus.org/pbl"
    ),
    "provider.messagelabs.sender_blocked": Ex(
        "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)"
    ),
    "provider.messagelabs.stray_linefeeds": Ex("553 Stray linefeeds in message (#5.6.2)"),
    "provider.messagelabs.tls_required": Ex("451 TLS/SSLv3 Connection required. (#4.7.1)"),
    "provider.messagelabs.not_rfc_5322": Ex(
        "550 [192.0.2.1] has detected that this message is not RFC 5322"
    ),
    "provider.messagelabs.smtp_auth": Ex(
        "530 Please turn on SMTP Authentication in your mail client"
    ),
    "provider.messagelabs.filtered": Ex("553 - Message Filtered"),
    "provider.messagelabs.recipients_per_hour": Ex("452 Too many recipients received this hour"),
    "provider.messagelabs.invalid_recipient": Ex(
        "550-Invalid recipient <a@example.com> 550 (#5.1.1)"
    ),
    "provider.i_ua.not_a_mail_gate": Ex("550 Use SMTP of your provider https://mail.i.ua/err/6/"),
    "provider.i_ua.user_not_found": Ex("550 5.1.1 User is not found: https://mail.i.ua/err/2/"),
    "provider.i_ua.unused_mailbox": Ex("550 Mailbox is not used: https://mail.i.ua/err/3/"),
    "provider.i_ua.mailbox_full": Ex("552 Mailbox is full: https://mail.i.ua/err/4/"),
    "provider.i_ua.sending_limit": Ex("550 Sending limit exceeded https://mail.i.ua/err/5/"),
    "provider.i_ua.bad_helo": Ex("550 Wrong HELO https://mail.i.ua/err/7/"),
    "provider.i_ua.sender_unverified": Ex("550 Sender not checked https://mail.i.ua/err/8/"),
    "provider.i_ua.ip_blacklisted": Ex("550 Your IP is blacklisted https://mail.i.ua/err/9/"),
    "provider.i_ua.not_an_allowed_sender": Ex("550 Not allowed https://mail.i.ua/err/10/"),
    "provider.tencent.mailbox_not_found": Ex(
        "550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728"
    ),
    "provider.tencent.over_quota": Ex("552 Mailbox is full"),
    "provider.tencent.domain_frequency": Ex("550 Domain frequency limited"),
    "provider.ntt_docomo.unknown_user_filter": Ex("550 Unknown user a@docomo.ne.jp", command=""),
    "provider.ntt_docomo.too_many_recipients": Ex("552 Too many recipients"),
    "provider.ntt_docomo.no_such_domain": Ex("550 No such domain"),
    "provider.kddi.filter_refusal": Ex("550 : User unknown", command=""),
    "provider.kddi.user_unknown": Ex("550 <a@ezweb.ne.jp>: User unknown", command=""),
    "provider.kddi.over_quota": Ex("552 Mailbox is full"),
    "provider.kddi.too_many": Ex("452 Too many recipients"),
    "provider.mail_ru.no_such_user": Ex(
        "550 Message was not accepted -- invalid mailbox. Local mailbox a@mail.ru is unavailable: user not found"
    ),
    "provider.mail_ru.over_quota": Ex("552 mailbox is full"),
    "provider.mail_ru.spam": Ex(
        "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id"
    ),
    "provider.mail_ru.blocked": Ex("421 Your IP 192.0.2.1 is blocked, see https://help.mail.ru"),
    "provider.mail_ru.disabled": Ex("550 Account is disabled"),
    "provider.yandex.no_such_user": Ex("550 5.7.1 No such user!"),
    "provider.yandex.over_quota": Ex("552 5.2.2 Mailbox size limit exceeded; mailbox is full"),
    "provider.yandex.spam": Ex("554 5.7.1 Message rejected under suspicion of SPAM"),
    "provider.yandex.disabled": Ex("550 5.2.1 Mailbox is disabled"),
    "provider.yandex.dmarc": Ex("550 5.7.1 Message rejected due to DMARC policy"),
    "provider.zoho.dmarc": Ex("550 5.7.1 Email rejected per DMARC policy"),
    "provider.zoho.no_such_user": Ex("550 5.1.1 User does not exist - <a@example.com>"),
    "provider.zoho.over_quota": Ex("552 5.2.2 Mailbox is full"),
    "provider.zoho.spam": Ex("554 5.7.1 Email rejected as spam"),
    "provider.zoho.blocked": Ex("550 5.7.1 Mail rejected, IP blocked"),
    "provider.amazon_ses.duplicate_header": Ex(
        "554 Transaction failed: Duplicate header 'DKIM-Signature'."
    ),
    "provider.amazon_ses.not_verified": Ex("554 Message rejected: Email address is not verified."),
    "provider.amazon_ses.suppressed": Ex("550 Address is on the account-level suppression list"),
    "provider.amazon_ses.blacklisted": Ex("550 5.7.1 IP address blacklisted by recipient"),
    "provider.amazon_ses_inbound.receipt_rule_mailbox_template": Ex(
        "550 5.1.1 Mailbox does not exist", status="5.1.1"
    ),
}


# The providers' code tables (see provider_table_examples).
PROVIDER_EXAMPLES.update({k: Ex(d, st) for k, (d, st) in PROVIDER_TABLE_EXAMPLES.items()})


def _classify(ex: Ex, host: str, kind: str = "dsn") -> tuple[str, str]:
    recipient = RecipientStatus(
        address=f"someone@{ex.domain}",
        action="failed",
        status=ex.status,
        diagnostic=ex.diagnostic,
        remote_mta=host,
        smtp_command=ex.command,
    )
    c = classify_recipient(recipient, Report(kind=kind))  # type: ignore[arg-type]
    return c.rule, c.reason


def _reason_of(name: str) -> str:
    for rule in TEXT_RULES:
        if rule.name == name:
            return rule.reason
    for provider in PROVIDERS:
        for prule in provider.rules:
            if prule.name == name:
                return prule.reason
    raise KeyError(name)


@pytest.mark.parametrize("name", sorted(TEXT_EXAMPLES))
def test_text_rule_example_fires_that_rule(name: str) -> None:
    ex = TEXT_EXAMPLES[name]
    assert _classify(ex, ex.host or "") == (name, _reason_of(name))


@pytest.mark.parametrize("name", sorted(PROVIDER_EXAMPLES))
def test_provider_rule_example_fires_that_rule(name: str) -> None:
    ex = PROVIDER_EXAMPLES[name]
    provider = name.split(".")[1]
    host = PROVIDER_HOSTS[provider] if ex.host is None else ex.host
    assert _classify(ex, host) == (name, _reason_of(name))


@pytest.mark.parametrize("code", sorted(STATUS_REASONS))
@pytest.mark.parametrize("klass", ["4", "5"])
def test_bare_status_code_names_its_rule(klass: str, code: str) -> None:
    ex = Ex("", status=f"{klass}.{code}", command="")
    assert _classify(ex, "") == (f"status.{klass}.{code}", STATUS_REASONS[code])


def test_every_text_and_provider_rule_has_an_example() -> None:
    names = {r.name for r in TEXT_RULES} | {r.name for p in PROVIDERS for r in p.rules}
    assert names - set(TEXT_EXAMPLES) - set(PROVIDER_EXAMPLES) == set()
    assert set(TEXT_EXAMPLES) | set(PROVIDER_EXAMPLES) <= names


def test_every_structural_rule_is_listed() -> None:
    assert set(STRUCTURAL_RULES) <= set(all_rule_names())
