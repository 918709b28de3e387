"""The states a stored message can be in, for the filters of every view.

pending -> parsed | unparsed | other | quarantined (see models.Message.state).
Kept free of imports so a command's option list costs nothing to build.
"""

MESSAGE_STATES = ("pending", "parsed", "unparsed", "other", "quarantined")
