"""One catalogue of error and warning codes, so every record says what went wrong and what to do.

Codes are stable strings (``E1xx`` input, ``E2xx`` processing, ``W3xx`` warnings); messages
name the file and tell a person what they can act on.
"""
from __future__ import annotations

from dataclasses import dataclass

ERRORS: dict[str, str] = {
    "E101": "file not found: {path}",
    "E102": "file is empty: {path}",
    "E103": "file looks binary (NUL bytes or a known binary signature), not a text notice: {path}",
    "E104": "could not decode {path} as text in any supported encoding (UTF-8, GB18030/GBK, Big5)",
    "E105": "file is larger than the limit ({size} > {limit} bytes): {path}; raise --max-bytes to convert it",
    "E106": "could not read {path}: {reason}",
    "E201": "internal error while converting {path}: {reason}",
    "E202": "conversion of {path} timed out after {seconds} s",
}

WARNINGS: dict[str, str] = {
    "W301": "damaged text (mojibake) at {start}..{end}: {snippet!r}; left unannotated",
    "W302": "encoding guessed as {encoding} with low confidence",
    "W303": "HTML could not be parsed cleanly; fell back to tag stripping",
    "W304": "no year context for {text!r}; written as XXXX",
    "W305": "measure numbering has a gap: {prev} is followed by {next}",
    "W306": "replacement characters (U+FFFD) in the decoded text: {count}",
}


class PolicyExtractError(Exception):
    """An error with a catalogue code; ``record()`` turns it into a per-file error record."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        template = ERRORS.get(code, "{reason}")
        try:
            message = template.format(**params)
        except (KeyError, IndexError):
            message = f"{template} {params}"
        super().__init__(f"{code}: {message}")
        self.message = message

    def record(self, doc_id: str, path: str | None = None) -> dict[str, object]:
        """The error record a batch writes in place of a result."""
        return {
            "schema": "policy-extract/1",
            "doc_id": doc_id,
            "error": {"code": self.code, "message": self.message, "path": path},
        }


@dataclass(frozen=True)
class Warn:
    """A non-fatal finding about one document (kept in the record's ``warnings``)."""

    code: str
    message: str
    start: int | None = None
    end: int | None = None

    @classmethod
    def make(cls, code: str, start: int | None = None, end: int | None = None, **params: object) -> Warn:
        return cls(code, WARNINGS[code].format(start=start, end=end, **params), start, end)

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"code": self.code, "message": self.message}
        if self.start is not None:
            d["start"], d["end"] = self.start, self.end
        return d
