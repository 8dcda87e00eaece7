"""`casekit scan`: filled pages of every form and layout, scanned at 200 dpi with skew and noise (made without a
printer, tests/scan_pages.py), come back as the values ticked on them, through the review files and
`casekit extract`; pages that are not a casekit form's are reported, never guessed."""
from __future__ import annotations

import json
import random

import cv2
import numpy as np
import pytest

from conftest import run_casekit
from generator.data.values import missing_required
from generator.scan.marks import PageId
from generator.scan.read import read_page
from scan_pages import Condition, degrade, fill, printed_sheets, random_values

LAYOUTS = ("en", "km", "km+en")
SCAN = Condition("200 dpi, ±2°, noise", dpi=200, rotation=2, scale=0.01, shift_mm=2, noise=8, blur=0.6, jpeg=80)


@pytest.fixture(scope="module")
def scanned(project, tmp_path_factory):
    """Every form in every layout (A4), filled at random, its pages shuffled into one stack, some upside down."""
    folder = tmp_path_factory.mktemp("scan")
    printed, layout_map = printed_sheets(project, list(project.forms), LAYOUTS)
    (folder / "layout-map.json").write_text(json.dumps(layout_map))
    rng = random.Random(11)
    expected, files = {}, []
    for key, (pdf, sheet) in printed.items():
        form = project.forms[key.split("/")[0]]
        values = random_values(form, rng)
        expected[key] = values
        filled = fill(pdf, sheet, form, values, SCAN.dpi, rng)
        for number, image in enumerate(filled.pages, start=1):
            turned = Condition(**{**SCAN.__dict__, "upside_down": number % 3 == 0})
            files.append((f"{key.replace('/', '_')}-{number}.jpg", degrade(image, turned, rng)))
    rng.shuffle(files)
    for name, data in files:
        (folder / name).write_bytes(data)
    (folder / "blank.png").write_bytes(cv2.imencode(".png", np.full((2300, 1650), 248, np.uint8))[1].tobytes())
    result = run_casekit("scan", *sorted(str(folder / n) for n, _ in files), str(folder / "blank.png"),
                         "-o", str(folder / "out"), "--map", str(folder / "layout-map.json"))
    return folder, expected, result


def test_every_page_is_identified_and_the_blank_sheet_reported(scanned):
    folder, expected, result = scanned
    assert result.returncode == 0, result.stderr
    assert "blank.png: a blank sheet: no casekit QR code found" in result.stderr
    saved = [json.loads(p.read_text()) for p in (folder / "out" / "forms").glob("*.json")]
    assert sorted(s["scan"]["sheet"] for s in saved) == sorted(expected)  # one copy per form and layout
    assert all(not s["scan"]["missing_pages"] for s in saved)


def test_ticks_come_back_and_what_is_not_sure_is_flagged(scanned, project):
    folder, expected, _ = scanned
    flagged = total = uncertain = 0
    for path in (folder / "out" / "forms").glob("*.json"):
        saved = json.loads(path.read_text())
        form = project.forms[saved["form"]]
        review = {item["field"] for item in saved["scan"]["review"] if item["kind"] in ("uncertain", "corrected", "several", "off-paper")}
        want = expected[saved["scan"]["sheet"]]
        for data_field in form.data_fields:
            if data_field.widget not in ("radio", "checkbox", "checkboxes"):
                continue
            total += 1
            if data_field.name in review:
                flagged += 1
                continue
            assert saved["values"][data_field.name] == want.get(data_field.name, ""), (path.name, data_field.name)
        uncertain += sum(item["kind"] == "uncertain" for item in saved["scan"]["review"])
        crops = [item["crop"] for item in saved["scan"]["review"] if "crop" in item]
        assert crops and all((folder / "out" / crop).is_file() for crop in crops)
    # flagged: mostly boxes blacked out (corrections, and boxes filled in whole); unsure readings are rare
    assert flagged < 0.35 * total and uncertain <= 0.02 * total, (flagged, uncertain, total)


