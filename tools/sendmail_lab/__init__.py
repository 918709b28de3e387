"""A private, loopback-only Sendmail 8.17 lab: real bounces from Debian's sendmail for fixtures/sendmail/."""
