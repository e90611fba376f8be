"""DOCX (python-docx) and ODT (odfdo) files from a list of blocks.

Text always goes in as plain text runs/paragraph text: the libraries escape it as XML
character data, so nothing a user typed can become a field, macro, hyperlink or markup.
"""

import io

from docx import Document as DocxDocument
from docx.shared import Pt
from odfdo import Document as OdfDocument
from odfdo import Header, List, ListItem, Paragraph

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
DOCX_HEADINGS = {"title": 0, "h1": 1, "h2": 2}
ODT_HEADINGS = {"title": 1, "h1": 2, "h2": 3}


def write_docx(blocks, title):
    doc = DocxDocument()
    doc.core_properties.title = title
    doc.core_properties.author = ""
    doc.core_properties.comments = "Erstellt mit der Skalierungsroadmap – Entwurf zum Bearbeiten."
    doc.styles["Normal"].font.size = Pt(11)
    for block in blocks:
        if block.kind in DOCX_HEADINGS:
            doc.add_heading(level=DOCX_HEADINGS[block.kind]).add_run(block.text)
        elif block.kind == "li":
            doc.add_paragraph(style="List Bullet").add_run(block.text)
        else:
            doc.add_paragraph().add_run(block.text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_odt(blocks, title):
    doc = OdfDocument("text")
    doc.meta.title = title
    body = doc.body
    body.clear()
    current_list = None
    for block in blocks:
        if block.kind == "li":
            if current_list is None:
                current_list = List()
                body.append(current_list)
            item = ListItem()
            item.append(Paragraph(block.text))
            current_list.append(item)
            continue
        current_list = None
        if block.kind in ODT_HEADINGS:
            body.append(Header(ODT_HEADINGS[block.kind], block.text))
        else:
            body.append(Paragraph(block.text))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
