"""The validated form model: the only code that reads the YAML definitions."""
from .forms import (ChoiceList, Column, Condition, DataField, Field, Font, Form, GlossaryTerm, GridItem, Option,
                    Project, Section, Settings)
from .load import load_form, load_lists, load_project, site_language_problems

__all__ = ["ChoiceList", "Column", "Condition", "DataField", "Field", "Font", "Form", "GlossaryTerm", "GridItem",
           "Option", "Project", "Section", "Settings", "load_form", "load_lists", "load_project",
           "site_language_problems"]
