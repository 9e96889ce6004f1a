"""The one content sniffer both edges use: every format told by its first bytes, whatever a file is called."""

from __future__ import annotations

import pytest

from mockserver.engine.media import FORMATS, Format, Media, either, format_names, identify, sniff

SIGNATURES = {
    "PNG": b"\x89PNG\r\n\x1a\n",
    "JPEG": b"\xff\xd8\xff\xe0",
    "GIF": b"GIF89a",
    "WebP": b"RIFF\x00\x00\x00\x00WEBP",
    "MP3": b"\xff\xfb\x90\x00",
    "WAV": b"RIFF\x00\x00\x00\x00WAVE",
    "OGG": b"OggS",
    "FLAC": b"fLaC",
    "M4A": b"\x00\x00\x00\x20ftypM4A ",
    "MP4": b"\x00\x00\x00\x18ftypmp42",
    "WebM": b"\x1aE\xdf\xa3",
    "MOV": b"\x00\x00\x00\x14ftypqt  ",
}
"""The first bytes of a file of each format, as its specification gives them."""


def test_every_format_has_a_signature_here() -> None:
    assert [known.name for known in FORMATS] == list(SIGNATURES)


@pytest.mark.parametrize("name", list(SIGNATURES))
def test_each_format_is_told_by_its_first_bytes(name: str) -> None:
    found = identify(SIGNATURES[name] + b"\x00" * 32)
    assert found is not None
    assert found.name == name
    assert sniff(SIGNATURES[name] + b"\x00" * 32, found.media) == found


@pytest.mark.parametrize(
    ("data", "media", "said"),
    [
        (b"PK\x03\x04rest", Media.AUDIO, "a ZIP archive"),
        (b"<svg/>", Media.IMAGE, "no format the mock knows"),
        (SIGNATURES["MOV"], Media.AUDIO, "MOV, which is not audio"),
        (SIGNATURES["PNG"], Media.VIDEO, "PNG, which is not video"),
    ],
)
def test_bytes_of_another_kind_are_named_in_words(data: bytes, media: Media, said: str) -> None:
    assert sniff(data, media) == said


def test_a_zip_or_unknown_bytes_are_no_format() -> None:
    assert (identify(b"PK\x03\x04rest"), identify(b"<svg/>"), identify(b"")) == (None, None, None)


def test_each_kind_names_its_formats_as_a_user_reads_them() -> None:
    assert [format_names(media) for media in Media] == [
        "PNG, JPEG, GIF or WebP",
        "MP3, WAV, OGG, FLAC or M4A",
        "MP4, WebM or MOV",
    ]


def test_a_choice_of_formats_reads_as_a_sentence() -> None:
    assert (either(["JPEG", "PNG"]), either(["JPEG", "PNG", "WebP"])) == ("JPEG or PNG", "JPEG, PNG or WebP")


@pytest.mark.parametrize("brand", [b"isom", b"mp42", b"M4B "])
def test_audio_takes_an_mpeg_4_file_of_a_generic_or_audiobook_brand_as_m4a(brand: bytes) -> None:
    # A phone's .m4a recording names a brand a video may name too; only its tracks would tell them apart.
    data = b"\x00\x00\x00\x18ftyp" + brand + b"\x00" * 32
    found = sniff(data, Media.AUDIO)
    assert isinstance(found, Format)
    assert (found.name, found.media_type, found.extension) == ("M4A", "audio/mp4", ".m4a")


def test_video_still_takes_a_plain_mpeg_4_file_as_mp4() -> None:
    found = identify(SIGNATURES["MP4"])
    assert found is not None
    assert (found.name, sniff(SIGNATURES["MP4"], Media.VIDEO)) == ("MP4", found)
