"""The Lua scripts a Redis store runs, each one atomic, so that every process counts alike."""

from __future__ import annotations

JOURNAL_PUSH = """
-- KEYS: entries, bytes, dropped; ARGV: entry, its body size, most entries, most bytes
redis.call('RPUSH', KEYS[1], ARGV[1])
local bytes = redis.call('INCRBY', KEYS[2], ARGV[2])
local count = redis.call('LLEN', KEYS[1])
local most, most_bytes = tonumber(ARGV[3]), tonumber(ARGV[4])
while count > most or (bytes > most_bytes and count > 1) do
  local oldest = redis.call('LPOP', KEYS[1])
  bytes = redis.call('DECRBY', KEYS[2], tonumber(string.match(oldest, '^(%d+)')))
  redis.call('INCR', KEYS[3])
  count = count - 1
end
return count
"""
"""Append a journal entry, then drop the oldest while past either bound, counting them."""

COUNT_CALL = """
-- KEYS: calls, next left; ARGV: route, then the indices of the faults whose next the call may use
local taken = {redis.call('HINCRBY', KEYS[1], ARGV[1], 1)}
for i = 2, #ARGV do
  local left = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0')
  if left > 0 then
    redis.call('HINCRBY', KEYS[2], ARGV[i], -1)
    table.insert(taken, tonumber(ARGV[i]))
  end
end
return taken
"""
"""Count a call of a route and use one of each `next` it may, if any is left: its number, then those used."""
