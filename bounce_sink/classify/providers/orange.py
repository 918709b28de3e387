"""Orange / Wanadoo and La Poste (France): codes such as OFR_416, LPN007_416.

Both answer in French and English and end a refusal with a tag whose last
three digits are their reason code: ``OFR_416``, ``OFR005_104``,
``LPN007_420``, ``LPNAAA_101``, ``OUK_513`` (the postmaster pages of Orange
and La Poste, as collected by postmastery.com's "Orange postmaster SMTP
error codes" and smtpfieldmanual.com/provider/orange). The code decides
before the wording: ``421 ... Service refuse ... OFR_417`` is the recipient's
full mailbox, not a refusal of service.

Codes 420 ("Boite du destinataire archivee", an archived mailbox) and 426
("Le compte du destinataire est bloque") name an account that exists but is
closed to mail: suspend, soft (product docs). 403/405/415/421 refuse the
envelope sender, never the recipient.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

# The tag before the code: "ofr_", "ofr005_", "lpn105_", "lpn105-", "lpnaaa_", "ouk_".
_TAG = r"\b(?:ofr|lpn|lpnaaa|ouk)(?:\d{3})?[_-]"

PROVIDER = Provider(
    name="orange",
    hosts=r"(?:^|\.)(?:orange\.fr|wanadoo\.fr|laposte\.net|francetelecom\.(?:fr|com)|orange-business\.com)$",
    markers=r"\b(?:ofr|lpn|lpnaaa|ouk)\d*[_-]\d{3}\b",
    domains=("orange.fr", "wanadoo.fr", "laposte.net"),
    patterns=(
        # The codes, one family each, before any wording.
        P("code_invalid_recipient", "user_unknown", _TAG + r"(?:416|418)\b"),
        P("code_mailbox_full", "mailbox_full", _TAG + r"417\b"),
        P("code_closed_account", "suspend", _TAG + r"(?:420|426)\b"),
        P("code_invalid_sender", "rejected", _TAG + r"(?:403|405|415|421)\b"),
        P("code_authentication", "security_error", _TAG + r"(?:305|402)\b"),
        P("code_spf_dmarc", "auth_failure", _TAG + r"(?:401|517)\b"),
        P("code_too_many_connections", "too_many_conn", _TAG + r"104\b"),
        # 101-103 (Spamhaus, Cloudmark, service refused to the IP), 510, 999.
        P("code_blocked", "blocked", _TAG + r"(?:10[1-3]|510|999)\b"),
        P("code_service_unavailable", "system_error", _TAG + r"505\b"),
        P("code_size", "mesg_too_big", _TAG + r"514\b"),
        P("code_client_host_rejected", "policy_violation", _TAG + r"630\b"),
        P(
            "invalid_recipient",
            "user_unknown",
            r"destinataire invalide|invalid recipient|\b(?:ofr|lpn\d*)_416\b",
        ),
        P(
            "mailbox_full",
            "mailbox_full",
            r"boite (?:aux lettres |du destinataire )?pleine|mailbox (?:is )?full|recipient overquota",
        ),
        # "Veuillez verifier la configuration SPF/DNS de votre nom de domaine".
        P("spf_configuration", "auth_failure", r"spf/dns de votre nom de domaine"),
        P("blocked_ip", "blocked", r"\b(?:ofr|lpn\d*)_(?:1\d\d|999)\b|service refus"),
        P(
            "spam",
            "spam_detected",
            r"\b(?:ofr|lpn\d*)_(?:506|509)\b|message (?:identified as |considere comme )?spam",
        ),
        P(
            "too_many_conn",
            "too_many_conn",
            r"\b(?:ofr|lpn\d*)_(?:005|006)\b|trop de connexions|too many connections",
        ),
    ),
)
