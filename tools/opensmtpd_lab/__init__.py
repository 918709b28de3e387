"""A private, loopback-only OpenSMTPD lab: real bounces from Debian's opensmtpd package for fixtures."""
