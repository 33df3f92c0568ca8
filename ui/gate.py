"""Labelling under concurrency: a bounded, first-come-first-served gate in front of the model, one labelling per text.

A class pressing Analyse together would otherwise start one labelling per student at once on a laptop's few cores:
each runs slower, and everyone gets a result at about the same late time. Through the gate, `slots` worker threads
(as many as cores) label the texts one each, in the order they were asked for, and whoever waits is told how many
are ahead. A text already waiting or being labelled is not queued again: whoever asks for it too (a classmate who
pasted the same article, a student's second click) waits for that one labelling, in its place. Results are kept in
memory for `ttl` seconds, at most `max_entries` of them, so the same text is not labelled twice.

The labelling runs on the gate's own threads, not on the callers': memory that the allocator keeps per thread
(glibc keeps an arena for each thread that allocates) then stays that of `slots` threads, however many sessions ask.

Plain Python, no Streamlit: ui/state.py puts the model behind one gate and shows the waits on the page.
"""
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

WAITING, RUNNING, DONE = "waiting", "running", "done"
_UNTOLD = object()  # on_wait has not been called yet


@dataclass(eq=False)
class _Ticket:
    """One text's labelling: its place in the queue, how many wait for it, and its result once done."""
    key: Hashable
    compute: Callable[[], Any]
    waiters: int = 1
    state: str = WAITING
    value: Any = None
    error: BaseException | None = None


def cores() -> int:
    """The cores this process may use: the gate's number of slots."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def waiting_note(ahead: int | None) -> str:
    """What a page says while its text waits at the gate: `ahead` from `Gate.result`'s on_wait."""
    if ahead is None:
        return "Labelling…"
    if ahead == 0:
        return "In the queue: yours is next (texts are labelled a few at a time, in the order they came)."
    return (f"In the queue: {ahead} text{'s' if ahead > 1 else ''} ahead of yours (texts are labelled a few at a time, "
            "in the order they came).")


class Gate:
    """`slots` computations at once on its own threads, first come first served, one per key, results kept."""

    def __init__(self, slots: int, max_entries: int = 256, ttl: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic):
        if slots < 1:
            raise ValueError("a gate needs at least one slot")
        self.slots, self.max_entries, self.ttl, self.clock = slots, max_entries, ttl, clock
        self._changed = threading.Condition()
        self._queue: deque[_Ticket] = deque()  # waiting their turn, in the order they came
        self._tickets: dict[Hashable, _Ticket] = {}  # every key waiting or being computed
        self._kept: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()  # key -> (time stored, result)
        self._workers: list[threading.Thread] = []

    def result(self, key: Hashable, compute: Callable[[], Any], on_wait: Callable[[int | None], None] | None = None,
               poll: float = 1.0) -> Any:
        """The result of `compute()` for `key`: kept from before, or computed once when its turn comes (by the first
        caller's `compute`; the others wait for it). While it waits, `on_wait(n)` is called with the number of
        computations waiting ahead of it, or None once its own is being computed: when that changes, and every
        `poll` seconds. An exception from `on_wait` gives up the wait; the computation keeps its place for anyone
        else who asks for the same key, and is skipped if nobody does. An exception from `compute` reaches every
        caller waiting for it, and nothing is kept."""
        with self._changed:
            found = self._kept_result(key)
            if found is not None:
                return found[0]
            ticket = self._tickets.get(key)
            if ticket is None:
                ticket = self._tickets[key] = _Ticket(key, compute)
                self._queue.append(ticket)
                self._start_workers()
                self._changed.notify_all()
            else:
                ticket.waiters += 1
        try:
            return self._wait(ticket, on_wait, poll)
        finally:
            with self._changed:
                ticket.waiters -= 1

    def ahead(self, key: Hashable) -> int | None:
        """How many computations wait ahead of `key`'s; None when it is not waiting."""
        with self._changed:
            ticket = self._tickets.get(key)
            return self._ahead(ticket) if ticket is not None and ticket.state == WAITING else None

    def waiting(self) -> int:
        """How many computations that someone waits for have not started."""
        with self._changed:
            return sum(t.waiters > 0 for t in self._queue)

    def clear(self) -> None:
        """Forget the kept results (the computations under way finish)."""
        with self._changed:
            self._kept.clear()

    def _wait(self, ticket: _Ticket, on_wait, poll: float):
        told, timed_out = _UNTOLD, False
        while True:
            with self._changed:
                if ticket.state == DONE:
                    if ticket.error is not None:
                        raise ticket.error
                    return ticket.value
                news = None if ticket.state == RUNNING else self._ahead(ticket)
                if on_wait is None or (news == told and not timed_out):
                    timed_out = not self._changed.wait(poll)
                    continue
            timed_out = False
            on_wait(news)  # outside the lock: it may take its time, or raise
            told = news

    def _ahead(self, ticket: _Ticket) -> int:
        count = 0
        for other in self._queue:
            if other is ticket:
                return count
            count += other.waiters > 0
        return count

    def _start_workers(self) -> None:
        while len(self._workers) < self.slots:
            worker = threading.Thread(target=self._work, name=f"gate-{len(self._workers)}", daemon=True)
            self._workers.append(worker)
            worker.start()

    def _work(self) -> None:
        """A worker: the first ticket in the queue that someone still waits for, computed; then the next."""
        while True:
            with self._changed:
                while not self._queue:
                    self._changed.wait()
                ticket = self._queue.popleft()
                if ticket.waiters == 0:  # everyone who asked for it gave up
                    del self._tickets[ticket.key]
                    continue
                ticket.state = RUNNING
                self._changed.notify_all()
            try:
                value, error = ticket.compute(), None
            except BaseException as err:  # noqa: BLE001 - it reaches the callers waiting for it
                value, error = None, err
            with self._changed:
                ticket.value, ticket.error, ticket.state = value, error, DONE
                del self._tickets[ticket.key]
                if error is None:
                    self._keep(ticket.key, value)
                self._changed.notify_all()

    def _kept_result(self, key: Hashable) -> tuple[Any] | None:
        entry = self._kept.get(key)
        if entry is None:
            return None
        stored, value = entry
        if self.clock() - stored > self.ttl:
            del self._kept[key]
            return None
        self._kept.move_to_end(key)
        return (value,)

    def _keep(self, key: Hashable, value: Any) -> None:
        self._kept[key] = (self.clock(), value)
        self._kept.move_to_end(key)
        while len(self._kept) > self.max_entries:
            self._kept.popitem(last=False)
