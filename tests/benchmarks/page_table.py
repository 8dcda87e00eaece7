"""Pages per form × layout × paper, as a Markdown table for the README (from site/forms/manifest.json).

Run after `casekit build` (or `python -m generator build --forms-only`): python tests/benchmarks/page_table.py
Print variant; the fillable variant is listed where it differs. The budgets are held by tests/test_page_budgets.py."""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def page_table(files: list[dict]) -> str:
    forms = list(dict.fromkeys(e["form"] for e in files))
    columns = list(dict.fromkeys((e["language"], e["paper"]) for e in files))
    count = {(e["form"], e["language"], e["variant"], e["paper"]): e["pages"] for e in files}

    def cell(form, layout, paper):
        printed, fillable = count.get((form, layout, "print", paper)), count.get((form, layout, "fillable", paper))
        if printed is None:
            return "–"
        return f"{printed}" if fillable in (None, printed) else f"{printed} (fillable {fillable})"

    lines = ["| form | " + " | ".join(f"{layout} {paper.upper() if paper == 'a4' else paper}" for layout, paper in columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for form in forms:
        lines.append(f"| {form} | " + " | ".join(cell(form, layout, paper) for layout, paper in columns) + " |")
    standard = [f for f in forms if f != "workshop_pack"]
    totals = [sum(count.get((f, layout, "print", paper), 0) for f in standard) for layout, paper in columns]
    lines.append("| **all forms** | " + " | ".join(f"**{t}**" for t in totals) + " |")
    return "\n".join(lines)


def main() -> int:
    manifest = ROOT / "site" / "forms" / "manifest.json"
    if not manifest.exists():
        print(f"{manifest} not found: run `python -m generator build --forms-only` first", file=sys.stderr)
        return 1
    files = [e for e in json.loads(manifest.read_text())["files"] if e["variant"] in ("print", "fillable")]
    print(page_table(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
