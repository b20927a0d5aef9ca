"""Documents with active content, bombs and polyglots: every one is built here, refused
by check_upload with a message naming the file and the reason, and nothing is written
(no Bukti row, no file on disk) when it is sent through the upload page. The ordinary
documents of each kind are still accepted."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from evidence.files import check_upload
from evidence.models import BerkasBukti, Bukti
from tests import files

# --- PDF ---------------------------------------------------------------------------------


def pdf(*, catalog: bytes = b"", page: bytes = b"", extra: list[bytes] | None = None) -> bytes:
    """A well-formed one-page PDF (correct xref) with additions to its catalog, its page
    and further objects numbered from 5."""
    content = b"BT /F1 14 Tf 60 780 Td (Bukti) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + page + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *(extra or []),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\)) >>"
LINK = b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A %s >>"

HOSTILE_PDFS = {
    "names-javascript": (
        pdf(catalog=b"/Names << /JavaScript << /Names [(a) 5 0 R] >> >>", extra=[JS_ACTION]),
        "JavaScript",
    ),
    "openaction-javascript": (pdf(catalog=b"/OpenAction 5 0 R", extra=[JS_ACTION]), "JavaScript"),
    # The same key written with a #-escape (/J#53 is /JS): the parser decodes names.
    "escaped-name": (
        pdf(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        "JavaScript",
    ),
    "openaction-launch": (
        pdf(catalog=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        "/Launch",
    ),
    "link-launch": (
        pdf(page=b"/Annots [5 0 R]", extra=[LINK % b"<< /S /Launch /F (calc.exe) >>"]),
        "/Launch",
    ),
    "page-aa-uri": (
        pdf(page=b"/AA << /O << /S /URI /URI (http://contoh.invalid/lacak) >> >>"),
        "otomatis (/AA)",
    ),
    "openaction-uri": (
        pdf(catalog=b"/OpenAction << /S /URI /URI (http://contoh.invalid/) >>"),
        "saat dibuka",
    ),
    "field-aa-submit": (
        pdf(
            catalog=b"/AcroForm << /Fields [5 0 R] >>",
            extra=[b"<< /FT /Tx /T (a) /AA << /K << /S /SubmitForm /F (http://x.invalid) >> >> >>"],
        ),
        "/SubmitForm",
    ),
    "openaction-goto-next-js": (
        pdf(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >>", extra=[JS_ACTION]),
        "JavaScript",
    ),
    "embedded-file": (
        pdf(
            catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
            extra=[
                b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
                b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            ],
        ),
        "tersemat",
    ),
    "file-attachment-annotation": (
        pdf(
            page=b"/Annots [5 0 R]",
            extra=[b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (a.exe) >>"],
        ),
        "tersemat",
    ),
    "launch-with-a-misleading-type": (
        pdf(
            catalog=b"/Outlines << /First 5 0 R >>",
            extra=[b"<< /Title (a) /A << /Type /Page /S /Launch /F (x.exe) >> >>"],
        ),
        "/Launch",
    ),
    "xfa-form": (pdf(catalog=b"/AcroForm << /Fields [] /XFA 5 0 R >>", extra=[b"(x)"]), "XFA"),
    "html-with-pdf-header-and-trailer": (
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
        b"startxref\n0\n%%EOF\n",
        "bukan PDF yang utuh",
    ),
    "html-before-real-objects": (
        pdf().replace(b"%\xe2\xe3\xcf\xd3\n", b"<html><script>alert(1)</script></html>\n"),
        "sebelum objek PDF pertama",
    ),
    "html-after-eof": (
        pdf() + b"<html><script>alert(1)</script></html>\n",
        "setelah penanda akhir",
    ),
    "no-pages": (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
        b"startxref\n0\n%%EOF\n",
        "bukan PDF yang utuh",
    ),
}

# --- OOXML -------------------------------------------------------------------------------

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def ooxml(
    *,
    parts: dict[str, bytes | str] | None = None,
    overrides: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    rels: list[tuple[str, str, str]] | None = None,
    main: str = DOCX_MAIN,
    document: str = "<w:document xmlns:w='http://schemas.openxmlformats.org/"
    "wordprocessingml/2006/main'><w:body><w:p/></w:body></w:document>",
    content_types_prefix: str = "",
) -> bytes:
    """A DOCX package: content types, package and document relationships, the main part,
    plus ``parts``; ``rels`` are (type suffix, target, mode) of the document."""
    types = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
             "xml": "application/xml", **(defaults or {})}  # fmt: skip
    over = {"/word/document.xml": main, **(overrides or {})}
    content_types = (
        content_types_prefix
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in types.items())
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in over.items())
        + "</Types>"
    )
    doc_rels = "".join(
        f'<Relationship Id="r{n}" Type="{kind if "/" in kind else REL + "/" + kind}" '
        f'Target="{target}"' + (f' TargetMode="{mode}"' if mode else "") + "/>"
        for n, (kind, target, mode) in enumerate(rels or [])
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr("word/document.xml", document)
        archive.writestr(
            "word/_rels/document.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + doc_rels
            + "</Relationships>",
        )
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


VBA = "application/vnd.ms-office.vbaProject"
MS_REL = "http://schemas.microsoft.com/office/2006/relationships"

HOSTILE_OOXML = {
    "vbaproject-plain": (ooxml(parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "makro"),
    # Renamed so no part name says "vba": the content type and relationship still do.
    "vbaproject-odd-name": (
        ooxml(
            parts={"word/media/image9.dat": b"\xd0\xcf\x11\xe0"},
            overrides={"/word/media/image9.dat": VBA},
            rels=[(f"{MS_REL}/vbaProject", "media/image9.dat", "")],
        ),
        "makro",
    ),
    "vbaproject-by-relationship-only": (
        ooxml(
            parts={"word/media/image9.png": b"\xd0\xcf\x11\xe0"},
            rels=[(f"{MS_REL}/vbaProject", "media/image9.png", "")],
        ),
        "makro",
    ),
    "docm-content-type": (
        ooxml(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
        "makro",
    ),
    "activex-part": (
        ooxml(
            parts={"word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='x'/>"},
            overrides={"/word/activeX/activeX1.xml": "application/vnd.ms-office.activeX+xml"},
        ),
        "ActiveX",
    ),
    "activex-odd-name": (
        ooxml(
            parts={"word/c1.xml": "<ax:ocx xmlns:ax='x'/>"},
            rels=[("control", "c1.xml", "")],
        ),
        "ActiveX",
    ),
    "ole-object": (
        ooxml(
            parts={"word/embeddings/data1.bin": b"\xd0\xcf\x11\xe0"},
            defaults={"bin": "application/vnd.openxmlformats-officedocument.oleObject"},
        ),
        "OLE",
    ),
    "remote-template": (
        ooxml(
            parts={
                "word/settings.xml": "<w:settings xmlns:w='x'/>",
                "word/_rels/settings.xml.rels": '<Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
                f'Type="{REL}/attachedTemplate" Target="https://contoh.invalid/t.dotm" '
                'TargetMode="External"/></Relationships>',
            }
        ),
        "luar dokumen",
    ),
    "remote-image": (
        ooxml(rels=[("image", "\\\\10.0.0.1\\share\\a.png", "External")]),
        "luar dokumen",
    ),
    "link-to-local-program": (
        ooxml(rels=[("hyperlink", "file:///C:/Windows/System32/calc.exe", "External")]),
        "berkas atau program lokal",
    ),
    "hta-part": (ooxml(parts={"word/x.hta": "<script>x</script>"}), "web atau program"),
    "html-part": (ooxml(parts={"word/afchunk.html": "<html/>"}), "web atau program"),
    "html-by-content-type": (
        ooxml(
            parts={"word/chunk.dat": "<html><script>x</script></html>"},
            overrides={"/word/chunk.dat": "text/html"},
        ),
        "halaman web",
    ),
    "mht-by-content-type": (
        ooxml(parts={"word/chunk.dat": "MIME"}, overrides={"/word/chunk.dat": "message/rfc822"}),
        "mht",
    ),
    "dde-field": (
        ooxml(
            document="<w:document xmlns:w='w'><w:body><w:p><w:r><w:fldChar w:fldCharType="
            "'begin'/></w:r><w:r><w:instrText>DD</w:instrText></w:r><w:r><w:instrText>EAUTO "
            'c:\\windows\\system32\\cmd.exe "/k calc"</w:instrText></w:r></w:p></w:body>'
            "</w:document>"
        ),
        "DDE",
    ),
    "remote-picture-field": (
        ooxml(
            document="<w:document xmlns:w='w'><w:body><w:p><w:r><w:instrText>INCLUDEPICTURE "
            '"\\\\\\\\10.0.0.1\\\\s\\\\a.png" \\d</w:instrText></w:r></w:p></w:body></w:document>'
        ),
        "dari luar dokumen",
    ),
    "dtd-entities": (
        ooxml(
            content_types_prefix='<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">'
            '<!ENTITY b "&a;&a;&a;&a;">]>'
        ),
        "DTD",
    ),
    "macro-enabled-embedded-workbook": (
        ooxml(parts={"word/embeddings/Microsoft_Excel_Worksheet.xlsm": b"PK"}),
        "bermakro",
    ),
}


def xlsx_bytes(*, macrosheet: bool = False, dde: bool = False) -> bytes:
    book = Workbook()
    book.active["A1"] = "Bukti"
    out = io.BytesIO()
    book.save(out)
    if not (macrosheet or dde):
        return out.getvalue()
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml" and macrosheet:
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/macrosheets/s1.xml" '
                    b'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>',
                )
            if info.filename == "xl/worksheets/sheet1.xml" and dde:
                data = data.replace(
                    b"</sheetData>",
                    b"<row r='2'><c r='A2'><f>cmd|' /C calc'!A0</f></c></row></sheetData>",
                )
            dst.writestr(info, data)
        if macrosheet:
            dst.writestr("xl/macrosheets/s1.xml", "<xm:macrosheet xmlns:xm='x'/>")
    return result.getvalue()


# --- ODF ---------------------------------------------------------------------------------


def odt(
    *, content: str = "", parts: dict[str, bytes | str] | None = None, manifest: str = ""
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored, first
        archive.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
            'xmlns:xlink="http://www.w3.org/1999/xlink"><office:scripts/>'
            + content
            + "<office:body><office:text/></office:body></office:document-content>",
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.text"/>' + manifest + "</manifest:manifest>",
        )
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


HOSTILE_ODF = {
    "basic-library": (
        odt(
            parts={"Basic/Standard/Module1.xml": "<script:module/>", "Basic/script-lc.xml": "<x/>"}
        ),
        "makro",
    ),
    "scripts-python": (odt(parts={"Scripts/python/x.py": "import os"}), "makro atau skrip"),
    "event-listener": (
        odt(
            content="<office:event-listeners><script:event-listener script:language="
            '"ooo:script" script:event-name="dom:load" xlink:href="vnd.sun.star.script:'
            'Standard.Module1.Main?language=Basic&amp;location=document"/>'
            "</office:event-listeners>"
        ),
        "event listener",
    ),
    "ole-object": (
        odt(content='<draw:object-ole xmlns:draw="d" xlink:href="./Object 1"/>'),
        "objek OLE",
    ),
    "execute-macro-field": (
        odt(content='<text:execute-macro xmlns:text="t" text:name="Standard.Module1.Main"/>'),
        "makro",
    ),
    "script-media-type": (
        odt(
            parts={"Lain/x.xml": "<x/>"},
            manifest='<manifest:file-entry manifest:full-path="Lain/x.xml" '
            'manifest:media-type="application/vnd.sun.star.basic"/>',
        ),
        "makro, skrip atau objek OLE",
    ),
}

# --- archives and images -------------------------------------------------------------------


def zip_ratio_bomb() -> bytes:
    return ooxml(parts={"word/media/image1.png": b"\0" * (16 * 1024 * 1024)})


def zip_claiming(size: int) -> bytes:
    """A small DOCX whose central directory says one part unpacks to ``size`` bytes."""
    data = bytearray(ooxml(parts={"word/media/big.xml": b"<x/>" * 8}))
    at = data.rfind(b"PK\x01\x02")  # the last central directory record: big.xml
    struct.pack_into("<I", data, at + 24, size)
    return bytes(data)


def zip_many_entries(count: int) -> bytes:
    return ooxml(parts={f"word/p/{n}.xml": "" for n in range(count)})


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG claiming huge dimensions (one empty compressed row of data)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


HOSTILE_OTHER = {
    "zip-ratio-bomb": ("laporan.docx", zip_ratio_bomb(), "bom zip"),
    "zip-claims-200mb": ("laporan.docx", zip_claiming(200 * 1024 * 1024), "bom zip"),
    "zip-too-many-entries": ("laporan.docx", zip_many_entries(10_001), "melebihi batas"),
    "xlsx-macrosheet": ("rekap.xlsx", xlsx_bytes(macrosheet=True), "makro Excel 4"),
    "xlsx-dde-formula": ("rekap.xlsx", xlsx_bytes(dde=True), "DDE"),
    "png-bomb": ("foto.png", png_header_only(40_000, 40_000), "bom dekompresi"),
    # Between Pillow's limit and twice it Pillow only warns: refused all the same.
    "png-bomb-warning-range": ("foto.png", png_header_only(10_000, 10_000), "bom dekompresi"),
}

CASES = [
    *[
        pytest.param("bukti.pdf", data, reason, id=f"pdf-{k}")
        for k, (data, reason) in HOSTILE_PDFS.items()
    ],
    *[pytest.param("laporan.docx", d, r, id=f"docx-{k}") for k, (d, r) in HOSTILE_OOXML.items()],
    *[pytest.param("notulen.odt", d, r, id=f"odt-{k}") for k, (d, r) in HOSTILE_ODF.items()],
    *[pytest.param(n, d, r, id=k) for k, (n, d, r) in HOSTILE_OTHER.items()],
]


@pytest.mark.parametrize(("name", "data", "reason"), CASES)
def test_hostile_file_is_refused_naming_it_and_the_reason(name, data, reason):
    with pytest.raises(ValidationError) as refused:
        check_upload(files.upload(name, data))
    message = refused.value.messages[0]
    assert f"“{name}”" in message
    assert reason in message, message


def _stored(media_root: Path) -> list[Path]:
    root = media_root / "bukti"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "data", "reason"), CASES)
def test_hostile_file_sent_through_the_page_writes_nothing(world, _media_root, name, data, reason):
    response = world.client_for("anggota").post(
        reverse("bukti-unggah", args=[world.langkah.pk]),
        {
            "bulan": world.today.month,
            "tautan": "",
            "catatan": "",
            "berkas": [files.pdf("lain.pdf"), files.upload(name, data)],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ditolak" in html or "bukan" in html
    assert Bukti.objects.count() == 0
    assert BerkasBukti.objects.count() == 0
    assert _stored(_media_root) == []


def _docx_with_hyperlink() -> bytes:
    return ooxml(
        rels=[("hyperlink", "https://jdih.kpu.go.id/?a=1&amp;b=2", "External")],
        parts={"word/media/image1.png": files.image_bytes()},
        defaults={"png": "image/png"},
    )


def _odt_with_picture() -> bytes:
    return odt(
        parts={"Pictures/a.png": files.image_bytes()},
        manifest='<manifest:file-entry manifest:full-path="Pictures/a.png" '
        'manifest:media-type="image/png"/>',
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("bukti.pdf", files.pdf_bytes(), id="pdf"),
        pytest.param("bukti.pdf", pdf(catalog=b"/OpenAction [3 0 R /Fit]"), id="pdf-open-at-page"),
        pytest.param(
            "bukti.pdf",
            pdf(page=b"/Annots [5 0 R]", extra=[LINK % b"<< /S /URI /URI (https://kpu.go.id) >>"]),
            id="pdf-web-link",
        ),
        pytest.param("bukti.pdf", files.pdf().read(), id="pdf-padded-comment"),
        pytest.param("laporan.docx", files.docx_bytes(), id="docx"),
        pytest.param("laporan.docx", _docx_with_hyperlink(), id="docx-web-link-and-picture"),
        pytest.param("rekap.xlsx", xlsx_bytes(), id="xlsx"),
        pytest.param("notulen.odt", files.odt_bytes(), id="odt"),
        pytest.param("notulen.odt", odt(), id="odt-empty-scripts-element"),
        pytest.param("notulen.odt", _odt_with_picture(), id="odt-picture"),
        pytest.param("foto.png", files.image_bytes("PNG"), id="png"),
        pytest.param("foto.jpg", files.image_bytes("JPEG", (2000, 1500)), id="jpeg"),
    ],
)
def test_ordinary_documents_are_still_accepted(name, data):
    checked = check_upload(files.upload(name, data))
    assert checked.nama == name


def test_a_ten_megabyte_pdf_is_accepted():
    """A large, ordinary PDF passes the structural checks (about 4 ms on this machine;
    timed in bench, not asserted here)."""
    from zi_tracker.devtools.demo_evidence import padded_pdf

    upload = files.upload("besar.pdf", padded_pdf(["x"], 10 * 1024 * 1024))
    assert check_upload(upload).nama == "besar.pdf"
