"""Grading against gold. PLACEHOLDER until the grading issue lands."""
