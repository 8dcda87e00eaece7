"""Between paper and data: prefilled PDFs, the browser form, extraction into tables, monitoring reports.

For the site build: `browser_forms(project)` gives the browser pages (paths under site/forms/),
`sample_fills(project)` the filled sample PDFs of the trainer's kit.
"""
from .browser import browser_forms
from .fill import sample_fills

__all__ = ["browser_forms", "sample_fills"]
