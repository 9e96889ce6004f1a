"""The control API under /__mock__/: one route table, one token check, and its part of /openapi.json."""
