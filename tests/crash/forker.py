"""A fork server for crash tests: ``python -m tests.crash.forker``.

Started once per test process, it imports Homeward and loads the names data
(seconds of work), then forks one child per operation it is sent.  A child
starts in milliseconds instead of re-importing all of that, so a test can kill
hundreds of them, and it shares nothing with the test process: the server
never opens a database, and is a process of its own, not a fork of the test's
(with its connections and threads).

Protocol, one JSON object per line: the test writes a job
(``{"operation", "env", "unit"}``) to the server's stdin; on stdout it reads, in
this order, ``{"pid"}`` (the child's; the child waits for it to be written
before it does anything), ``{"ready"}`` (the child has opened its registry and
starts the work now), ``{"seconds"}`` (the work took this long) and
``{"exit"}`` (the child's exit status, negative for the signal that ended it).
What a child prints (the ``homeward`` command does) goes to stderr, not into
the protocol.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from typing import Any

from sqlalchemy.orm import configure_mappers

from homeward.config import Settings
from homeward.linkage.prepare import prepare
from homeward.services.registry_app import Registry
from tests.crash import driver


def _emit(fd: int, **event: Any) -> None:
    os.write(fd, (json.dumps(event) + "\n").encode())


def _child(job: dict[str, Any], events: int) -> int:
    os.environ.update(job["env"])
    registry = Registry.open(Settings())
    with registry.engine.connect():
        pass  # the pool now holds an open connection: a kill lands in the work
    _emit(events, ready=True)
    started = time.perf_counter()
    try:
        driver.OPERATIONS[job["operation"]](registry, job["unit"])
    except SystemExit as done:  # the homeward command ends so
        return done.code if isinstance(done.code, int) else 1
    finally:
        _emit(events, seconds=time.perf_counter() - started)
    return 0


def serve() -> None:
    # Loaded once here, so no child pays for it (nor spends the first part of
    # its work loading names data instead of writing).
    prepare({"full_name": "Коваленко Олександр Сергійович", "birth_date": "2012-03-04"})
    configure_mappers()
    out = sys.stdout.fileno()
    _emit(out, loaded=True)
    for line in sys.stdin:
        job = json.loads(line)
        go, started = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(started)
                os.read(go, 1)  # the server has told the test this child's pid
                events = os.dup(out)
                os.dup2(sys.stderr.fileno(), out)  # the child's printing is not protocol
                code = _child(job, events)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(code)
        os.close(go)
        _emit(out, pid=pid)
        os.write(started, b"!")
        os.close(started)
        _, status = os.waitpid(pid, 0)
        _emit(out, exit=os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    serve()
