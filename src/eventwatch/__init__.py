"""eventwatch: conflict reporting in, sourced and structured event data out."""

__version__ = "0.1.0"
