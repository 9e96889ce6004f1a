"""Reading a multipart/form-data body already in memory into its parts: a name, a filename if a file, the bytes.

python-multipart does the parsing, as it does for Starlette's forms; Starlette's own reader spools each
file to a temporary file that a form cut short leaves open, which a body within a small limit never needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a form: its field name, its filename (None for a text field) and its bytes."""

    name: str
    filename: str | None
    data: bytes


class FormError(ValueError):
    """A body that is no well-formed form; the message says what is wrong, as a user would put it."""


FORM_TYPE = "multipart/form-data"
MAX_BOUNDARY_BYTES = 256
"""The longest boundary a form is read by: python-multipart's own limit (RFC 2046 says 70; longer ones are forgiven)."""


def is_form(content_type: str) -> bool:
    """Say whether a Content-Type value says the body is a ``multipart/form-data`` form (with a boundary or not)."""
    return content_type.lower().startswith(FORM_TYPE)


def form_boundary(content_type: str) -> bytes | None:
    """Return the boundary a ``multipart/form-data`` Content-Type names, or None."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    return boundary if kind == FORM_TYPE.encode() and boundary else None


def _text(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def text_fields(parts: list[Part]) -> dict[str, str]:
    """Return the form's fields that are not files, by name, as text."""
    return {part.name: _text(part.data) for part in parts if part.filename is None}


def read_form(body: bytes, boundary: bytes, max_parts: int, skip_nameless: bool = False) -> list[Part]:
    """Return the parts of the form `body` holds, or raise FormError saying why it is no form of at most `max_parts`.

    A part without a name is refused, or with `skip_nameless` passed over (and not counted).
    """
    if len(boundary) > MAX_BOUNDARY_BYTES:
        raise FormError(f"its boundary is {len(boundary)} bytes long: a boundary has at most {MAX_BOUNDARY_BYTES}")
    parts: list[Part] = []
    headers: dict[bytes, bytes] = {}
    header = [b"", b""]
    data = bytearray()

    def begin() -> None:
        headers.clear()
        data.clear()

    def header_field(chunk: bytes, start: int, end: int) -> None:
        header[0] += chunk[start:end]

    def header_value(chunk: bytes, start: int, end: int) -> None:
        header[1] += chunk[start:end]

    def header_end() -> None:
        headers[header[0].lower()] = header[1]
        header[:] = [b"", b""]

    def part_data(chunk: bytes, start: int, end: int) -> None:
        data.extend(chunk[start:end])

    def part_end() -> None:
        _, options = parse_options_header(headers.get(b"content-disposition", b""))
        if b"name" not in options:
            if skip_nameless:
                return
            raise FormError('a part has no name: its Content-Disposition must say form-data; name="..."')
        if len(parts) == max_parts:
            raise FormError(f"it has more than {max_parts} parts")
        filename = options.get(b"filename")
        parts.append(Part(_text(options[b"name"]), None if filename is None else _text(filename), bytes(data)))

    callbacks: MultipartCallbacks = {
        "on_part_begin": begin,
        "on_header_field": header_field,
        "on_header_value": header_value,
        "on_header_end": header_end,
        "on_part_data": part_data,
        "on_part_end": part_end,
    }
    try:
        # Inside the try: the parser may refuse its boundary as it is made, not only the bytes it reads.
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
    except FormParserError as exc:
        raise FormError(f"it is not a well-formed multipart body ({exc})") from None
    if parser.state is not MultipartState.END:
        # python-multipart takes a form cut short for one that ended with its last whole part.
        boundary_text = boundary.decode("latin-1")[:70]
        raise FormError(
            f"it ends before its closing boundary (--{boundary_text}--): it was cut short, or its Content-Length "
            "is wrong"
        )
    return parts
