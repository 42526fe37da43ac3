"""digigov: an open-source platform for a digital government."""

__version__ = "0.1.0"
