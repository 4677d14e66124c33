"""The version of jointbonus (one place; the package face and the manifest read it)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
