"""The views of a result: documents, tables, Markdown pages, statements, the
transparency report, files, and the Excel and pandas exports. They compute no money."""

__all__: list[str] = []
