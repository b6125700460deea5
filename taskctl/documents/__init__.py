"""The documents the office sends: the numbered 督查通报 (bulletin) and the slips of the
escalation ladder (督办单/催办单).  Content is plain data built from the report builders;
``docx`` and ``markdown`` render it.  python-docx is imported only by ``taskctl.documents.docx``."""
