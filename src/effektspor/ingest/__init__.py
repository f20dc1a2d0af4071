"""Readers for CSV, XLSX, JSONL, DOCX, PDF and TXT exports and the import mapping; no database access."""
