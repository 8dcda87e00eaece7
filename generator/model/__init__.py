"""The validated form model: the only code that reads the YAML definitions."""
from .forms import (ChoiceList, Column, Condition, DataField, Field, Form, GlossaryTerm, GridItem, Option,
                    Project, Section, Settings)
from .load import load_form, load_lists, load_project

__all__ = ["ChoiceList", "Column", "Condition", "DataField", "Field", "Form", "GlossaryTerm", "GridItem",
           "Option", "Project", "Section", "Settings", "load_form", "load_lists", "load_project"]
