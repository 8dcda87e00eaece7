"""Values stamped onto the blank print form: the form is laid out once, each row lays out only its values.

A mail merge of hundreds of referrals would otherwise lay out the whole form again for every row.
One render of the blank form, laid out as the PDF matrix lays it out (forms_pdf.render_sheet: the same
HTML and stylesheet, so the same page as the print PDF, byte for byte), gives its PDF and the place of
every box and writing line (the template marks them `data-slot`). Each row then renders a page-sized layer holding just its values,
shaped by WeasyPrint like any page text, and the layer is merged onto the blank pages. So a stamped
form keeps the page breaks of the blank form that offices know. A value that does not fit its box
gives None: the caller lays out the whole form with the value in the page instead.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from ..layout import Layout
from ..model import Form, Project
from ..pdf import document_pdf, render_document
from ..render import environment, form_html, stylesheet
from ..slots import Slot, boxes, slots_of

EDGE = 0.5  # px of rounding a value may pass its box by


@dataclass
class Sheet:
    """A blank print form and where its values go. Key: (slot name, tick value or digit index or None)."""

    pdf: bytes
    page_size: tuple[float, float]
    pages: int
    slots: dict[tuple[str, str | None], list[Slot]]
    lang: str


def blank_sheet(project: Project, form: Form, layout: Layout, paper: str) -> Sheet:
    html = form_html(project, form, layout, "fillable", paper, css_apart=True)  # the layout of the print PDF
    document = render_document(html, True, str(stylesheet()))
    first = document.pages[0]
    return Sheet(document_pdf(document, html, fillable=False), (first.width, first.height), len(document.pages),
                 slots_of(document), layout.lang)


def _stamps(sheet: Sheet, filled: dict[str, str]) -> list[list[tuple[Slot, str]]] | None:
    """The values on each page, or None when a value has no place on the blank form."""
    pages = [[] for _ in range(sheet.pages)]
    for key, value in filled.items():
        if (key, value) in sheet.slots:  # a ticked box
            places = [(slot, "") for slot in sheet.slots[key, value]]
        elif (key, "0") in sheet.slots:  # one character per box
            if (key, str(len(value) - 1)) not in sheet.slots:
                return None
            places = [(slot, char) for index, char in enumerate(value) for slot in sheet.slots[key, str(index)]]
        elif (key, None) in sheet.slots:
            places = [(slot, value) for slot in sheet.slots[key, None]]
        else:
            return None
        for slot, text in places:
            pages[slot.page].append((slot, text))
    return pages


def _fits(document) -> bool:
    for page in document.pages:
        for box in boxes(page._page_box):
            if box.element is None or "stamp" not in box.element.get("class", "").split():
                continue
            right, bottom = box.content_box_x() + box.width + EDGE, box.content_box_y() + box.height + EDGE
            if any(inner.position_x + inner.margin_width() > right or inner.position_y + inner.margin_height() > bottom
                   for inner in boxes(box) if inner is not box):
                return False
    return True


def stamp(sheet: Sheet, filled: dict[str, str]) -> bytes | None:
    """The blank form with the values on it, or None when one does not fit (or has no place) on it."""
    pages = _stamps(sheet, filled)
    if pages is None:
        return None
    html = environment().get_template("fill_layer.html.j2").render(
        lang=sheet.lang, pages=pages, page_width=sheet.page_size[0], page_height=sheet.page_size[1])
    layer = render_document(html, fillable=False, stylesheet=stylesheet("fill_layer.css"))
    if not _fits(layer):
        return None
    return _merged(sheet.pdf, layer.write_pdf(), [bool(stamps) for stamps in pages])


@lru_cache(maxsize=2)
def _blank(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))  # parsed once per process, cloned for each row


def _merged(blank: bytes, layer: bytes, stamped: list[bool]) -> bytes:
    """The layer's pages drawn over the blank pages as form XObjects: no content stream is parsed or rewritten."""
    writer = PdfWriter(clone_from=_blank(blank))
    for page, layer_page, has_values in zip(writer.pages, PdfReader(io.BytesIO(layer)).pages, stamped):
        if not has_values:
            continue
        values = DecodedStreamObject()
        values.set_data(layer_page.get_contents().get_data())
        values.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): layer_page.mediabox,
                       NameObject("/Resources"): layer_page["/Resources"].get_object().clone(writer)})
        # WeasyPrint shares one resource dictionary between pages: each page gets its own, with its own layer
        resources = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/CasekitValues")] = writer._add_object(values.flate_encode())  # pypdf has no public call
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        draw = DecodedStreamObject()
        draw.set_data(b"Q q /CasekitValues Do Q")
        save = DecodedStreamObject()
        save.set_data(b"q")
        contents = page.raw_get("/Contents")
        contents = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(save), *contents, writer._add_object(draw)])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
