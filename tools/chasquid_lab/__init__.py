"""chasquid lab: fixtures from a real chasquid MTA on loopback."""
