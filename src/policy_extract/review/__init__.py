"""The review app: policy staff check and correct extracted fields; corrections become gold.

Modules: ``store`` (predictions in, gold out, version check), ``server`` (HTTP API + static
UI), ``labelstudio`` (export predictions / import annotations), ``report`` (one static,
self-contained HTML file). Used by ``policy-extract review`` and ``policy-extract report``.
"""
from . import labelstudio
from .labelstudio import export_labelstudio, import_labelstudio
from .report import write_report
from .server import ReviewServer, serve
from .store import StaleVersion, Store

__all__ = ["Store", "StaleVersion", "ReviewServer", "serve", "export_labelstudio",
           "import_labelstudio", "write_report", "labelstudio"]
