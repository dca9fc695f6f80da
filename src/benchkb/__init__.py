"""benchkb: a knowledge base of the numeric claims in paper abstracts."""

from benchkb.errors import BenchkbError
from benchkb.kb import KB

__all__ = ["KB", "BenchkbError"]
__version__ = "0.1.0"