def test_reviewed_forms_go_through_casekit_extract(scanned, project):
    """The clerk types what the crops show (here: any valid value) and corrects the flagged ticks; extract reads it."""
    folder, expected, _ = scanned
    reviewed = {}
    typed = {"text": "Dara", "date": "2026-11-03", "number": "3", "digits": "12345678"}
    for path in (folder / "out" / "forms").glob("*.json"):
        saved = json.loads(path.read_text())
        form = project.forms[saved["form"]]
        values = {**saved["values"], **expected[saved["scan"]["sheet"]], "agency_case_number": "00012345"}
        for data_field in missing_required(form, values):
            values[data_field.name] = "yes" if data_field.widget == "checkbox" else \
                data_field.options[0].value if data_field.options else \
                typed.get(data_field.kind, "Dara")[:data_field.max_length or None]  # a required answer left empty
        saved["values"] = values
        reviewed[saved["scan"]["sheet"]] = values
        path.write_text(json.dumps(saved, ensure_ascii=False))
    for form_id in project.forms:
        forms = sorted(str(p) for p in (folder / "out" / "forms").glob(f"{form_id}-*.json"))
        table = folder / f"{form_id}-table.json"
        result = run_casekit("extract", *forms, "-o", str(table))
        assert result.returncode == 0, result.stderr
        rows = json.loads(table.read_text())
        assert len(rows) == len(LAYOUTS)
        for row in rows:
            key = next(k for k in expected if k.startswith(f"{form_id}/") and k.endswith(f"/{row['_language']}/a4"))
            for name, value in expected[key].items():  # what was ticked on paper
                assert row[name] == reviewed[key][name] == value, (form_id, row["_language"], name)


