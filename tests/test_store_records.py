"""What a shared store keeps as bytes reads back the same, and its URL is never shown with a password."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers

from mockserver.engine.journal import RecordedRequest
from mockserver.engine.store import redacted
from mockserver.engine.store.records import TaskRecord, decode_delivery, decode_entry, encode_delivery, encode_entry
from mockserver.engine.task import Task
from mockserver.engine.timeline import Timeline
from mockserver.engine.webhooks import Delivery, Hook

TASK = Task.from_fields({"task_id": "t-1", "task_type": "seed", "status": "finished", "seed": "1"})


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:hunter2@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("rediss://mock:hunter2@redis.example.invalid/1", "rediss://mock:***@redis.example.invalid/1"),
        ("redis://:hunter2@[::1]:6380", "redis://:***@[::1]:6380"),
    ],
)
def test_a_store_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert redacted(url) == shown


def test_a_task_record_reads_back_with_its_timeline_place_and_webhook() -> None:
    record = TaskRecord(
        TASK, Timeline.of("pending", "finished", by="seconds", every=2), 1700.5, 1, Hook("http://h", "s"), "p-1"
    )
    assert TaskRecord.decode(record.encode()) == record
    assert TaskRecord.decode(TaskRecord(TASK).encode()) == TaskRecord(TASK)


def test_a_journal_entry_reads_back_whatever_its_body_holds() -> None:
    body = bytes(range(256))
    entry = RecordedRequest(
        "POST", "/fetch", Headers(raw=[(b"authorization", b"<redacted>"), (b"x-\xff", b"\xe9")]), body
    )
    raw = encode_entry(entry)
    assert raw.startswith(b"256\n")
    again = decode_entry(raw)
    assert (again.method, again.path, again.headers.raw, again.body) == (
        entry.method,
        entry.path,
        entry.headers.raw,
        body,
    )


def test_a_delivery_record_reads_back_with_its_secret_still_redacted() -> None:
    delivery = Delivery(
        "t-1", "http://h", {"x-webhook-secret": "s3cret"}, TASK.fields(), 2, None, "timed out after 5 s", 1.5, 5.0
    )
    again = decode_delivery(encode_delivery(delivery))
    assert again == delivery
    assert again.headers == {"x-webhook-secret": "<redacted>"}


def test_a_task_record_written_before_the_record_had_its_own_form_still_reads() -> None:
    written = b'{"task": {"task_id": "t-1", "task_type": "seed", "status": "finished", "seed": "1"}}'
    assert TaskRecord.decode(written) == TaskRecord(TASK)
