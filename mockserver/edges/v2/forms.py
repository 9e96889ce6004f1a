"""v2's multipart/form-data bodies (uploads, LoRA images): read by the one form reader, refused in v2's shape."""

from __future__ import annotations

from ...errors import InvalidFields
from ...http.forms import FORM_TYPE, FormError, Part, form_boundary, read_form
from .checks import INVALID

MAX_PARTS = 64
"""The most parts a v2 form may have: a LoRA's 30 images and its few fields, with room to spare."""


def parse_form(body: bytes, content_type: str | None) -> list[Part]:
    """Return the named fields of a multipart/form-data `body`, or raise InvalidFields saying it is none."""
    boundary = form_boundary(content_type) if content_type else None
    if boundary is None:
        raise InvalidFields(INVALID, {"(body)": [f"Expected {FORM_TYPE} with a boundary, received {content_type}"]})
    try:
        # A part without a name is no field; v2 passes over it, as the MIME reader it once used did.
        parts = read_form(body, boundary, MAX_PARTS, skip_nameless=True)
    except FormError as exc:
        raise InvalidFields(INVALID, {"(body)": [f"The form cannot be read: {exc}"]}) from None
    if not parts:
        raise InvalidFields(INVALID, {"(body)": ["The form has no fields"]})
    return parts


def files_named(parts: list[Part], name: str) -> list[Part]:
    """Return the parts named `name`, or raise InvalidFields if one is a text field rather than a file upload."""
    found = [part for part in parts if part.name == name]
    # A part without a filename is a plain field (RFC 7578 4.2), whatever its bytes look like.
    if any(part.filename is None for part in found):
        raise InvalidFields(INVALID, {name: ["Must be a file upload (a part with a filename), not a text field"]})
    return found
