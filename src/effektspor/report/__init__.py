"""Rendering of reports (HTML, DOCX, XLSX) from report models."""
