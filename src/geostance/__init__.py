"""geostance: sentence-level kind, stance and source labelling of news."""
__version__ = "0.1.0"
