"""Active content in uploaded documents, found by parsing each kind with a real parser.

Reviewers open evidence in Office and PDF readers on their own machines, so a document
that can run something when opened (a macro, a script, an embedded program, a remote
template) is refused, whatever its name and first bytes say:

- **PDF** (pypdf): every object reachable from the trailer is walked. JavaScript
  (``/JS``, ``/JavaScript``, also in the names tree), actions that launch programs,
  import or submit data or open other files, any action that runs by itself
  (``/OpenAction`` or ``/AA`` other than going to a page), embedded files, XFA forms and
  rich media are refused, and so is a file whose structure is not a PDF's own (only
  PDF comments may come before its first object, a ``startxref`` and nothing but
  blanks after its last ``%%EOF``, a catalog and at least one page: an HTML page with a
  PDF header and trailer is refused).
- **ZIP containers** (OOXML and ODF): the central directory is checked before anything
  is read (number of entries, total uncompressed size, compression ratio per entry).
- **OOXML** (DOCX, XLSX, PPTX): ``[Content_Types].xml`` and every ``.rels`` part are
  parsed (no DTD allowed). Macros under any part name (by content type, relationship
  type or name), macro-enabled document types, Excel 4 macro sheets, ActiveX and OLE
  objects, external relationships other than web or mail hyperlinks (remote templates,
  remote images, frames), external workbook links, web or executable parts (html, mht,
  hta, js, scr, exe, …) and DDE fields or formulas are refused; embedded OOXML packages
  (a chart's workbook) are checked the same way.
- **ODF** (ODT, ODS, ODP): Basic and script parts (``Basic/``, ``Scripts/``, script
  media types in the manifest), OLE objects, macro event listeners and script or macro
  links in any XML part are refused.
- **Images** (Pillow): more pixels than Pillow's decompression-bomb limit
  (``Image.MAX_IMAGE_PIXELS``) is refused; the warning Pillow gives below twice that
  limit counts as a refusal too.

Each refusal raises :class:`Ditolak` with the reason in Indonesian; the caller names the
file. Nothing here writes anything.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from typing import IO, Any
from xml.etree import ElementTree

MB = 1024 * 1024
# ZIP containers: checked from the central directory before anything is unpacked.
ARCHIVE_MAX_UNCOMPRESSED = 100 * MB
ARCHIVE_MAX_ENTRIES = 10_000
ARCHIVE_MAX_RATIO = 200  # for entries over 1 MB unpacked; XML rarely packs beyond 50:1
ARCHIVE_RATIO_FROM = 1 * MB
XML_PART_MAX = 5 * MB  # [Content_Types].xml, .rels, manifest: small parts
PDF_MAX_OBJECTS = 500_000
NESTED_MAX_DEPTH = 2


class Ditolak(Exception):
    """The file is refused; ``str(exc)`` is the reason, in Indonesian."""


# --- ZIP containers -------------------------------------------------------------------


def check_archive(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Limits from the central directory, before any part is read."""
    infos = archive.infolist()
    if len(infos) > ARCHIVE_MAX_ENTRIES:
        raise Ditolak(f"arsip berisi {len(infos)} bagian, melebihi batas {ARCHIVE_MAX_ENTRIES}")
    total = 0
    names: set[str] = set()
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise Ditolak("arsip berisi bagian terenkripsi yang tidak dapat diperiksa")
        if info.filename in names:
            raise Ditolak(f"arsip berisi bagian bernama sama dua kali ({info.filename[:80]})")
        names.add(info.filename)
        if info.file_size > ARCHIVE_RATIO_FROM and (
            info.compress_size == 0 or info.file_size / info.compress_size > ARCHIVE_MAX_RATIO
        ):
            raise Ditolak(
                f"rasio kompresi bagian {info.filename[:80]} tidak wajar (bom zip): "
                f"{info.file_size // MB} MB dari {max(info.compress_size, 1) // 1024} KB"
            )
    if total > ARCHIVE_MAX_UNCOMPRESSED:
        raise Ditolak(
            f"isi arsip jika dibuka {total // MB} MB, melebihi batas "
            f"{ARCHIVE_MAX_UNCOMPRESSED // MB} MB (bom zip)"
        )
    return infos


