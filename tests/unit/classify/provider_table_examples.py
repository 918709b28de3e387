"""Examples for the provider rules filled in from the providers' documented code tables.

One realistic diagnostic per rule, as ``name: (diagnostic, status)``;
``test_classify_rule_examples`` merges them into its PROVIDER_EXAMPLES, so
each must fire exactly its rule at that provider's example host (command
RCPT). Kept apart from that table so the provider tables can grow without
edits to a file other rooms edit too.
"""

from __future__ import annotations

EXAMPLES: dict[str, tuple[str, str]] = {
    # Orange / La Poste: the code after OFR/LPN decides.
    "provider.orange.code_invalid_recipient": (
        "550 5.1.1 Invalid recipient. OFR_418 [418]",
        "5.1.1",
    ),
    "provider.orange.code_mailbox_full": (
        "552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]",
        "5.1.1",
    ),
    "provider.orange.code_closed_account": (
        "550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420",
        "5.5.0",
    ),
    "provider.orange.code_invalid_sender": (
        "501 5.1.0 Emetteur invalide. Invalid Sender. OFR004_405 [405]",
        "5.1.0",
    ),
    "provider.orange.code_authentication": (
        "550 5.7.0 Code d'authentification invalide OFR_305",
        "5.7.0",
    ),
    "provider.orange.code_spf_dmarc": (
        "571 5.7.1 Message refused, DMARC verification Failed. LPN007_517",
        "5.7.1",
    ),
    "provider.orange.code_too_many_connections": (
        "421 mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. OFR005_104 [104]",
        "4.0.0",
    ),
    "provider.orange.code_blocked": (
        "550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. OFR006_102",
        "5.0.0",
    ),
    "provider.orange.code_service_unavailable": (
        "421 4.2.0 Service refuse. Veuillez essayer plus tard. OFR005_505 [505]",
        "4.2.0",
    ),
    "provider.orange.code_size": ("552 5.3.4 Taille limite du message atteinte. OFR_514", "5.3.4"),
    "provider.orange.code_client_host_rejected": (
        "554 5.7.1 Client host rejected LPN000_630",
        "5.7.1",
    ),
    "provider.orange.spf_configuration": (
        "421 smtp.orange.fr [192.0.2.1] Emetteur invalide, Veuillez verifier la configuration "
        "SPF/DNS de votre nom de domaine. Invalid Sender.",
        "4.7.0",
    ),
    # GoDaddy: the IB codes of "Fix rejected email with a bounce error".
    "provider.godaddy.too_many_sessions": (
        "421 Connection refused, too many sessions from This IP. IB007",
        "4.7.0",
    ),
    "provider.godaddy.poor_reputation": (
        "554 Connection refused. This IP has a poor reputation on Cloudmark Sender Intelligence (CSI). IB103",
        "5.7.1",
    ),
    "provider.godaddy.no_reverse_dns": (
        "421 Temporarily rejected. Reverse DNS for this IP failed. IB108",
        "4.7.1",
    ),
    "provider.godaddy.smtp_auth_inbound": (
        "535 Authentication not allowed on IBSMTP Servers. IB401",
        "5.7.0",
    ),
    "provider.godaddy.virus": ("552 Virus infected message rejected. IB705", "5.7.1"),
    "provider.godaddy.invalid_from": (
        "550 a@example.org Blank From: addresses are not allowed. Provide a valid From. IB501",
        "5.7.1",
    ),
    "provider.godaddy.spf_record": (
        "550 a@example.org Invalid SPF record. Inspect your SPF settings, and try again. IB508",
        "5.7.1",
    ),
    "provider.godaddy.account_disabled": ("550 5.2.1 <a@example.com> Account disabled", "5.2.1"),
    "provider.godaddy.looping": (
        "This message is looping: it already has my Delivered-To line. (#5.4.6)",
        "5.4.6",
    ),
    "provider.godaddy.queue_expired": (
        "451 Sorry, I wasn't able to establish an SMTP connection. I'm not going to try again; "
        "this message has been in the queue too long.",
        "4.4.7",
    ),
    # Cox: AUP# codes and the texts of its "Email error codes" page.
    "provider.cox.smtp_violation": ("554 5.7.1 AUP#CXSMTP message rejected", "5.7.1"),
    "provider.cox.account_activity": ("550 5.7.1 AUP#CXTHRT sending limited", "5.7.1"),
    "provider.cox.bad_commands": ("421 4.7.0 cox too many bad commands from 192.0.2.1", "4.7.0"),
    "provider.cox.protocol_policy": ("552 5.7.0 attachment extension is forbidden", "5.7.0"),
    "provider.cox.server_unavailable": (
        "421 4.3.2 cox.net ESMTP server temporarily not available",
        "4.3.2",
    ),
    "provider.cox.sender_rejected": ("550 5.1.0 <a@example.org> sender rejected", "5.1.0"),
    "provider.cox.recipient_rejected": ("550 5.1.1 <a@cox.net> recipient rejected", "5.1.1"),
    # Spectrum: the AUP# number families.
    "provider.spectrum.volume_limit": ("421 4.7.0 cmsmtp 192.0.2.1 deferred. AUP#In-1350", "4.7.0"),
    "provider.spectrum.account_limited": ("554 5.7.1 cmsmtp account limited. AUP#O-1010", "5.7.1"),
    "provider.spectrum.cannot_process": ("451 4.3.0 cmsmtp try again later. AUP#I-1090", "4.3.0"),
    "provider.spectrum.dns": ("554 5.7.1 cmsmtp 192.0.2.1 no reverse DNS. AUP#I-1100", "5.7.1"),
    "provider.spectrum.domain_policy": ("554 5.7.1 cmsmtp domain policy. AUP#I-1160", "5.7.1"),
    "provider.spectrum.ipv6": ("554 5.7.1 cmsmtp IPv6 not accepted. AUP#I-1260", "5.7.1"),
    "provider.spectrum.size": ("552 5.3.4 cmsmtp message too large. AUP#O-1530", "5.3.4"),
    "provider.spectrum.blocked_wording": (
        "554 impin004.msg.chrl.nc.charter.net cmsmtp 192.0.2.1 blocked. AUP#In-1999",
        "5.7.1",
    ),
    # Tencent: service.mail.qq.com help pages.
    "provider.tencent.rejected_by_recipient": (
        "550 Mail is rejected by recipients https://service.mail.qq.com/detail/122/92",
        "5.0.0",
    ),
    "provider.tencent.deactivated": ("550 a@qq.com is a deactivated mailbox", "5.0.0"),
    "provider.tencent.bad_address_syntax": (
        "501 Bad address syntax. https://service.mail.qq.com/detail/122/167",
        "5.1.3",
    ),
    # Yahoo / AOL.
    "provider.yahoo.no_longer_valid": (
        "554 delivery error: dd a@yahoo.com is no longer valid.",
        "5.0.0",
    ),
    "provider.yahoo.per_connection": (
        "421 Max message per connection reached, closing transmission channel",
        "4.0.0",
    ),
    "provider.yahoo.unresolvable_sender_domain": (
        "451 Message temporarily deferred due to unresolvable RFC.5321 from domain",
        "4.0.0",
    ),
    # Apple iCloud.
    "provider.apple.excessive_volume": (
        "421 4.7.1 Messages to a@icloud.com deferred due to excessive volume. Try again later",
        "4.7.1",
    ),
    # NTT docomo: after DATA, the subscriber's filter.
    "provider.ntt_docomo.unknown_user_after_data": ("550 Unknown user a@docomo.ne.jp", "5.2.0"),
    "provider.ntt_docomo.too_much_mail_data": ("552 Too much mail data", "5.0.0"),
    "provider.ntt_docomo.command_sequence": ("503 Bad sequence of commands", "5.0.0"),
    # Google: "Gmail SMTP errors and codes", "SMTP relay service error messages".
    "provider.google.header_limits": (
        "552-5.3.4 Your message exceeded Google's message header size limits. - gsmtp",
        "5.3.4",
    ),
    "provider.google.relay_denied": (
        "550-5.7.1 Invalid credentials for relay [192.0.2.1]. - gsmtp",
        "5.7.1",
    ),
    "provider.google.helo_refused": ("501-5.5.4 HELO/EHLO argument is invalid. - gsmtp", "5.5.4"),
    "provider.google.mail_sending_denied": ("550-5.7.0 Mail Sending denied. - gsmtp", "5.7.0"),
    "provider.google.connection_expired": (
        "451-4.4.2 Timeout - closing connection. - gsmtp",
        "4.4.2",
    ),
    "provider.google.domain_policy_size": (
        "452-4.5.3 Domain policy size per transaction exceeded, please try this recipient "
        "in a separate transaction. - gsmtp",
        "4.5.3",
    ),
    # Microsoft: "NDRs in Exchange Online" / Exchange Server status codes.
    "provider.microsoft.sender_restricted": (
        "550 5.7.124 Sender not in allowed-senders list",
        "5.7.124",
    ),
    "provider.microsoft.dane_dnssec": (
        "550 5.7.324 dnssec-invalid: Destination domain returned invalid DNSSEC records",
        "5.7.324",
    ),
    "provider.microsoft.ip_reputation_rate": (
        "451 4.7.650 The mail server [192.0.2.5] has been temporarily rate limited due to IP reputation.",
        "4.7.650",
    ),
    "provider.microsoft.access_denied_blocked": ("550 5.7.506 Access denied, Bad HELO", "5.7.506"),
    "provider.microsoft.invalid_helo_domain": ("501 5.5.4 Invalid domain name", "5.5.4"),
    "provider.microsoft.content_errors": (
        "550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds",
        "5.6.11",
    ),
    "provider.microsoft.recipient_size_limit": (
        "550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient",
        "5.2.3",
    ),
    "provider.microsoft.routing_failure": (
        "550 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain",
        "5.4.4",
    ),
    "provider.microsoft.transport_rule": (
        "550 5.7.900 Delivery not authorized, message refused",
        "5.7.900",
    ),
    "provider.microsoft.tls_not_offered": (
        "451 4.4.317 Cannot connect to remote server: STARTTLS is required to send mail",
        "4.4.317",
    ),
    "provider.microsoft.content_filter": (
        "550 5.2.1 Content Filter agent quarantined this message",
        "5.2.1",
    ),
    "provider.microsoft.receive_limits": (
        "550 5.2.122 Recipient's per hour message receive limit exceeded",
        "5.2.122",
    ),
    "provider.microsoft.old_receive_limit": (
        "550 5.2.122 The recipient has exceeded their limit for the number of messages",
        "5.2.122",
    ),
    "provider.microsoft.recipient_suspended": (
        "550 5.7.505 Access denied, banned recipient",
        "5.7.505",
    ),
    "provider.microsoft.mailbox_inaccessible": ("550 5.2.1 Mailbox cannot be accessed", "5.2.1"),
    "provider.microsoft.protocol_sequence": ("503 5.5.2 Send hello first", "5.5.2"),
    "provider.microsoft.service_not_active": ("421 4.3.2 Service not active", "4.3.2"),
    "provider.microsoft.server_problems": (
        "451 4.7.700 PFA agent busy, please try again.",
        "4.7.700",
    ),
    "provider.microsoft.invalid_recipient_address": (
        "550 5.1.6 Recipient addresses in single label domains not accepted",
        "5.1.6",
    ),
    "provider.microsoft.sender_banned": (
        "550 5.7.501 Access denied, spam abuse detected",
        "5.7.501",
    ),
    # Mimecast: "Mimecast SMTP Error Codes".
    "provider.mimecast.ip_reputation": ("550 Local CT IP Reputation - (reject)", "5.0.0"),
    "provider.mimecast.sender_policy_block": (
        "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550",
        "5.0.0",
    ),
    "provider.mimecast.policies": ("550 Anti-Spoofing policy - Inbound not allowed", "5.0.0"),
    "provider.mimecast.encryption_and_auth": ("553 This route requires encryption (TLS)", "5.0.0"),
    "provider.mimecast.account_limits": ("451 Account service is temporarily unavailable", "4.0.0"),
    "provider.mimecast.inbound_disabled": ("451 Account inbounds disabled", "4.0.0"),
    "provider.mimecast.customer_configuration": ("451 Account outbounds disabled", "4.0.0"),
    "provider.mimecast.size_limit": ("554 Maximum email size exceeded", "5.0.0"),
    # Symantec Email Security.cloud (MessageLabs).
    "provider.messagelabs.format_aborted": ("550 Requested action aborted [4]", "5.0.0"),
    # Zoho Mail.
    "provider.zoho.virus": ("552 5.7.1 virus Eicar-Test-Signature detected by Zoho Mail", "5.7.1"),
    "provider.zoho.policy": ("554 5.7.7 Email policy violation detected", "5.7.7"),
    # Zoho's own notice line about mail its user sent.
    "provider.zoho.host_not_reachable": (
        "[Status: Error, Address: <someone@example.com>, ResponseCode 421, , Host not reachable.]",
        "4.0.0",
    ),
    # au's notice: its relay's sentence alone.
    "provider.kddi.smtp_relay_error": ("Due to the following SMTP relay error.", "5.0.0"),
    # Outlook.com's own notice; Exchange Online's codes alone.
    "provider.microsoft.domain_not_reachable": (
        "550 The mail could not be delivered to the recipient because the domain is not"
        " reachable. Please check the domain and try again (-1915321397:308:-2147467259)",
        "5.0.0",
    ),
    "provider.microsoft.dns_query_failed_code": ("550 5.4.312 DNS query failed", "5.4.312"),
    "provider.microsoft.expired_refused_code": (
        "550 5.4.316 Message expired, connection refused (Socket error code 10061)",
        "5.4.316",
    ),
    "provider.microsoft.ip_deferred_code": (
        "451 4.7.850 Service temporarily limited for [192.0.2.1]",
        "4.7.850",
    ),
    "provider.microsoft.relay_denied_code": ("550 5.4.1 Relay Access Denied", "5.4.1"),
    "provider.microsoft.bare_linefeeds_code": ("550 5.6.11 Bare line feeds", "5.6.11"),
    "provider.microsoft.sender_restricted_code": (
        "550 5.7.133 The group only accepts messages from people in its organization",
        "5.7.133",
    ),
    "provider.microsoft.access_denied_code": ("550 5.7.506 Refused: HELO name", "5.7.506"),
    "provider.microsoft.ip_range_limit_code": (
        "550 5.7.508 Access denied, [192.0.2.1] exceeded limits",
        "5.7.508",
    ),
    "provider.microsoft.anonymous_mail_code": (
        "530 5.7.57 Client not authenticated to send mail during MAIL FROM",
        "5.7.57",
    ),
    # Facebook: postmaster.facebook.com/response_codes.
    "provider.facebook.recipient_not_found": (
        "550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp"
        " Recipient address does not exist",
        "5.1.1",
    ),
    "provider.facebook.recipient_settings": (
        "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp"
        " Refused due to recipient preferences",
        "5.1.1",
    ),
    "provider.facebook.recipient_deactivated": ("450 4.2.1 RCP-T4 Recipient deactivated", "4.2.1"),
    "provider.facebook.message_too_big": ("552 5.3.4 MSG-P1 Message too large", "5.3.4"),
    "provider.facebook.content_refused": ("550 5.6.0 MSG-P2 Attachment type refused", "5.6.0"),
    "provider.facebook.virus": ("550 5.7.1 POL-P5 Message contains a virus", "5.7.1"),
    "provider.facebook.server_refused": (
        "450 4.7.1 POL-T1 Not accepting mail from your server, retry later",
        "4.7.1",
    ),
    "provider.facebook.no_reverse_dns": ("550 5.7.1 DNS-P3 No reverse DNS", "5.7.1"),
    "provider.facebook.sender_domain": (
        "550 5.1.8 DNS-P1 MAIL FROM domain does not exist",
        "5.1.8",
    ),
    "provider.facebook.too_many": ("421 4.7.0 CON-T3 Too many new connections", "4.7.0"),
    "provider.facebook.facebook_internal": ("451 4.3.0 INT-T1 Internal error", "4.3.0"),
    # Verizon's MMS gateway.
    "provider.verizon.no_valid_recipients": ("No valid recipients for this MM", "5.1.1"),
    "provider.verizon.no_valid_recipients_unconfirmed": (
        "No valid recipients for this MM",
        "5.0.0",
    ),
}
