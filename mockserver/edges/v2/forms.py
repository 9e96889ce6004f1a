"""Reading a multipart/form-data body (uploads, LoRA training images) with the standard library's MIME parser.

Starlette's own form parser needs python-multipart; the few forms v2 takes are read whole anyway, and
the `email` package parses them as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

from ...errors import InvalidFields
from .checks import INVALID

FORM_TYPE = "multipart/form-data"


@dataclass(frozen=True, slots=True)
class Part:
    """One field of a form: its name, the file name a file field gives, and its bytes."""

    name: str
    filename: str | None
    content: bytes


def parse_form(body: bytes, content_type: str | None) -> list[Part]:
    """Return the fields of a multipart/form-data `body`, or raise InvalidFields saying it is none."""
    if not content_type or not content_type.lower().startswith(FORM_TYPE) or "boundary=" not in content_type:
        raise InvalidFields(INVALID, {"(body)": [f"Expected {FORM_TYPE} with a boundary, received {content_type}"]})
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    parts: list[Part] = []
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        parts.append(Part(name, filename, payload if isinstance(payload, bytes) else b""))
    if not parts:
        raise InvalidFields(INVALID, {"(body)": ["The form has no fields"]})
    return parts


def text_fields(parts: list[Part]) -> dict[str, str]:
    """Return the form's fields that are not files, by name, as text."""
    return {part.name: part.content.decode("utf-8", "replace") for part in parts if part.filename is None}
