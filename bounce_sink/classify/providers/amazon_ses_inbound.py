"""Amazon SES email receiving (inbound-smtp.<region>.amazonaws.com).

SES inbound never looks a mailbox up: every refusal it sends is a receipt
rule's Bounce action, whose reply code, status and text the domain's
administrator picks (the console offers templates such as "Mailbox does not
exist", 550 5.1.1; "Mailbox full"; "Message content rejected"). A rule
fires on whatever conditions its author set, so "Mailbox does not exist"
here proves no lookup and is read as ``filtered``, soft: a wrong hard bounce
unsubscribes a real person. The other templates say what they mean and are
left to the generic rules. (AWS: "Return bounce response action",
https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-bounce.html;
the BounceAction API: SmtpReplyCode, StatusCode and Message are the rule
author's.)
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="amazon_ses_inbound",
    hosts=r"^inbound-smtp\.[a-z0-9-]+\.amazonaws\.com$",
    patterns=(P("receipt_rule_mailbox_template", "filtered", r"\bmailbox does not exist\b"),),
)
