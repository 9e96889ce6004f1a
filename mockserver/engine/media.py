"""Uploaded media: what kind of file a body of bytes is, told by its first bytes.

One sniffer serves both edges; each says which of the formats below it takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Media(Enum):
    """What kind of file a format is: an image, audio or a video."""

    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"


@dataclass(frozen=True, slots=True)
class Format:
    """A file format told by its first bytes: its name, kind, media type and file extension."""

    name: str
    media: Media
    media_type: str
    extension: str


FORMATS: tuple[Format, ...] = (
    Format("PNG", Media.IMAGE, "image/png", ".png"),
    Format("JPEG", Media.IMAGE, "image/jpeg", ".jpg"),
    Format("GIF", Media.IMAGE, "image/gif", ".gif"),
    Format("WebP", Media.IMAGE, "image/webp", ".webp"),
    Format("MP3", Media.AUDIO, "audio/mpeg", ".mp3"),
    Format("WAV", Media.AUDIO, "audio/wav", ".wav"),
    Format("OGG", Media.AUDIO, "audio/ogg", ".ogg"),
    Format("FLAC", Media.AUDIO, "audio/flac", ".flac"),
    Format("M4A", Media.AUDIO, "audio/mp4", ".m4a"),
    Format("MP4", Media.VIDEO, "video/mp4", ".mp4"),
    Format("WebM", Media.VIDEO, "video/webm", ".webm"),
    Format("MOV", Media.VIDEO, "video/quicktime", ".mov"),
)
"""Every format the mock tells by its first bytes, in the order a user reads them."""
_BY_NAME = {known.name: known for known in FORMATS}
ZIP = "a ZIP archive"
"""What a ZIP archive is called: no upload takes one, but an error names it (a ZIP named .png)."""


def either(names: Sequence[str]) -> str:
    """Name the formats `names` as the choice a user reads: ``PNG, JPEG, GIF or WebP``."""
    return f"{', '.join(names[:-1])} or {names[-1]}"


def format_names(media: Media) -> str:
    """Name the formats of `media`, as a user reads them: ``PNG, JPEG, GIF or WebP``."""
    return either([known.name for known in FORMATS if known.media is media])


_BRANDS = {b"M4A ": "M4A", b"M4B ": "M4A", b"M4P ": "M4A", b"qt  ": "MOV"}
"""The brands an ISO media file names after "ftyp" that say what it is: Apple's audio ones, and QuickTime."""


def _mp4_brand(brand: bytes) -> str:
    # Any other brand (isom, mp42, M4V ...) is a plain MPEG-4 file, most often a video.
    return _BRANDS.get(brand, "MP4")


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
        return _mp4_brand(data[8:12])
    if data.startswith(b"\x1aE\xdf\xa3"):
        return "WebM"
    if data.startswith(b"PK\x03\x04"):
        return ZIP
    return None


def identify(data: bytes) -> Format | None:
    """Return the format of `data` by its first bytes, or None if it is none the mock knows."""
    name = _format_name(data)
    return None if name is None else _BY_NAME.get(name)


def sniff(data: bytes, media: Media) -> Format | str:
    """Return the format of `data` if it is `media`, else what the bytes are instead, in words.

    Audio takes a plain MPEG-4 file as M4A: phones record .m4a under the generic brands (isom, mp42) a video
    has too, and only its tracks, which are not sniffed, would tell the two apart.
    """
    name = _format_name(data)
    if media is Media.AUDIO and name == "MP4":
        name = "M4A"
    found = None if name is None else _BY_NAME.get(name)
    if found is not None and found.media is media:
        return found
    if name is None:
        return "no format the mock knows"
    return name if found is None else f"{name}, which is not {media.value}"
