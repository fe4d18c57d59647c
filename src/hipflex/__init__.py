"""hipflex: a local-first coach for desk workers with tight hip flexors."""

__version__ = "0.1.0"
