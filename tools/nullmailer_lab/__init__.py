"""A private, loopback-only nullmailer lab: real bounces from Debian's nullmailer for fixtures/nullmailer/."""
