"""`hotline report`: the HTML report a manager opens in the morning (issue 13).

Reads only the published `serving.duckdb` (read-only) and writes one self-contained HTML file:
charts are Vega-Lite specs (Altair) rendered by the vega-embed bundle inlined in the page.
"""

from hotline.report.data import ReportError
from hotline.report.page import Report, build_report, default_path, parse_day, write_report

__all__ = ["Report", "ReportError", "build_report", "default_path", "parse_day", "write_report"]
