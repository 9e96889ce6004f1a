"""HTTP plumbing every edge shares: reading bodies within limits, faults and the journal as middleware, uvicorn."""
