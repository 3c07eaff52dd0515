"""Audit jobs for the REST service: persisted as folders, run one at a time as `compliance audit`
processes, and picked up again after a restart.

A job is a folder `<root>/<id>/` holding `job.json` (who asked, what, its state), `input/` (the
uploaded file) and `out/` (the audit's own output folder). Everything a job knows is on disk:
a new service process reads the folders and finds every job as it was. The audit itself is a
child process, so checking never holds up the service, and since `compliance audit` resumes,
a job whose process died (or whose service restarted) is simply run again and continues where
it stopped.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from compliance.audit.state import RESULTS, load_state
from compliance.errors import ComplianceError
from compliance.io.formats import FORMATS

JOB_FILE = "job.json"
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
UNFINISHED = ("queued", "running")


def default_root() -> Path:
    """`$COMPLIANCE_AUDIT_DIR`, else `audits/` in the service's data folder."""
    explicit = os.environ.get("COMPLIANCE_AUDIT_DIR")
    if explicit:
        return Path(explicit)
    from compliance.store.db import default_data_dir

    return default_data_dir() / "audits"


@dataclass
class Job:
    id: str
    organisation: str
    input_name: str
    fmt: str = "auto"
    platform: str | None = None
    connection: str | None = None
    pack: str = "us-ftc"
    state: str = "queued"  # queued | running | done | failed
    created_at: str = ""
    finished_at: str | None = None
    error: dict[str, Any] | None = None
    pid: int | None = None
    exit_code: int | None = None


def _now() -> str:
    from compliance.audit.state import now

    return now()


