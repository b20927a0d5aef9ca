"""Outside links given as evidence: refused when they hide what they are, shown as what
they are.

- **At submit time** a link with control characters or format characters (Unicode
  category Cc or Cf: the bidi marks U+200E/U+200F, embeddings and overrides
  U+202A-U+202E, isolates U+2066-U+2069, zero-width characters) is refused: such a
  character can make ``https://bank.example/\u202egpj.exe`` read as something else.
- **On the page** a host name with letters outside ASCII (Cyrillic "а" in "kpu.gо.id")
  is shown, and linked, in its punycode form (``xn--…``, IDNA), so a look-alike of a
  known address cannot pass for it.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError


def hidden_characters(text: str) -> list[str]:
    """The control and format characters in ``text``, as U+XXXX."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in {"Cc", "Cf"}})


def check_link(url: str) -> None:
    """Raise ValidationError (Indonesian) when the link carries hidden characters."""
    if found := hidden_characters(url):
        raise ValidationError(
            "Tautan berisi karakter tersembunyi (karakter kontrol atau penanda arah teks: "
            f"{', '.join(found[:5])}) yang dapat menyamarkan alamat sebenarnya. Ketik ulang "
            "tautannya tanpa karakter itu."
        )


def _ascii_label(label: str) -> str:
    """One label of a host name in IDNA form (nameprep, then punycode); raw punycode
    when IDNA refuses it (it is shown, not resolved)."""
    if label.isascii():
        return label
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return "xn--" + label.encode("punycode").decode("ascii")


def display_link(url: str) -> str:
    """The link as it really goes: hidden characters removed, a host name with letters
    outside ASCII in its punycode (IDNA) form. Unparseable links are returned without
    their hidden characters."""
    text = "".join(ch for ch in url if unicodedata.category(ch) not in {"Cc", "Cf"})
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return text
    if host.isascii():
        return text
    ascii_host = ".".join(_ascii_label(label) for label in host.split("."))
    netloc = parts.netloc
    # Replace the host inside netloc (keeping user info and port), case-insensitively.
    at = netloc.rfind("@") + 1
    port = ""
    rest = netloc[at:]
    if rest.rfind(":") > rest.rfind("]"):
        rest, port = rest[: rest.rfind(":")], rest[rest.rfind(":") :]
    netloc = netloc[:at] + ascii_host + port
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
