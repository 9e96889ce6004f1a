"""Secrets: a canary key and control token, used everywhere, never appear in any output."""

from __future__ import annotations

import json
import os
import sys

import httpx

from .processes import started

KEY = "canary-key-7f3a9c"
TOKEN = "canary-token-b41e2d"


def test_the_key_and_token_never_appear_in_logs_journal_or_answers() -> None:
    env = {**os.environ, "APIFRAME_MOCK_API_KEY": KEY, "APIFRAME_MOCK_CONTROL_TOKEN": TOKEN}
    command = [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--control", "--access-log"]
    command += ["--fault", "account:error:next=1", "--auth-scheme", "bearer-too"]
    answers: list[str] = []
    with started(command, env=env) as serve:
        url = serve.url
        control = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=url, timeout=5) as client:
            for headers in ({"Authorization": KEY}, {"Authorization": f"Bearer {KEY}"}, {"Authorization": KEY + "x"}):
                payloads: tuple[object, ...] = ({"task_ids": ["a", "b"]}, {"task_ids": [KEY]}, {"task_id": 1}, [])
                for payload in payloads:
                    for path in ("/fetch-many", "/fetch"):
                        answers.append(client.post(path, json=payload, headers=headers).text)
                answers.append(client.get("/account", headers=headers).text)
                answers.append(client.post("/nowhere", headers=headers).text)
                answers.append(client.post("/fetch-many", content=b"\xff" * 10, headers=headers).text)
            answers.append(client.get("/__mock__/health", headers={"Authorization": KEY}).text)
            answers.append(client.get("/__mock__/tasks/nope", headers=control).text)
            answers.append(client.put("/__mock__/faults", json={"faults": [{"kind": 1}]}, headers=control).text)
            answers.append(client.post("/__mock__/tasks", json={"task_id": 5}, headers=control).text)
            journal = client.get("/__mock__/journal", headers=control)
            answers.append(journal.text)
            answers.append(client.get("/openapi.json").text)
    out, err = serve.line + serve.out, serve.err
    assert len(journal.json()["requests"]) == 33
    # The key appears only where the client itself put it in a body, which the journal keeps as sent.
    bodies = [entry for entry in journal.json()["requests"] if KEY in json.dumps(entry)]
    assert all(KEY in json.dumps(entry["json"]) and KEY not in json.dumps(entry["headers"]) for entry in bodies)
    everything = "\n".join([out, err, *answers])
    for line in everything.splitlines():
        if KEY in line:
            assert '"task_ids":["' + KEY in line.replace(" ", ""), line
        assert TOKEN not in line
    assert "POST /fetch-many HTTP/1.1" in out  # the access log was on and written
