"""A private, loopback-only Postfix lab: real DSNs for fixtures and the Postfix routing tests."""
