"""The Haraka lab: fixtures/haraka/ from a real Haraka 3 relaying on loopback."""
