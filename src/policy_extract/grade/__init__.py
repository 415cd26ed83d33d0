"""Grading against gold: value-level P/R/F1 per field type, attribute accuracy, meta accuracy.

    >>> from policy_extract.grade import grade_dirs, format_table
    >>> print(format_table(grade_dirs("gold", "out/json")))

Keys per field type are in `keys.py`, the pairing in `match.py`, per-document scoring in
`score.py`, folder grading and printing in `report.py`, the regression gate's floors in
`floors.py`. Used by `policy-extract grade`, `tests/test_gold_gate.py` and the review app.
"""
from .keys import FIELD_SPECS, META_KEYS, date_key, norm_text
from .load import GradeInputError
from .report import Report, format_errors, format_table, grade_dirs
from .score import FIELDS, GRADABLE, DocScore, FieldCounts, Finding, grade_records

__all__ = ["grade_dirs", "grade_records", "Report", "DocScore", "FieldCounts", "Finding",
           "format_table", "format_errors", "GradeInputError", "FIELDS", "GRADABLE",
           "FIELD_SPECS", "META_KEYS", "date_key", "norm_text"]
