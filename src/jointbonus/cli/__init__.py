"""The ``jointbonus`` command line."""

from jointbonus.cli.commands import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "main"]
