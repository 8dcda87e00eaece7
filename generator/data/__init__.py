"""Between paper and data: prefilled PDFs, the browser form, extraction into tables, monitoring reports.

For the site build: `browser.browser_forms(project)` gives the browser pages (paths under site/forms/),
`fill.sample_fills(project)` the filled sample PDFs of the trainer's kit. Nothing is imported here, so
`casekit check` and the other commands that make no PDF do not load WeasyPrint.
"""
