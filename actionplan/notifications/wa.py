"""WhatsApp through an HTTP gateway, chosen and configured only by the environment
(ZI_WA_PROVIDER, ZI_WA_URL, ZI_WA_TOKEN; no token in the code):

- ``webhook``: a JSON POST ``{"to": "628…", "message": "…"}`` to ZI_WA_URL, with
  ``Authorization: Bearer <token>`` when a token is set (any gateway or a small relay);
- ``fonnte``: Fonnte (fonnte.com), used by many Indonesian offices: a form POST of
  ``target`` and ``message`` to https://api.fonnte.com/send (or ZI_WA_URL) with the
  header ``Authorization: <token>``; its JSON answer says ``"status": true`` when taken.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

FONNTE_URL = "https://api.fonnte.com/send"
TIMEOUT = 15


class WaGagal(Exception):
    pass


def nomor_internasional(telepon: str) -> str:
    """0812… or +62812… -> 62812…"""
    digits = telepon.strip().lstrip("+")
    return "62" + digits[1:] if digits.startswith("0") else digits


def _post(url: str, body: bytes, headers: dict[str, str]) -> str:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise WaGagal(f"Gerbang WhatsApp menjawab HTTP {exc.code}.") from None
    except (urllib.error.URLError, OSError) as exc:
        raise WaGagal(f"Gerbang WhatsApp tidak dapat dihubungi: {exc}") from None


def kirim_wa(telepon: str, teks: str) -> str:
    """Send one message; returns the gateway's name. Raises ``WaGagal``."""
    provider, token = settings.ZI_WA_PROVIDER, settings.ZI_WA_TOKEN
    target = nomor_internasional(telepon)
    if provider == "webhook":
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps({"to": target, "message": teks}).encode()
        _post(settings.ZI_WA_URL, body, headers)
        return "webhook"
    if provider == "fonnte":
        body = urllib.parse.urlencode({"target": target, "message": teks}).encode()
        answer = _post(
            settings.ZI_WA_URL or FONNTE_URL,
            body,
            {"Authorization": token, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            taken = json.loads(answer).get("status") is True
        except (ValueError, AttributeError):
            taken = False
        if not taken:
            raise WaGagal(f"Fonnte menolak pesan: {answer[:300]}")
        return "fonnte"
    raise WaGagal("WhatsApp belum dikonfigurasi (ZI_WA_PROVIDER kosong).")
