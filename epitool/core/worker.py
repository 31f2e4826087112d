"""Run generators in forked worker processes and iterate their items in the parent; run a
computation beside the parent's own.

Used for big imports so that reading and checking rows (CPU in Python) overlap with SQLite's
inserts in the parent: a thread would not help, the interpreter lock serialises both.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from epitool.errors import EpitoolError
from epitool.store.db import Database, read_only

T = TypeVar("T")
# A database this big is a district's: a second process pays for itself. Below, a village's
# is done in a blink and forking would cost more than it saves.
PROCESS_MIN_BYTES = 64 * 2**20
_END = "end"
_ITEM = "item"
_ERROR = "error"


class FlatTransfer:
    """For a dataclass whose lists of plain values (str, int, float, None), named in
    `MARSHALLED`, cross to the parent: marshal reads such a list back several times faster
    than pickle, and the parent also writes to SQLite. Both ends are this interpreter, so
    marshal's format is the same on either."""

    MARSHALLED: tuple[str, ...] = ("flat",)

    def __getstate__(self) -> dict[str, Any]:
        import marshal

        return {**self.__dict__,
                **{name: marshal.dumps(getattr(self, name)) for name in self.MARSHALLED}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        import marshal

        self.__dict__.update(state, **{name: marshal.loads(state[name])
                                       for name in self.MARSHALLED})


def fork_available() -> bool:
    import multiprocessing  # here: short commands never need it, and it is slow to import

    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def _die_with(parent: int) -> None:
    """In a worker: end it when its parent is gone (killed, so it could not end it), rather
    than read on for nobody; and end it at once when the parent terminates it (the
    parent's own SIGTERM handler, inherited by fork, would unwind into a full queue)."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _run(make: Callable[[], Iterator[Any]], queue: Any, parent: int) -> None:
    import gc

    _die_with(parent)
    gc.disable()  # a short-lived producer of millions of tuples: see pipeline.gc_paused
    try:
        for item in make():
            queue.put((_ITEM, item))
        queue.put((_END, None))
    except EpitoolError as exc:
        queue.put((_ERROR, (type(exc), exc.key, exc.params)))
    except BaseException as exc:  # report, then let the parent raise it
        queue.put((_ERROR, (RuntimeError, "worker_failed", {"reason": repr(exc)})))


def _error(payload: tuple[type[Exception], str, dict[str, Any]]) -> Exception:
    """The exception a child reported, to raise in the parent."""
    cls, key, params = payload
    if issubclass(cls, EpitoolError):
        return cls(key, **params)
    return RuntimeError(params.get("reason", key))


def in_workers(makes: list[Callable[[], Iterator[Any]]], depth: int = 3) -> Iterator[Any]:
    """Items of the producers, each run in a child process of its own: the first item of
    the first, then one item of each in turn, until the one whose turn it is ends. Errors
    are re-raised here; the children end with the iteration, however it ends."""
    import multiprocessing
    from itertools import chain, cycle

    ctx = multiprocessing.get_context("fork")
    queues = [ctx.Queue(maxsize=depth) for _ in makes]
    children = [ctx.Process(target=_run, args=(make, queue, os.getpid()), daemon=True)
                for make, queue in zip(makes, queues)]
    for child in children:
        child.start()
    try:
        for turn in chain([0], cycle(range(len(queues)))):
            kind, payload = queues[turn].get()
            if kind == _END:
                break
            if kind == _ERROR:
                raise _error(payload)
            yield payload
    finally:
        for child, queue in zip(children, queues):
            if child.is_alive():
                child.terminate()
            child.join()
            queue.close()


def _send_result(compute: Callable[[], Any], send: Any, parent: int) -> None:
    _die_with(parent)
    try:
        send.send((_ITEM, compute()))
    except EpitoolError as exc:
        send.send((_ERROR, (type(exc), exc.key, exc.params)))
    except BaseException as exc:  # report, then let the parent raise it
        send.send((_ERROR, (RuntimeError, "worker_failed", {"reason": repr(exc)})))


def in_background(compute: Callable[[], T]) -> Callable[[], T]:
    """Start compute() in a forked child now; the function returned waits for its result.
    compute must open what it needs itself (a database connection does not survive fork)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_send_result, args=(compute, send, os.getpid()), daemon=True)
    child.start()
    send.close()

    def result() -> T:
        try:
            kind, payload = receive.recv()
        except EOFError:
            raise RuntimeError("the background worker ended without a result") from None
        finally:
            receive.close()
            child.join()
        if kind == _ERROR:
            raise _error(payload)
        return payload

    return result


def worth_a_process(db: Database) -> bool:
    return (db.path.is_file() and db.path.stat().st_size >= PROCESS_MIN_BYTES
            and fork_available())


def beside(db: Database, work: Callable[[sqlite3.Connection], T]) -> Callable[[], T]:
    """work(conn), started now in a second process with its own read-only connection when
    that is worth it, else run here when its result is asked for."""
    if not worth_a_process(db):
        return lambda: work(db.conn)

    def in_child() -> T:
        conn = read_only(db.path, db.busy_ms / 1000)
        try:
            return work(conn)
        finally:
            conn.close()

    return in_background(in_child)
