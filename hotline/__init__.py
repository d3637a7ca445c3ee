"""Hotline: an analytics warehouse for service hotlines and contact centers."""

__version__ = "0.1.0"
