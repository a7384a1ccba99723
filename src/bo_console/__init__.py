"""bo-console: a terminal back-office console."""

__version__ = "0.1.0"
