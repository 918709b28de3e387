"""Every reply intake sends on purpose, named for what it makes the client do."""

from __future__ import annotations

# RCPT
RCPT_OK = "250 2.1.5 Ok"
# Never an open relay: only our bounce addresses are ours to accept.
RELAY_DENIED = "550 5.7.1 Relaying denied: this host only accepts bounces for its own domains"

# DATA / end of data
# 250 only once the bytes are committed; the id lets an admin find it.
STORED = "250 2.0.0 Ok: stored as message {message_id}"
# 451 makes the reporting MTA keep the DSN and retry; nothing was stored.
STORE_FAILED = "451 4.3.0 Temporary failure storing the message, try again later"
# Above the hard cap only: a 552 makes the reporting MTA drop the bounce for good.
TOO_BIG = "552 5.3.4 Message size exceeds fixed maximum message size"
