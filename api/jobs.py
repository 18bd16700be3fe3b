"""Background jobs of the admin API: adding a document builds a whole generation (a minute or more),
so the request that asks for it returns 202 at once with the job's id, and the build runs in a worker
thread whose state `GET /admin/jobs/{id}` reports. One job at a time per process (the build itself
also holds a cross-process lock: graph.build.sources_admin); jobs live in the serving process's
memory, the last `KEPT` of them."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from api.errors import Described, describe
from graph.errors import Conflict

Status = Literal["running", "succeeded", "failed"]
KEPT = 50


@dataclass
class Job:
    id: str
    kind: str
    subject: str  # what it works on, e.g. the file name
    status: Status = "running"
    started: float = field(default_factory=time.time)
    finished: float | None = None
    result: dict[str, Any] | None = None
    failure: Described | None = None  # described (and logged) once, when it failed; no traceback kept


class Busy(Conflict):
    """Another job of the kind is running (the API's 409, as every Conflict)."""

    def __init__(self, running: Job):
        self.running = running
        super().__init__(f"another {running.kind} job is running ({running.subject}, job {running.id})")


class Jobs:
    """The jobs of one app: started, looked up, and the finished ones forgotten beyond KEPT."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(
        self, kind: str, subject: str, work: Callable[[], dict[str, Any]], after: Callable[[], None] | None = None
    ) -> Job:
        """Run `work` in a worker thread as a new job (raises Busy while a job of the kind runs); `after`
        runs once it succeeded (e.g. switch the served store)."""
        with self._lock:
            running = next((j for j in self._jobs.values() if j.kind == kind and j.status == "running"), None)
            if running is not None:
                raise Busy(running)
            job = Job(id=uuid.uuid4().hex[:16], kind=kind, subject=subject)
            self._jobs[job.id] = job
            while len(self._jobs) > KEPT:
                self._jobs.popitem(last=False)
        # not a daemon: at shutdown the interpreter waits for the build, which never stops halfway (a document
        # installed but not in the manifest), instead of being killed with it
        threading.Thread(target=self._run, args=(job, work, after), name=f"zhiye-job-{job.id}").start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    @staticmethod
    def _run(job: Job, work: Callable[[], dict[str, Any]], after: Callable[[], None] | None) -> None:
        try:
            job.result = work()
            if after is not None:
                after()
            job.status = "succeeded"
        except Exception as exc:  # the job reports every failure; the thread must not die silently
            job.failure, job.status = describe(exc), "failed"
        finally:
            job.finished = time.time()
