"""Files and documents the API keeps besides tasks: uploaded files, and small JSON documents by kind.

Both are kept in this process, bounded so that a client uploading in a loop cannot exhaust its memory;
a shared store does not share them (a file uploaded to one worker is served by that worker).
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass

from ..wire import JSONObject

MAX_FILES_KEPT_BYTES = 256 * 1024 * 1024
"""The most bytes of files a store keeps beside its tasks (`Store.files`: v2's uploads, of up to 50 MB each);
the oldest go first past it. v1's uploads are kept apart, within `mockserver.state.MAX_MEDIA_KEPT_BYTES`."""


def new_file_id(extension: str = "") -> str:
    """Return a new id for a file, ending in `extension` as a URL may name it (``<uuid>.png``)."""
    return f"{uuid.uuid4()}{extension}"


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An uploaded file: its id, its bytes, and the media type they were found to be."""

    file_id: str
    content: bytes
    content_type: str


class Files:
    """Uploaded files by id, oldest dropped first once they hold more than `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self._files: OrderedDict[str, StoredFile] = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes

    def put(self, content: bytes, content_type: str, extension: str = "", file_id: str | None = None) -> StoredFile:
        """Keep `content` under `file_id`, else a new id ending in `extension` (see `new_file_id`), and return it."""
        stored = StoredFile(file_id if file_id is not None else new_file_id(extension), content, content_type)
        self._files[stored.file_id] = stored
        self._bytes += len(content)
        while self._bytes > self._max_bytes and len(self._files) > 1:
            _, dropped = self._files.popitem(last=False)
            self._bytes -= len(dropped.content)
        return stored

    def __len__(self) -> int:
        return len(self._files)

    def get(self, file_id: str) -> StoredFile | None:
        """Return the file with `file_id`, or None."""
        return self._files.get(file_id)

    def clear(self) -> None:
        """Forget every file."""
        self._files.clear()
        self._bytes = 0


class Documents:
    """Small JSON documents by kind and id (a LoRA, a registered asset), in the order they were put."""

    def __init__(self) -> None:
        self._kinds: dict[str, dict[str, JSONObject]] = {}

    def put(self, kind: str, document_id: str, document: JSONObject) -> None:
        """Keep `document` as the `kind` with `document_id`, replacing any."""
        self._kinds.setdefault(kind, {})[document_id] = document

    def get(self, kind: str, document_id: str) -> JSONObject | None:
        """Return the `kind` with `document_id`, or None."""
        return self._kinds.get(kind, {}).get(document_id)

    def all(self, kind: str) -> list[JSONObject]:
        """Return every document of `kind`, oldest first."""
        return list(self._kinds.get(kind, {}).values())

    def clear(self) -> None:
        """Forget every document."""
        self._kinds.clear()
