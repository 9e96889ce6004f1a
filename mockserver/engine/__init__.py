"""The engine: tasks, their timelines and lifecycle, faults, the journal, the store and webhook delivery.

It knows no API version and no router: an edge (`mockserver.edges`) turns HTTP requests of its
version into calls on the engine, and the engine's answers into that version's wire shapes.

task       Task, the one internal task record every part of the engine works on
factory    building valid tasks of any documented type and status
timeline   the steps a task shows as it is polled or as time passes
lifecycle  the pace of submitted tasks and the timeline it gives them
magic      magic values in a submission that bend its lifecycle
faults     the fault plan, by route name, drawn from a seeded generator
journal    the requests received, within bounds
fixtures   loading the tasks and account a mock starts with
commands   add, set status, advance, fail and reset: what the plugin, control API and dashboard do
ledger     the credits spent and the idempotency keys claimed
paging     cursor paging over tasks, newest first
files      uploaded files and small documents, kept in this process within a bound
media      what kind of file an upload is, told by its first bytes
store      where the state is kept (memory or Redis), behind one interface
webhooks   delivering each step of a task to its webhook
"""
