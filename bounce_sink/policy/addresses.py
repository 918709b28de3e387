"""One spelling per address, so a bounce finds the contact the CRM gave us.

DESIGN.md: compare case-insensitively in the domain and with IDN domains in
their A-label form. The local part is kept as written (RFC 5321 lets the
receiving host treat it case-sensitively); lookups fall back to a
case-insensitive match of the whole address because real MTAs often lower-case
Final-Recipient.
"""

from __future__ import annotations

import contextlib

import idna

_TYPE_PREFIXES = ("rfc822;", "utf-8;")


def normalise_address(raw: str) -> str:
    """Bare, comparable form of an address; "" when there is nothing usable.

    Strips an address-type prefix ("rfc822;"), angle brackets and spaces;
    lower-cases the domain and turns a Unicode domain into its A-label. A
    domain that IDNA refuses (e.g. underscores in test hosts) is kept
    lower-cased rather than dropped: a bounce must never be lost over spelling.
    """
    text = raw.strip()
    lowered = text.lower()
    for prefix in _TYPE_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    text = text.strip("<> \t\r\n")
    if "@" not in text:
        return text
    local, _, domain = text.rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError:
            with contextlib.suppress(UnicodeError):
                domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def domain_of(address: str) -> str:
    """The receiving domain of a normalised address ("" when it has none)."""
    return address.rpartition("@")[2] if "@" in address else ""


MAX_ENTERED_ADDRESS = 512
MAX_CRM_PERSON_ID = 128  # the column's width


def entered_address_problem(address: str) -> str | None:
    """Why an address someone entered (the CRM, an admin) cannot be taken, or None.

    Every way in (the CRM endpoint, `crm address-change`, `contacts
    add-address`) asks this, so none of them accepts what another refuses.
    """
    text = address.strip()
    # Judged as it will be stored: "a@>" would otherwise be taken and kept as
    # "a@", an address no bounce can ever match.
    local, at, domain = normalise_address(text).rpartition("@")
    if (
        not at
        or not local
        or not domain
        or len(text) > MAX_ENTERED_ADDRESS
        or any(c.isspace() for c in text)
    ):
        return f"address {text!r} is not an email address"
    return None


def crm_person_id_problem(crm_person_id: str) -> str | None:
    """Why a CRM person id cannot be taken, or None."""
    if not crm_person_id.strip():
        return "a CRM person id is required"
    if len(crm_person_id.strip()) > MAX_CRM_PERSON_ID:
        return f"person_id longer than {MAX_CRM_PERSON_ID} characters"
    return None
