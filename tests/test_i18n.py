"""Translation workflow: catalogs, fuzzy entries, status counts, fallback, --strict, extractor lines."""
import re
from datetime import date
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

from conftest import ROOT, run_casekit

TEMPLATES = ROOT / "generator" / "templates"


def po(root: Path, lang: str) -> Path:
    return root / "translations" / lang / "LC_MESSAGES" / "casekit.po"


def test_khmer_is_complete_without_fuzzy():
    result = run_casekit("i18n", "status", "km")
    assert result.returncode == 0
    assert re.search(r"km: (\d+)/\1 translated \(100\.0%\), 0 fuzzy", result.stdout), result.stdout


def test_update_gives_new_strings_no_guesses_unless_asked(project_copy):
    intake = project_copy / "forms" / "intake.yaml"
    intake.write_text(intake.read_text().replace("label: Place of meeting", "label: Place of the meeting"))
    result = run_casekit("--root", str(project_copy), "i18n", "update")
    assert result.returncode == 0 and "updated km: 1 string(s) to translate or review, 0 of them fuzzy" in result.stdout
    catalog = read_po(po(project_copy, "km").open("rb"))
    entry = catalog.get("Place of the meeting")
    assert entry is not None and not entry.string and not entry.fuzzy  # no guess from a similar string
    assert catalog.obsolete.get("Place of meeting").string  # the old Khmer is kept at the end of the file
    assert ", 0 fuzzy" in run_casekit("--root", str(project_copy), "i18n", "status", "km").stdout


def test_update_with_fuzzy_guesses_from_a_similar_string(project_copy):
    intake = project_copy / "forms" / "intake.yaml"
    intake.write_text(intake.read_text().replace("label: Place of meeting", "label: Place of the meeting"))
    result = run_casekit("--root", str(project_copy), "i18n", "update", "--fuzzy")
    assert result.returncode == 0 and "1 of them fuzzy guesses" in result.stdout
    entry = read_po(po(project_copy, "km").open("rb")).get("Place of the meeting")
    assert entry is not None and entry.fuzzy and entry.string  # the old Khmer, for review
    status = run_casekit("--root", str(project_copy), "i18n", "status", "km").stdout
    assert ", 1 fuzzy" in status


def _partial_lao(root: Path, translated: int, fuzzy: int) -> int:
    assert run_casekit("--root", str(root), "i18n", "init", "lo").returncode == 0
    catalog = read_po(po(root, "lo").open("rb"), locale="lo")
    messages = [m for m in catalog if m.id]
    for i, message in enumerate(messages[:translated + fuzzy]):
        message.string = f"ລາວ {i}"
        if i >= translated:
            message.flags.add("fuzzy")
    with po(root, "lo").open("wb") as out:
        write_po(out, catalog)
    return len(messages)


def test_status_counts_are_exact(project_copy):
    total = _partial_lao(project_copy, translated=30, fuzzy=5)
    out = run_casekit("--root", str(project_copy), "i18n", "status", "lo", "--missing").stdout
    missing = total - 35
    assert f"lo: 30/{total} translated ({100 * 30 / total:.1f}%), 5 fuzzy ({100 * 5 / total:.1f}%), " \
           f"{missing} missing ({100 * missing / total:.1f}%)" in out
    listed = [l for l in out.splitlines() if l.startswith("  ")]
    assert len(listed) == total - 30  # fuzzy ones are listed too: they are not usable yet
    assert re.match(r"  \S+:\d+", listed[0])


def test_third_language_falls_back_to_english_and_strict_fails(project_copy):
    _partial_lao(project_copy, translated=40, fuzzy=0)
    settings = project_copy / "forms" / "settings.yaml"
    settings.write_text(settings.read_text().replace("languages: [en, km]", "languages: [en, km, lo]")
                        + "  lo: {family: Noto Sans}\n")  # Latin placeholders: the shipped Latin font
    result = run_casekit("--root", str(project_copy), "build", "--forms-only")
    assert result.returncode == 0, result.stderr
    assert len(re.findall(r"^lo: \d+ string\(s\) not translated; printed in English", result.stderr, re.M)) == 1
    assert (project_copy / "site" / "forms" / "pdf" / "referral-lo-print-a4.pdf").exists()
    strict = run_casekit("--root", str(project_copy), "build", "--strict", "--forms-only")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "translations/lo" in strict.stderr and "missing" in strict.stderr


