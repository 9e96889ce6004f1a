"""The pytest plugin's helpers: the session's server, the per-test handle, and Hypothesis strategies of tasks."""
