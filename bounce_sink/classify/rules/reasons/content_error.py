"""content_error: the message's format or encoding was refused."""

from bounce_sink.classify.rules.model import Pattern

REASON = "content_error"
PATTERNS = (
    Pattern(
        "duplicate_header",
        r"\bduplicate header\b|\bmalformed (?:header|mime|message)\b|\binvalid (?:mime|header|message format)\b",
    ),
    Pattern(
        "bare_lf",
        r"\bbare (?:lf|linefeed|cr)\b|\bline too long\b|\b8-?bit (?:data|characters?) not (?:allowed|accepted)\b",
    ),
    Pattern(
        "content_rejected",
        r"\bcontent (?:type|encoding) (?:not allowed|rejected|not supported)\b|\battachment (?:type )?(?:not allowed|rejected|blocked)\b",
    ),
    Pattern(
        "eight_bit_header",
        r"\bimproper use of 8-?bit data\b|\bmessage header size exceeds\b|\bheader (?:is )?too (?:long|large)\b|"
        r"\bheader size exceeds maximum\b|\bheader size, or recipient list, exceeds\b|\bmime complexity exceeds\b|"
        r"\bimproperly-formatted binary content\b|\bunnecessary base64 encoding\b",
    ),
    # Too many Received: headers (Exim: 'Too many "Received" headers - suspected
    # mail loop'): the message's own header count, as Sisimai files it.
    # amavisd-new's "id=... - BAD HEADER: <what>".
    Pattern("amavis_bad_header", r"\bid=\S+ - bad header\b"),
    Pattern(
        "too_many_received_headers",
        r"\btoo many \"?received\"?:? headers\b",
    ),
)
