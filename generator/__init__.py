"""webdev-new: generate a hosting-ready Django or Flask project."""

__version__ = "0.1.0"
