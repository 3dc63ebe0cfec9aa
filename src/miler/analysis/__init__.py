"""Pure analyses: DataFrame in, DataFrame (or a small dataclass) out. Nothing here prints or reads files."""