def _xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> ElementTree.Element:
    """A small XML part, parsed after refusing DTDs (no entity can expand)."""
    if info.file_size > XML_PART_MAX:
        raise Ditolak(f"bagian {info.filename[:80]} terlalu besar")
    data = archive.read(info)
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", data, re.I):
        raise Ditolak(f"bagian {info.filename[:80]} memuat DTD/entitas XML")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise Ditolak(f"bagian {info.filename[:80]} bukan XML yang sah") from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# Parts no evidence document needs: web pages, scripts, programs, macro containers.
_FORBIDDEN_EXT = frozenset(
    {
        "html", "htm", "xhtml", "xht", "mht", "mhtml", "hta", "js", "jse", "vbs", "vbe",
        "wsf", "wsh", "scr", "exe", "dll", "com", "bat", "cmd", "ps1", "psm1", "msi", "jar",
        "lnk", "url", "svg", "swf",
    }
)  # fmt: skip
_FORBIDDEN_NAME = re.compile(r"vbaproject|vbadata|activex|oleobject|macrosheet", re.I)


def _check_part_name(name: str) -> None:
    base = posixpath.basename(name)
    ext = base.rpartition(".")[2].lower() if "." in base else ""
    if ext in _FORBIDDEN_EXT:
        raise Ditolak(f"berisi bagian berjenis web atau program ({name[:80]})")
    if found := _FORBIDDEN_NAME.search(name):
        what = {
            "vbaproject": "makro",
            "vbadata": "makro",
            "activex": "kontrol ActiveX",
            "oleobject": "objek OLE",
            "macrosheet": "lembar makro Excel 4",
        }[found[0].lower()]
        raise Ditolak(f"berisi {what} ({base[:80]})")


# --- OOXML ----------------------------------------------------------------------------

