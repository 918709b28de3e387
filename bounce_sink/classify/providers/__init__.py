"""Receiving providers, one module each, in an explicit ordered registry.

A provider is tried only when the evidence points at it (host, signature,
or a consumer domain only it hosts); its documented texts then beat the
generic patterns. Order matters only when one message names two providers
(Exchange Online relaying to Gmail): the host that answered should win, so
providers recognised through a host are tried before those recognised by a
signature or a recipient domain (see ``engine``).
"""

from __future__ import annotations

from bounce_sink.classify.providers import (
    amazon_ses,
    amazon_ses_inbound,
    apple,
    comcast,
    cox,
    facebook,
    french_isp,
    godaddy,
    google,
    i_ua,
    kddi,
    mail_ru,
    messagelabs,
    microsoft,
    mimecast,
    ntt_docomo,
    orange,
    proofpoint,
    spectrum,
    t_online,
    tencent,
    united_internet,
    verizon,
    yahoo,
    yandex,
    zoho,
)
from bounce_sink.classify.rules.model import Provider

PROVIDERS: tuple[Provider, ...] = (
    google.PROVIDER,
    microsoft.PROVIDER,
    yahoo.PROVIDER,
    apple.PROVIDER,
    united_internet.PROVIDER,
    t_online.PROVIDER,
    orange.PROVIDER,
    french_isp.PROVIDER,
    cox.PROVIDER,
    comcast.PROVIDER,
    spectrum.PROVIDER,
    mimecast.PROVIDER,
    messagelabs.PROVIDER,
    proofpoint.PROVIDER,
    godaddy.PROVIDER,
    tencent.PROVIDER,
    i_ua.PROVIDER,
    ntt_docomo.PROVIDER,
    kddi.PROVIDER,
    mail_ru.PROVIDER,
    yandex.PROVIDER,
    zoho.PROVIDER,
    facebook.PROVIDER,
    verizon.PROVIDER,
    amazon_ses_inbound.PROVIDER,
    amazon_ses.PROVIDER,
)
