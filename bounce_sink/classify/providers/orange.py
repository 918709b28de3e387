"""Orange / Wanadoo and La Poste (France): codes such as OFR_416, LPN007_416.

Both answer in French and English; the numeric tag after OFR_/LPN is their
documented reason code (416 is an invalid recipient).
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="orange",
    hosts=r"(?:^|\.)(?:orange\.fr|wanadoo\.fr|laposte\.net|francetelecom\.(?:fr|com)|orange-business\.com)$",
    markers=r"\b(?:ofr|lpn)\d*_\d{3}\b",
    domains=("orange.fr", "wanadoo.fr", "laposte.net"),
    patterns=(
        P(
            "invalid_recipient",
            "user_unknown",
            r"destinataire invalide|invalid recipient|\b(?:ofr|lpn\d*)_416\b|\b(?:ofr|lpn\d*)_417\b",
        ),
        P(
            "mailbox_full",
            "mailbox_full",
            r"boite (?:aux lettres )?pleine|mailbox (?:is )?full|\b(?:ofr|lpn\d*)_4(?:20|21)\b",
        ),
        P("blocked_ip", "blocked", r"\b(?:ofr|lpn\d*)_(?:1\d\d|999)\b|service refus"),
        P(
            "spam",
            "spam_detected",
            r"\b(?:ofr|lpn\d*)_(?:506|509)\b|message (?:identified as |considere comme )?spam",
        ),
        P(
            "too_many_conn",
            "too_many_conn",
            r"\b(?:ofr|lpn\d*)_(?:005|006|421)\b|trop de connexions|too many connections",
        ),
    ),
)