def test_extractor_lines_match_the_yaml():
    from generator.i18n.extract import template_catalog
    catalog = template_catalog(ROOT)
    checked = 0
    for message in catalog:
        for filename, line in message.locations:
            if not filename.startswith("forms/"):
                continue
            source = (ROOT / filename).read_text().splitlines()
            text = source[line - 1]
            key, _, rest = text.strip().lstrip("- {").partition(":")
            folded = rest.strip().startswith(">")
            assert key in ("title", "purpose", "completed_by", "when", "instructions", "intro", "label", "hint",
                           "help", "text", "id", "value"), (filename, line, text)
            if not folded and key not in ("id", "value"):
                assert message.id[:20] in text.replace('"', "").replace("\\'", "'") or message.id[:20] in text, (filename, line)
            checked += 1
    assert checked > 500
    assert any(c for m in catalog for c in m.auto_comments if c.startswith("intake.identity.client_name"))


def test_pybabel_finds_the_registered_extractor(tmp_path):
    import subprocess
    import sys
    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "translations/babel.cfg",
                    "-o", str(out), "."], cwd=ROOT, check=True, capture_output=True)
    assert 'msgid "Intake and registration"' in out.read_text()


def test_templates_hold_no_untranslated_text():
    """Every word a user reads in a template goes through tr()/tx(); only codes and units may stay."""
    allowed = {"PDF", "KB", "YAML", "XLSForm", "zip", "casekit", "DD", "MM", "YYYY"}
    problems = []
    for path in TEMPLATES.rglob("*.j2"):
        text = path.read_text()
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
        text = re.sub(r"<(style|script)\b.*?</\1>|```.*?```|<!--.*?-->|^---\n.*?\n---$", " ", text, flags=re.S | re.M)  # front matter: page settings
        text = re.sub(r"\]\([^)]*\)|<[^>]+>|&\w+;|^---$|^title:|^\w+:$|\{ *\.[^}]*\}|!!! \w+", " ", text, flags=re.M)
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text) if w not in allowed]
        if words:
            problems.append((path.name, words[:8]))
    assert problems == []


def test_khmer_dates_and_digits():
    from generator.i18n import Translator
    khmer = Translator("km", {})
    assert "វិច្ឆិកា" in khmer.date(date(2026, 11, 23))
    assert khmer.date(date(2026, 11, 23), khmer_digits=True) == khmer.date(date(2026, 11, 23)).translate(
        str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    assert "២០២៦" in khmer.date(date(2026, 11, 23), khmer_digits=True)


def test_glossary_terms_are_used_in_khmer_strings(project):
    from generator.i18n.catalogs import glossary_mismatches
    mismatches = glossary_mismatches(ROOT, project.glossary)
    assert mismatches == [], mismatches[:10]


def test_glossary_is_complete():
    entries = yaml.safe_load((ROOT / "translations" / "glossary.yaml").read_text())
    assert len(entries) >= 40
    assert all(re.search(r"[\u1780-\u17ff]", e["term"]["km"]) and re.search(r"[\u1780-\u17ff]", e["definition"]["km"])
               for e in entries)


def test_khmer_forms_print_nothing_in_english_by_fallback(project):
    """Every string a Khmer form prints, conditions included, is in the catalog (a template macro that
    translates through a passed-in function once escaped extraction)."""
    from generator.layout import Layout
    from generator.render import VARIANTS, form_html

    for code in ("km", "km+en"):
        layout = Layout.load(ROOT, code)
        for form in project.forms.values():
            for variant in (*VARIANTS, "browser"):
                form_html(project, form, layout, variant)
        assert not layout.missing, (code, sorted(layout.missing))
