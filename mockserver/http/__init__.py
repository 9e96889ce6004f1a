"""HTTP plumbing every edge shares: bodies and forms read within limits, the key check, faults and the journal.

Faults and the journal run as middleware; the key check is each edge's, in its own error shape.
"""
