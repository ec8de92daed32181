"""The report: tables, charts and the self-contained HTML page."""
