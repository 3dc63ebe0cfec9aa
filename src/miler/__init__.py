"""miler: a command-line analyzer of middle-distance race results."""

__version__ = "0.1.0"
