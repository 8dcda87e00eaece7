"""Paper back to data: marks and a page code on every printed form page, and `casekit scan` that reads them."""