# Content types (lower case) that mean code, or a document kind that carries it.
_BAD_CONTENT_TYPES = (
    ("macroenabled", "makro (jenis dokumen dengan makro)"),
    ("vbaproject", "makro (vbaProject)"),
    ("vbadata", "makro (vbaData)"),
    ("macrosheet", "lembar makro Excel 4"),
    ("activex", "kontrol ActiveX"),
    ("oleobject", "objek OLE"),
    ("externallink", "tautan ke buku kerja luar"),
    ("text/html", "bagian halaman web"),
    ("xhtml", "bagian halaman web"),
    ("application/hta", "bagian aplikasi HTML (hta)"),
    ("javascript", "JavaScript"),
    ("ecmascript", "JavaScript"),
    ("message/rfc822", "bagian halaman web (mht)"),
    ("msdownload", "program"),
    ("x-msdos-program", "program"),
    ("executable", "program"),
    ("svg", "gambar SVG"),
)
# Relationship types (last path segment, lower case) that bring code or objects in.
_BAD_REL_TYPES = {
    "vbaproject": "makro (vbaProject)",
    "wordvbadata": "makro (vbaData)",
    "keymapcustomizations": "makro (pintasan keyboard)",
    "activexcontrol": "kontrol ActiveX",
    "activexcontrolbinary": "kontrol ActiveX",
    "control": "kontrol ActiveX",
    "oleobject": "objek OLE",
    "xlmacrosheet": "lembar makro Excel 4",
    "xlintlmacrosheet": "lembar makro Excel 4",
    "externallink": "tautan ke buku kerja luar",
    "externallinkpath": "tautan ke buku kerja luar",
}
_SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.I)
# DDE: a Word field (DDE, DDEAUTO) or an Excel formula (=cmd|'/c …'!A0) that starts a
# program when the document is opened or updated.
_WORD_INSTR = re.compile(rb"<(?:\w+:)?instrText\b[^>]*>([^<]*)<|\binstr=\"([^\"]*)\"")
_DDE_FIELD = re.compile(r"^\s*DDE(AUTO)?\b|\bDDE(AUTO)?\s", re.I)
# A field that fetches content from elsewhere when the document is opened or updated
# (a web address, a Windows share: it leaks the reader's credentials).
_REMOTE_FIELD = re.compile(
    r"\b(INCLUDEPICTURE|INCLUDETEXT|IMPORT|LINK)\b[^\"]*\"\s*(https?:|\\\\|//|file:)", re.I
)
_DDE_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*>[^<]*\w\|['\"]?[^<]*!", re.I)
_DDE_LINK = re.compile(rb"<(?:\w+:)?ddeLink\b", re.I)


def check_ooxml(archive: zipfile.ZipFile, depth: int = 0) -> None:
    infos = check_archive(archive)
    by_name = {info.filename: info for info in infos}
    for info in infos:
        _check_part_name(info.filename)
    types = by_name.get("[Content_Types].xml")
    if types is None:
        raise Ditolak("bukan dokumen Office Open XML (tidak ada [Content_Types].xml)")
    for element in _xml(archive, types).iter():
        content_type = (element.get("ContentType") or "").lower()
        for marker, what in _BAD_CONTENT_TYPES:
            if marker in content_type:
                raise Ditolak(f"berisi {what} ({element.get('ContentType')})")
    for info in infos:
        if info.filename.lower().endswith(".rels"):
            _check_rels(archive, info)
    for info in infos:
        name = info.filename.lower()
        if name.endswith(".xml") and name.startswith(("word/", "xl/worksheets/")):
            _check_dde(archive, info)
        elif name.rpartition(".")[2] in {"docx", "xlsx", "pptx", "docm", "xlsm", "pptm"}:
            if name.endswith("m"):
                raise Ditolak(f"berisi dokumen bermakro tersemat ({info.filename[:80]})")
            if depth >= NESTED_MAX_DEPTH:
                raise Ditolak("dokumen tersemat terlalu dalam")
            try:
                with zipfile.ZipFile(io.BytesIO(archive.read(info))) as inner:
                    check_ooxml(inner, depth + 1)
            except zipfile.BadZipFile:
                raise Ditolak(f"dokumen tersemat {info.filename[:80]} rusak") from None


def _check_rels(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    for rel in _xml(archive, info).iter():
        if _local(rel.tag) != "Relationship":
            continue
        kind = (rel.get("Type") or "").rstrip("/").rpartition("/")[2].lower()
        target = (rel.get("Target") or "").strip()
        if kind in _BAD_REL_TYPES:
            raise Ditolak(f"berisi {_BAD_REL_TYPES[kind]} ({posixpath.basename(target)[:80]})")
        if (rel.get("TargetMode") or "").lower() == "external":
            if kind != "hyperlink":
                raise Ditolak(
                    f"memuat bagian dari luar dokumen ({kind or 'relasi'} → {target[:80]}), "
                    "mis. templat jarak jauh"
                )
            if not _SAFE_LINK.match(target):
                raise Ditolak(
                    f"berisi tautan ke berkas atau program lokal ({target[:80]}); hanya "
                    "tautan http, https dan mailto yang diterima"
                )
        else:
            _check_part_name(target)


def _check_dde(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    data = archive.read(info)
    if _DDE_LINK.search(data) or _DDE_FORMULA.search(data):
        raise Ditolak(f"berisi rumus DDE yang dapat menjalankan program ({info.filename[:80]})")
    instr = "".join((a or b).decode("utf-8", "replace") for a, b in _WORD_INSTR.findall(data))
    if _DDE_FIELD.search(instr):
        raise Ditolak(f"berisi kolom DDE yang dapat menjalankan program ({info.filename[:80]})")
    if _REMOTE_FIELD.search(instr):
        raise Ditolak(f"berisi kolom yang mengambil isi dari luar dokumen ({info.filename[:80]})")


# --- ODF ------------------------------------------------------------------------------

_ODF_SCRIPT_DIRS = re.compile(r"^(Basic|Scripts)/", re.I)
_ODF_BAD_MEDIA = re.compile(r"basic|script|oleobject|x-ole|java", re.I)
_ODF_ACTIVE = (
    (re.compile(rb"<(?:[\w.-]+:)?event-listener[\s/>]"), "pemicu makro (event listener)"),
    (re.compile(rb"<(?:[\w.-]+:)?script[\s>]"), "skrip"),
    (re.compile(rb"vnd\.sun\.star\.script:", re.I), "tautan ke makro"),
    (re.compile(rb"macro:", re.I), "tautan ke makro"),
    (re.compile(rb"presentation:action=\"execute\""), "perintah menjalankan program"),
    (re.compile(rb"<(?:[\w.-]+:)?object-ole[\s/>]"), "objek OLE"),
    (re.compile(rb"<(?:[\w.-]+:)?execute-macro[\s/>]"), "perintah menjalankan makro"),
)


def check_odf(archive: zipfile.ZipFile) -> None:
    infos = check_archive(archive)
    for info in infos:
        if _ODF_SCRIPT_DIRS.match(info.filename):
            raise Ditolak(f"berisi makro atau skrip ({info.filename[:80]})")
        _check_part_name(info.filename)
    for info in infos:
        if info.filename == "META-INF/manifest.xml":
            for entry in _xml(archive, info).iter():
                media = next((v for k, v in entry.attrib.items() if _local(k) == "media-type"), "")
                path = next((v for k, v in entry.attrib.items() if _local(k) == "full-path"), "")
                if media and _ODF_BAD_MEDIA.search(media):
                    raise Ditolak(f"berisi makro, skrip atau objek OLE ({path[:80]}: {media})")
        elif info.filename.lower().endswith(".xml"):
            data = archive.read(info)
            if re.search(rb"<!\s*(DOCTYPE|ENTITY)", data, re.I):
                raise Ditolak(f"bagian {info.filename[:80]} memuat DTD/entitas XML")
            for pattern, what in _ODF_ACTIVE:
                if pattern.search(data):
                    raise Ditolak(f"berisi {what} ({info.filename[:80]})")


# --- PDF ------------------------------------------------------------------------------

# Actions a reader may run when a link is clicked: web links, pages, named menu items.
_PDF_BAD_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "perintah menjalankan program (/Launch)",
    "/ImportData": "perintah mengimpor data",
    "/SubmitForm": "formulir yang mengirim data keluar",
    "/GoToR": "tautan ke berkas lain di komputer",
    "/GoToE": "tautan ke berkas tersemat",
    "/Rendition": "pemutar media (/Rendition)",
    "/Movie": "pemutar media",
    "/Sound": "pemutar suara",
    "/RichMediaExecute": "media interaktif",
    "/SetOCGState": None,  # harmless layer switch
}
# What an action that runs by itself (on opening, on a page, on a field) may do.
_PDF_AUTO_OK = {"/GoTo"}


_BLANK = re.compile(rb"[ \t\r\n\x00\x0c]*")
_OBJ_HEADER = re.compile(rb"\d+\s+\d+\s+obj\b")


def _pdf_structure(data: IO[bytes], size: int) -> None:
    """The file's own structure is a PDF's: from its header only PDF comments and blanks
    until its first object, a ``startxref`` before its last ``%%EOF`` and nothing but
    blanks after it. Catches HTML (or anything else) given a PDF header and trailer.
    Read in 64 KiB pieces (a scanner may pad the header with a long comment)."""
    data.seek(0)
    head = data.read(1024)
    position = head.find(b"%PDF-")
    if position < 0:
        raise Ditolak("bukan PDF yang utuh (tidak ada kepala %PDF)")
    data.seek(position)
    in_comment = False
    chunk = data.read(65536)
    pos = 0
    while chunk:
        if pos >= len(chunk):
            chunk, pos = data.read(65536), 0
            continue
        if in_comment:
            ends = [i for i in (chunk.find(b"\n", pos), chunk.find(b"\r", pos)) if i >= 0]
            if not ends:
                pos = len(chunk)
            else:
                in_comment, pos = False, min(ends) + 1
            continue
        pos = _BLANK.match(chunk, pos).end()  # type: ignore[union-attr]  # always matches
        if pos >= len(chunk):
            continue
        if chunk[pos : pos + 1] == b"%":
            in_comment = True
            continue
        line = chunk[pos : pos + 64]
        if len(line) < 64:
            line += data.read(64)
        if _OBJ_HEADER.match(line):
            break
        raise Ditolak("bukan PDF yang utuh (ada isi lain sebelum objek PDF pertama)")
    else:
        raise Ditolak("bukan PDF yang utuh (tidak ada objek PDF)")
    data.seek(max(0, size - 4096))
    tail = data.read()
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail[end + 5 :].strip(b" \t\r\n\x00"):
        raise Ditolak("bukan PDF yang utuh (ada isi lain setelah penanda akhir %%EOF)")
    if not re.search(rb"startxref\s+\d+", tail[:end]):
        raise Ditolak("bukan PDF yang utuh (tidak ada startxref)")


def check_pdf(data: IO[bytes], size: int) -> None:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    _pdf_structure(data, size)
    data.seek(0)
    stream = io.BufferedReader(_Pieces(data), buffer_size=65536)
    # pypdf reports repairs of damaged files as log warnings; they are not our concern.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except (NotImplementedError, PdfReadError):
                    raise Ditolak("PDF terenkripsi yang isinya tidak dapat diperiksa") from None
                if not opened:
                    raise Ditolak("PDF terkunci kata sandi sehingga isinya tidak dapat diperiksa")
            root = reader.trailer.get("/Root")
            if root is None or not isinstance(root.get_object(), DictionaryObject):
                raise Ditolak("bukan PDF yang utuh (tidak ada katalog dokumen)")
            if len(reader.pages) < 1:
                raise Ditolak("PDF tidak memiliki halaman")
            seen: set[tuple[int, int]] = set()
            stack: list[Any] = [reader.trailer]
            visited = 0
            while stack:
                obj = stack.pop()
                if isinstance(obj, IndirectObject):
                    key = (obj.idnum, obj.generation)
                    if key in seen:
                        continue
                    seen.add(key)
                    obj = obj.get_object()
                visited += 1
                if visited > PDF_MAX_OBJECTS:
                    raise Ditolak("PDF berisi terlalu banyak objek untuk diperiksa")
                if isinstance(obj, DictionaryObject):
                    _pdf_dict(obj)
                    stack.extend(obj.values())
                elif isinstance(obj, ArrayObject):
                    stack.extend(obj)
    except Ditolak:
        raise
    except RecursionError:
        raise Ditolak("struktur PDF terlalu dalam") from None
    except Exception:
        raise Ditolak("bukan PDF yang utuh (tidak dapat dibaca sebagai PDF)") from None
    finally:
        pypdf_log.setLevel(level)
        data.seek(0)


class _Pieces(io.RawIOBase):
    """The upload read at most 64 KiB at a time, however much the parser asks for (a
    damaged file makes pypdf read it all to rebuild its cross-reference table)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(min(len(buffer), 65536))
        buffer[: len(data)] = data
        return len(data)


def _pdf_dict(obj: Any) -> None:
    keys = set(obj.keys())
    if "/JS" in keys or "/JavaScript" in keys:
        raise Ditolak("berisi JavaScript")
    if keys & {"/EmbeddedFiles", "/EF"} or obj.get("/Type") == "/EmbeddedFile":
        raise Ditolak("berisi berkas tersemat")
    if obj.get("/Subtype") == "/FileAttachment":
        raise Ditolak("berisi berkas tersemat (lampiran)")
    if "/XFA" in keys:
        raise Ditolak("berisi formulir XFA (dapat berisi skrip)")
    if keys & {"/RichMediaContent", "/RichMediaSettings"} or obj.get("/Subtype") == "/RichMedia":
        raise Ditolak("berisi media interaktif")
    if "/OpenAction" in keys:
        _pdf_auto(obj["/OpenAction"], "saat dibuka (/OpenAction)")
    if "/AA" in keys:
        triggers = obj["/AA"].get_object()
        if hasattr(triggers, "values"):
            for action in triggers.values():
                _pdf_auto(action, "otomatis (/AA)")
    if _is_action(obj):
        name = str(obj["/S"])
        if _PDF_BAD_ACTIONS.get(name):
            raise Ditolak(f"berisi {_PDF_BAD_ACTIONS[name]}")


def _is_action(obj: Any) -> bool:
    # Whatever its /Type says: a reader may not look at it.
    return "/S" in obj


def _pdf_auto(value: Any, where: str, depth: int = 0) -> None:
    """An action that runs by itself may only go to a page (a destination array or a
    /GoTo action, also along its /Next chain)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    value = value.get_object()
    if depth > 50:
        raise Ditolak("rantai tindakan PDF terlalu panjang")
    if isinstance(value, DictionaryObject) and "/S" in value:
        name = str(value["/S"])
        if name not in _PDF_AUTO_OK:
            raise Ditolak(f"berisi tindakan yang berjalan {where}: {name}")
        nxt = value.get("/Next")
        if nxt is not None:
            nxt = nxt.get_object()
            for item in nxt if isinstance(nxt, ArrayObject) else [nxt]:
                _pdf_auto(item, where, depth + 1)


# --- images ---------------------------------------------------------------------------


def check_image(data: IO[bytes], fmt: str) -> bool:
    """Pillow opens and verifies the whole image as ``fmt``; a decompression bomb is
    refused (Pillow's warning counts as a refusal). False: not such an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            data.seek(0)
            with Image.open(data) as image:
                ok = image.format == fmt
                image.verify()
        return ok
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Ditolak(
            f"gambar terlalu besar jika dibuka (lebih dari {Image.MAX_IMAGE_PIXELS:,} piksel; "
            "bom dekompresi)".replace(",", ".")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    finally:
        data.seek(0)
