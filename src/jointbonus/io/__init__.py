"""The edges for files: reading plan files and CSV rows, field types, the one
atomic writer, CSV cells a spreadsheet cannot run, and optional extras."""

__all__: list[str] = []
