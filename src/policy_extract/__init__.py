"""policy-extract: Chinese government policy notices → structured, source-grounded JSON.

    >>> import policy_extract
    >>> rec = policy_extract.extract("corpus/004_fuzhou_20897eaf1db86d60.md")
    >>> rec["amounts"][0]["value"]

The steps (ingest → normalize → segment → extract → record) are listed in
``policy_extract.pipeline``.
"""
from .normalize import normalize
from .pipeline import extract, extract_source

__all__ = ["extract", "extract_source", "normalize", "__version__"]
__version__ = "0.1.0"
