"""A private, loopback-only Courier MTA lab: real bounces from Debian's courier-mta for fixtures/courier/."""
