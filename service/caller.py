"""The id of the caller an rpc is served for, as a context variable the log formatter reads."""

from __future__ import annotations

from contextvars import ContextVar

# Set by the access interceptor for the task that serves an rpc (tasks it starts inherit it), so
# every log line of that rpc carries the operator's short id of the caller and nothing else of it.
CALLER_ID: ContextVar[str] = ContextVar("tlumach_caller_id", default="")
