"""Uploaded media: what kind of file a body of bytes is, and how many bytes of uploads a mock keeps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

MAX_KEPT_BYTES = 64 * 1024 * 1024
"""The most bytes of uploads a mock keeps; past it the oldest are forgotten, as a CDN would expire them."""


@dataclass(frozen=True, slots=True)
class Format:
    """A file format told by its first bytes: its name, media type and file extension."""

    name: str
    media_type: str
    extension: str


class Media(Enum):
    """What an upload route takes: images or audio, each a closed set of formats."""

    IMAGE = "image"
    AUDIO = "audio"


_FORMATS: dict[Media, tuple[Format, ...]] = {
    Media.IMAGE: (
        Format("PNG", "image/png", ".png"),
        Format("JPEG", "image/jpeg", ".jpg"),
        Format("GIF", "image/gif", ".gif"),
        Format("WebP", "image/webp", ".webp"),
    ),
    Media.AUDIO: (
        Format("MP3", "audio/mpeg", ".mp3"),
        Format("WAV", "audio/wav", ".wav"),
        Format("OGG", "audio/ogg", ".ogg"),
        Format("FLAC", "audio/flac", ".flac"),
        Format("M4A", "audio/mp4", ".m4a"),
    ),
}


def format_names(media: Media) -> str:
    """Name the formats `media` takes, as a user reads them: ``PNG, JPEG, GIF or WebP``."""
    names = [known.name for known in _FORMATS[media]]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _format_name(data: bytes) -> str | None:
    # The signatures the formats' own specifications give; a file's name or declared type is never trusted.
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE"):
        return "WebP" if data[8:12] == b"WEBP" else "WAV"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "MP3"
    if data.startswith(b"OggS"):
        return "OGG"
    if data.startswith(b"fLaC"):
        return "FLAC"
    if data[4:8] == b"ftyp":
        return "M4A"
    if data.startswith(b"PK\x03\x04"):
        return "a ZIP archive"
    return None


def sniff(data: bytes, media: Media) -> Format | str:
    """Return the format of `data` if `media` takes it, else what the bytes are instead, in words."""
    name = _format_name(data)
    for known in _FORMATS[media]:
        if known.name == name:
            return known
    if name is None:
        return "no format the mock knows"
    return name if name.startswith("a ") else f"{name}, which is not {media.value}"
