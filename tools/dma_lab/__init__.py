"""A private, loopback-only dma (DragonFly Mail Agent) lab: real bounces from Debian's dma for fixtures/dma/."""
