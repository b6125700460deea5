"""Moving the ledger in and out of files: the Friday weekly export, the full
ledger export and the CSV/XLSX ledger import.

Nothing here imports typer or rich; openpyxl is imported only in
``taskctl.transfer.xlsx``.
"""