def test_nothing_readable_is_exit_status_1_and_writes_nothing(tmp_path, scanned):
    folder, _, _ = scanned
    photo = tmp_path / "photo.jpg"
    image = np.random.default_rng(1).integers(0, 255, (900, 1200), np.uint8)
    photo.write_bytes(cv2.imencode(".jpg", cv2.GaussianBlur(image, (0, 0), 5))[1].tobytes())
    (tmp_path / "notes.txt").write_text("not a scan")
    result = run_casekit("scan", str(photo), str(tmp_path / "notes.txt"), "-o", str(tmp_path / "out"),
                         "--map", str(folder / "layout-map.json"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "photo.jpg: no casekit page" in result.stderr and "notes.txt: give scanned PDFs or photos" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_page_of_another_version_is_reported_not_guessed(scanned):
    folder, _, _ = scanned
    page = next(folder.glob("intake_*_en_a4-1.jpg"))
    sheets = json.loads((folder / "layout-map.json").read_text())["sheets"]
    gray = cv2.imread(str(page), cv2.IMREAD_GRAYSCALE)
    key = next(k for k in sheets if k.startswith("intake/") and k.endswith("/en/a4"))
    moved = {k.replace(f"/{key.split('/')[1]}/", "/9.9/") if k.startswith("intake/") else k: v for k, v in sheets.items()}
    read = read_page(gray, page.name, moved)
    assert read.problem.startswith(f"version {key.split('/')[1]} of form 'intake' is not in the layout map (it has: 9.9)")
    assert PageId.parse(PageId("client_fund_request", "2.0", "km+en", "letter", 12).payload()) == \
        PageId("client_fund_request", "2.0", "km+en", "letter", 12)


def test_fillable_pages_carry_the_same_code_and_marks(project):
    """A page printed from the fillable PDF (or a filled copy of it) is read like the print PDF's."""
    from generator.files import cache_dir
    from generator.forms_pdf import PdfCache, PdfJob, render_all
    from generator.scan.read import find_code
    from scan_pages import rasterize
    job = PdfJob("referral", "km+en", "fillable", "letter")
    result = render_all(project, [job], PdfCache(cache_dir(project.root) / "pdf"))[0]
    pages = rasterize(result.pdf, 150)
    version = project.forms["referral"].version
    for number, page in enumerate(pages, start=1):
        page_id, _, corners = find_code(page)
        assert page_id == PageId("referral", version, "km+en", "letter", number)
        assert corners[:, 0].max() < 20 / 25.4 * 150  # in the binding margin, bottom left
        assert corners[:, 1].min() > (279.4 - 30) / 25.4 * 150


def _read(project, key, sheet, image, condition, rng, other=None):
    """One filled page scanned under `condition` and read as `casekit scan` reads it: (page, ticks by row)."""
    from generator.scan.scan import Copy, page_ticks
    gray = cv2.imdecode(np.frombuffer(degrade(image, condition, rng, other), np.uint8), cv2.IMREAD_GRAYSCALE)
    page = read_page(gray, key, {key: sheet})
    if page.problem or page.page_id.sheet != key:
        return page, {}
    form = project.forms[key.split("/")[0]]
    return page, page_ticks(Copy(form, key, page.page_id.layout, {page.page_id.page: page}), sheet)


def test_a_box_filled_in_is_a_correction_sent_to_review_and_a_hatched_box_a_tick(project):
    """The forms' rule: tick or cross; to cancel an answer, fill its box in completely."""
    from generator.scan.scan import Copy, read_copy, slot_index
    printed, _ = printed_sheets(project, ["intake"], ("en",))
    key, (pdf, sheet) = next(iter(printed.items()))
    form = project.forms["intake"]
    rng = random.Random(5)
    filled = fill(pdf, sheet, form, random_values(form, rng), SCAN.dpi, rng, styles=("shaded",), corrections=0.3)
    slots = slot_index(sheet)
    pages, states = {}, {"shaded": [], "corrected": [], "": []}
    for number, image in enumerate(filled.pages, start=1):
        pages[number], ticks = _read(project, key, sheet, image, SCAN, rng)
        for slot_name, option, on_page, _, mark in filled.boxes:
            if on_page == number:
                states[mark].append(ticks[tuple(slots[slot_name, option][0])].state)
    assert len(states["corrected"]) > 10 and len(states["shaded"]) > 10
    assert "ticked" not in states["corrected"] and states["corrected"].count("corrected") >= len(states["corrected"]) - 1
    assert not {"empty", "corrected"} & set(states["shaded"]) and states["shaded"].count("ticked") >= len(states["shaded"]) - 1
    assert set(states[""]) <= {"empty", "uncertain"} and states[""].count("uncertain") <= 1
    _, review, crops = read_copy(Copy(form, key, "en", pages), sheet, "intake-1")
    corrected = {(item["field"], item["option"]) for item in review if item["kind"] == "corrected"}
    cancelled = {(slot_name.split("__")[0], option) for slot_name, option, _, _, mark in filled.boxes if mark == "corrected"}
    assert len(cancelled - corrected) <= 1 and corrected <= cancelled
    assert all(item["crop"] in crops for item in review if item["kind"] == "corrected")


def test_a_page_under_another_sheet_still_reads_or_is_reported(project):
    """Another sheet over the top, right or bottom edge (corner marks covered): the ticks still come back; over
    the left edge it may cover the QR code, and then the page is reported, never taken for another page."""
    from generator.scan.scan import slot_index
    printed, _ = printed_sheets(project, ["referral"], ("km+en",), "letter")
    key, (pdf, sheet) = next(iter(printed.items()))
    form = project.forms["referral"]
    rng = random.Random(8)
    slots = slot_index(sheet)
    read = 0
    for sides in (("top",), ("right",), ("bottom",), ("left",)):
        covered = Condition(**{**SCAN.__dict__, "overlap_mm": 12, "overlap_sides": sides})
        filled = fill(pdf, sheet, form, random_values(form, rng), SCAN.dpi, rng)
        for number, image in enumerate(filled.pages, start=1):
            page, ticks = _read(project, key, sheet, image, covered, rng, filled.pages[number % len(filled.pages)])
            if page.problem:
                assert sides == ("left",) and "no casekit QR code found" in page.problem, page.problem
                continue
            assert page.page_id.sheet == key and page.page_id.page == number
            read += 1
            for slot_name, option, on_page, meant, mark in filled.boxes:
                if on_page == number:
                    state = ticks[tuple(slots[slot_name, option][0])].state
                    want = {"ticked"} if meant else {"corrected", "empty"} if mark else {"empty"}
                    assert state in want | {"uncertain"}, (sides, number, slot_name, option, mark, state)
    assert read >= 3 * len(filled.pages)
