"""casekit: case-management forms and a bilingual handbook from one YAML definition per form."""

__version__ = "0.1.0"
