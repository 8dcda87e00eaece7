"""Property test of the definition loader: whatever the file holds, the answer is a Form or an InputError.

Random YAML documents, random text, and mutations of the real forms (lines dropped, repeated, swapped,
re-indented, characters inserted; values in the parsed form replaced by random ones) go through
`load_form`. Any other exception, or an example slower than the deadline (a hang), fails the test.

The default run is bounded for CI (about 60 s on a busy 2-core machine). For a longer search:

    CASEKIT_PROPERTY_EXAMPLES=20000 python -m pytest tests/test_loader_property.py
"""
from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.errors import InputError
from generator.model import load_form, load_lists

EXAMPLES = int(os.environ.get("CASEKIT_PROPERTY_EXAMPLES", "300"))
BOUNDED = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=5), derandomize=EXAMPLES <= 300,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], database=None)
FORMS = sorted(p for p in (ROOT / "forms").glob("*.yaml") if p.name not in ("settings.yaml", "lists.yaml"))
TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in FORMS}
LISTS, _ = load_lists(ROOT / "forms" / "lists.yaml")
WORK = Path(tempfile.mkdtemp(prefix="casekit-property-"))

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["text", "choice", "yes", "no", "2026-11-01", "1.0", "intake", "id", "kind",
                                     "label", "sections", "fields", "show_if", "is", "field", "options"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                       st.dictionaries(st.text(max_size=12) | st.sampled_from(
                                                           ["id", "kind", "label", "fields", "options", "show_if",
                                                            "list", "columns", "items", "value"]), inner, max_size=5)),
                      max_leaves=30)


def load(form_id: str, text: str | bytes) -> None:
    path = WORK / f"{form_id}.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        load_form(path, LISTS)
    except InputError as error:
        assert error.problems and all(str(p) for p in error.problems)


@BOUNDED
@given(st.text(max_size=300))
def test_random_text(text):
    load("random", text)


@BOUNDED
@given(values)
def test_random_yaml_documents(value):
    load("random", yaml.safe_dump(value, allow_unicode=True))


@st.composite
def line_mutations(draw):
    form_id = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[form_id].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "indent", "dedent", "insert", "truncate"]))
        if action == "drop":
            del lines[i]
        elif action == "repeat":
            lines.insert(j, lines[i])
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        elif action == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(min_size=1, max_size=5)) + lines[i][at:]
        else:
            lines = lines[:i]
        if not lines:
            break
    return form_id, "".join(lines)


@BOUNDED
@given(line_mutations())
def test_mutated_real_forms(mutation):
    load(*mutation)


@st.composite
def value_mutations(draw):
    """A real form parsed, one of its values (anywhere in the tree) replaced by a random value."""
    form_id = draw(st.sampled_from(sorted(TEXTS)))
    doc = yaml.safe_load(TEXTS[form_id])
    for _ in range(draw(st.integers(1, 3))):
        node, key = doc, None
        while True:
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
            if not children or draw(st.integers(0, 3)) == 0:
                break
            key, child = children[draw(st.integers(0, len(children) - 1))]
            if not isinstance(child, (dict, list)) or draw(st.integers(0, 4)) == 0:
                node[key] = draw(values)
                break
            node = child
    return form_id, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@BOUNDED
@given(value_mutations())
def test_mutated_real_form_values(mutation):
    load(*mutation)