class JobStore:
    def __init__(self, root: Path, workers: int = 1) -> None:
        self.root = root
        self.workers = workers
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.root.mkdir(parents=True, exist_ok=True)

    # ---------------------------------------------------------------------------- persistence
    def folder(self, job_id: str) -> Path:
        return self.root / job_id

    def save(self, job: Job) -> None:
        path = self.folder(job.id) / JOB_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(orjson.dumps(asdict(job), option=orjson.OPT_INDENT_2))
        os.replace(tmp, path)

    def load(self, job_id: str) -> Job | None:
        if not re.fullmatch(r"[0-9a-f]{32}", job_id):
            return None
        try:
            return Job(**orjson.loads((self.folder(job_id) / JOB_FILE).read_bytes()))
        except (OSError, orjson.JSONDecodeError, TypeError):
            return None

    def get(self, job_id: str, organisation: str) -> Job | None:
        """The job if it exists and belongs to `organisation` (others never see it)."""
        job = self.load(job_id)
        if job is None or job.organisation != organisation:
            return None
        if job.state == "running" and not _alive(job.pid, job.id):
            # its process ended without this service watching (a restart in between)
            state = load_state(self.out(job))
            done = state is not None and state.complete
            job.state, job.pid = ("done" if done else "queued"), None
            if done:
                job.finished_at = _now()
            self.save(job)
            self._wake.set()
        return job

    def jobs(self) -> list[Job]:
        found = [self.load(p.name) for p in self.root.iterdir() if p.is_dir()]
        return sorted((j for j in found if j is not None), key=lambda j: (j.created_at, j.id))

    def input_path(self, job: Job) -> Path:
        return self.folder(job.id) / "input" / job.input_name

    def out(self, job: Job) -> Path:
        return self.folder(job.id) / "out"

    # -------------------------------------------------------------------------------- create
    def create(
        self,
        organisation: str,
        filename: str,
        data: bytes | None = None,
        source: Path | None = None,
        fmt: str = "auto",
        platform: str | None = None,
        connection: str | None = None,
        pack: str = "us-ftc",
    ) -> Job:
        """A queued job for an uploaded file (`data`) or a file on the server (`source`)."""
        if fmt not in FORMATS:
            raise ComplianceError("E005", detail=f"{fmt} (use one of {', '.join(FORMATS)})")
        name = SAFE_NAME.sub("_", Path(filename).name).strip("._") or "input"
        job = Job(
            id=uuid.uuid4().hex,
            organisation=organisation,
            input_name=name,
            fmt=fmt,
            platform=platform,
            connection=connection,
            pack=pack,
            created_at=_now(),
        )
        target = self.input_path(job)
        target.parent.mkdir(parents=True)
        if data is not None:
            target.write_bytes(data)
        elif source is not None:
            try:
                os.link(source, target)
            except OSError:
                target.write_bytes(source.read_bytes())
        # what the file holds is the job's to find out: a file the readers cannot take
        # makes a failed job with the coded error (E006, E007, ...), like any audit
        self.save(job)
        self._wake.set()
        return job

    # ------------------------------------------------------------------------------ progress
    def progress(self, job: Job) -> dict[str, Any]:
        state = load_state(self.out(job))
        if state is None:
            return {"rows_done": 0, "total": None, "checked": 0, "bad": 0, "fraction": 0.0}
        total = state.total or None
        return {
            "rows_done": state.rows_done,
            "total": total,
            "checked": state.checked,
            "bad": state.bad,
            "fraction": round(state.rows_done / total, 4) if total else 0.0,
        }

    def durable_results(self, job: Job) -> tuple[Path, int]:
        """results.jsonl and how many of its bytes are whole chunks (safe to send)."""
        state = load_state(self.out(job))
        size = state.offsets.get(RESULTS, 0) if state is not None else 0
        return self.out(job) / RESULTS, size

    # -------------------------------------------------------------------------------- runner
    def start(self) -> None:
        """Run queued jobs in a background thread; unfinished jobs of a previous process
        (queued, or running when it stopped) are queued again and resume."""
        with self._lock:
            if self._thread is not None:
                return
            for job in self.jobs():
                if job.state == "running" and not _alive(job.pid, job.id):
                    job.state, job.pid = "queued", None
                    self.save(job)
            self._thread = threading.Thread(target=self._loop, name="audit-jobs", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            ran = False
            for job in self.jobs():
                if job.state == "queued" and self.run(job) is not None:
                    ran = True
                    break
            if not ran:
                self._wake.wait(timeout=5.0)
                self._wake.clear()

    def command(self, job: Job) -> list[str]:
        cmd = [sys.executable, "-c", "from compliance.cli import main; main()", "audit"]
        cmd += [str(self.input_path(job)), "-o", str(self.out(job)), "--quiet"]
        cmd += ["--workers", str(self.workers), "--format", job.fmt, "--pack", job.pack]
        if job.platform:
            cmd += ["--platform", job.platform]
        if job.connection:
            cmd += ["--connection", job.connection]
        return cmd

    def run(self, job: Job) -> Job | None:
        """Run (or resume) one job to its end in a child process; None if another process
        (a second service worker on the same folder) is running it."""
        with _job_lock(self.folder(job.id)) as locked:
            if not locked:
                return None
            fresh = self.load(job.id)
            if fresh is None or fresh.state not in UNFINISHED:
                return None
            return self._run(fresh)

    def _run(self, job: Job) -> Job:
        proc = subprocess.Popen(
            self.command(job),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "COMPLIANCE_AUDIT_JOB": job.id},
        )
        job.state, job.pid = "running", proc.pid
        self.save(job)
        _, err = proc.communicate()
        job.pid, job.exit_code = None, proc.returncode
        state = load_state(self.out(job))
        if state is not None and state.complete and (self.out(job) / "report.html").exists():
            job.state = "done"
        elif proc.returncode in (-15, 130, -9):  # stopped from outside: resume next time
            job.state = "queued"
        else:
            job.state = "failed"
            lines = err.decode("utf-8", "replace").strip().splitlines()
            message = lines[-1] if lines else f"exit code {proc.returncode}"
            code = message.split()[1].rstrip(":") if message.startswith("error E") else "E011"
            job.error = {"code": code, "message": message[:500]}
        if job.state != "queued":
            job.finished_at = _now()
        self.save(job)
        return job


@contextlib.contextmanager
def _job_lock(folder: Path) -> Iterator[bool]:
    """An exclusive lock on a job folder, held while its audit runs (False: someone has it)."""
    handle = (folder / "lock").open("a")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        handle.close()


def _alive(pid: int | None, job_id: str) -> bool:
    """Is the audit process of this job still running (after a service restart)?"""
    if not pid:
        return False
    with contextlib.suppress(OSError):
        return job_id.encode() in Path(f"/proc/{pid}/environ").read_bytes()
    return False
