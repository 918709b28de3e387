"""A private, loopback-only Exim 4 lab: real bounces from Debian's exim4 for fixtures/exim/."""
