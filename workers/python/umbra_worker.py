"""Umbra worker kit: render Umbra jobs with your own model.

A remote worker claims jobs from an Umbra server over HTTP, renders them with your code and uploads the
results (the remote worker protocol, version 1: docs/worker-protocol.md). This module is the whole kit:
one file, the Python standard library only, Python 3.9 or later. Copy it next to your code:

    import os
    from umbra_worker import Failure, main

    def render(job, progress):
        out = job.outputs[0]                        # type, content_type, width, height
        path = os.path.join(job.workdir, 'out.png')
        my_model(job.request['prompt'], out.width, out.height).save(path)
        return [path]                               # one file per job.outputs, in that order

    if __name__ == '__main__':
        main(render)    # --server http://host:8080/v1 --token umbra-wkr-... [--models uni-1-max]

The handler gets a Job (id, attempt, model, type, request, inputs as local files, outputs, workdir) and
`progress(fraction)`. It returns the output files (a list in the order of `job.outputs`, or a dict of
output type to path); the kit uploads them and reports the job complete. `raise Failure(code, reason)`
ends the job with one of the nine failure codes; any other exception is reported as a retryable
`generation_failed`, so the server tries the job again (elsewhere, perhaps) while attempts remain.

The kit heartbeats while the handler runs. When the server says the lease is gone (the job was given to
another worker), `job.cancelled` becomes True and `job.check()` raises Cancelled: long handlers should
call it now and then. Network errors and server errors are logged and retried with backoff, so a
restarting server is ridden out. SIGINT/SIGTERM stop claiming and let running jobs finish for
`--grace-seconds` (default 8); a job still rendering then is handed back to the queue (another worker
takes it at once, and no attempt is spent) and `job.check()` raises Cancelled. A second signal exits at
once (the server requeues those jobs when their lease runs out).
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import mimetypes
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = [
    'FAILURE_CODES',
    'Cancelled',
    'Failure',
    'Job',
    'Output',
    'Worker',
    'WorkerError',
    'main',
    'match_outputs',
]

PROTOCOL = 1
#: The failure codes of the contract (section 3.4), the only ones `fail` accepts.
FAILURE_CODES = (
    'content_moderated',
    'generation_failed',
    'budget_exhausted',
    'output_not_found',
    'image_too_large',
    'unsupported_format',
    'corrupt_input',
    'invalid_request',
    'rate_limited',
)
TOKEN_PREFIX = 'umbra-wkr-'
MAX_WAIT_SECONDS = 25
# After the grace, how long the kit tries to hand unfinished jobs back (or deliver finished ones).
HAND_BACK_SECONDS = 3.0
INSTANCE_NAME = re.compile(r'^[A-Za-z0-9._-]{1,64}$')
#: The server refuses longer failure reasons.
MAX_REASON = 2000

log = logging.getLogger('umbra_worker')

PathLike = Union[str, 'os.PathLike[str]']
Handler = Callable[
    ['Job', Callable[[float], None]], Union[Sequence[PathLike], Mapping[str, PathLike], PathLike]
]


class Failure(Exception):
    """Raise from a handler to end the job with a failure code.

    `Failure('content_moderated', 'the output was flagged')` fails the job for good; API clients see the
    code as `failure_code` and the reason as `failure_reason` (the contract's generic text when None).
    `retryable=True` asks the server to queue the job again while attempts remain (e.g. `rate_limited`).
    """

    def __init__(self, code: str, reason: Optional[str] = None, retryable: bool = False) -> None:
        if code not in FAILURE_CODES:
            raise ValueError(f'unknown failure code {code!r} (use one of: {", ".join(FAILURE_CODES)})')
        if reason is not None and not isinstance(reason, str):
            raise TypeError('Failure reason must be a string or None')
        super().__init__(code if reason is None else f'{code}: {reason}')
        self.code = code
        self.reason = None if reason is None else reason[:MAX_REASON]
        self.retryable = bool(retryable)


class Cancelled(Exception):
    """Raised by `Job.check()` once the job's lease is gone: another worker may be rendering it now."""


class WorkerError(Exception):
    """The server refused this worker's claims for good (e.g. a wrong URL or an unknown model)."""


@dataclass(frozen=True)
class Output:
    """One file the job must produce. `width`/`height` are None when the size follows an input."""

    type: str
    content_type: str
    width: Optional[int]
    height: Optional[int]
    url: str = field(repr=False)
    # Headers the upload must carry exactly as given (the URL's signature may cover them).
    headers: Dict[str, str] = field(default_factory=dict, repr=False)


class Job:
    """A claimed job, as the handler sees it.

    id, attempt, model, type; request: the validated request as the server stored it (defaults applied);
    inputs: slot (e.g. 'image_ref[0]', 'source') -> local path of the downloaded file; input_types: slot ->
    media type; outputs: the files to produce (Output); workdir: a scratch directory, removed afterwards.
    source_seconds: set it to the source video's length (seconds) for a video_edit or video_reframe; those
    are charged by it, and without it the client pays the reservation, priced at the longest source.
    """

    def __init__(self, wire: Mapping[str, Any], workdir: str) -> None:
        self.id: str = wire['id']
        self.attempt: int = wire['attempt']
        self.model: str = wire['model']
        self.type: str = wire['type']
        self.request: Dict[str, Any] = dict(wire.get('request') or {})
        self.outputs: List[Output] = [
            Output(
                o['type'], o['content_type'], o.get('width'), o.get('height'), o['url'], dict(o.get('headers') or {})
            )
            for o in wire.get('outputs') or []
        ]
        self.inputs: Dict[str, str] = {}
        self.input_types: Dict[str, str] = {
            i['slot']: i.get('media_type', '') for i in wire.get('inputs') or []
        }
        self.workdir = workdir
        self.lease_ms: int = int(wire.get('lease_ms') or 30000)
        # How often to heartbeat (the progress travels with it; a 409 answer is how a cancel arrives).
        # A server from before `heartbeat_ms` leaves it at a third of the lease.
        self.heartbeat_ms: int = int(wire.get('heartbeat_ms') or max(50, self.lease_ms // 3))
        self.max_upload_bytes: Optional[int] = wire.get('max_upload_bytes')
        self.source_seconds: Optional[float] = None
        self._lease: str = wire['lease']
        # Set (under the worker's lock) when the job was handed back at stop, or went on to delivery.
        self._handed_back = threading.Event()
        self._delivering = False
        self._input_urls: Dict[str, str] = {i['slot']: i['url'] for i in wire.get('inputs') or []}
        self._cancelled = threading.Event()
        self._progress = 0.0

    @property
    def prompt(self) -> str:
        return str(self.request.get('prompt') or '')

    @property
    def cancelled(self) -> bool:
        """True once the server said this attempt's lease is gone: stop rendering."""
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raises Cancelled when the lease is gone; call it between steps of a long render."""
        if self._cancelled.is_set():
            raise Cancelled(f'job {self.id}: lease lost (attempt {self.attempt} is no longer current)')

    @property
    def progress(self) -> float:
        return self._progress

    def report_progress(self, fraction: float) -> None:
        """Records progress from 0 to 1, sent with the next heartbeat (it never goes back)."""
        try:
            f = float(fraction)
        except (TypeError, ValueError):
            return
        if f == f:  # not NaN
            self._progress = max(self._progress, min(1.0, max(0.0, f)))

    def __repr__(self) -> str:
        return f'Job({self.id!r}, attempt={self.attempt}, {self.model}/{self.type})'


# --- pure helpers -----------------------------------------------------------------------------------

_SIGNATURES = {
    'image/png': lambda h: h[:8] == b'\x89PNG\r\n\x1a\n',
    'image/jpeg': lambda h: h[:3] == b'\xff\xd8\xff',
    'video/mp4': lambda h: len(h) >= 12 and h[4:8] == b'ftyp',
    'application/zip': lambda h: h[:4] == b'PK\x03\x04',
}


def looks_like(content_type: str, head: bytes) -> bool:
    """Whether a file's first bytes are what the server accepts for `content_type` (unknown types pass)."""
    check = _SIGNATURES.get(content_type)
    return True if check is None else check(head)


def match_outputs(outputs: Sequence[Output], result: Any) -> List[Tuple[Output, str]]:
    """Pairs the handler's result with the job's outputs; raises ValueError/TypeError when they do not fit.

    A list (or tuple) is taken in the order of `outputs` and must have one path per output; a dict maps
    output type ('image', 'video', 'exr') to path, and types the job does not make are ignored; a single
    path is a one-element list. Every file must exist and start like its content type.
    """
    if isinstance(result, (str, os.PathLike)):
        result = [result]
    kinds = ', '.join(o.type for o in outputs)
    if isinstance(result, Mapping):
        missing = [o.type for o in outputs if o.type not in result]
        if missing:
            raise ValueError(
                f'the handler returned no file for {", ".join(missing)} (this job makes {kinds})'
            )
        pairs = [(o, result[o.type]) for o in outputs]
    elif isinstance(result, (list, tuple)):
        if len(result) != len(outputs):
            raise ValueError(
                f'the handler returned {len(result)} file(s); '
                f'this job makes {len(outputs)} ({kinds}), in that order'
            )
        pairs = list(zip(outputs, result))
    else:
        raise TypeError(
            'the handler must return a list of file paths or a dict of output type to path, '
            f'not {type(result).__name__}'
        )
    matched = []
    for out, p in pairs:
        path = os.fspath(p)
        if not os.path.isfile(path):
            raise ValueError(f'{out.type} output: {path} is not a file')
        with open(path, 'rb') as f:
            head = f.read(16)
        if not looks_like(out.content_type, head):
            raise ValueError(f'{out.type} output: {path} is not {out.content_type}')
        matched.append((out, path))
    return matched


_EXTENSIONS = {
    'image/png': '.png',
    'image/jpeg': '.jpg',
    'image/webp': '.webp',
    'image/gif': '.gif',
    'video/mp4': '.mp4',
    'video/quicktime': '.mov',
    'video/webm': '.webm',
}


def input_filename(slot: str, media_type: str) -> str:
    """A safe local file name for an input: 'image_ref[0]' + image/png -> 'image_ref_0.png'."""
    stem = re.sub(r'[^A-Za-z0-9]+', '_', slot).strip('_') or 'input'
    ext = _EXTENSIONS.get(media_type) or mimetypes.guess_extension(media_type or '') or ''
    return stem + ext


def backoff_seconds(failures: int) -> float:
    """Delay after the n-th consecutive failure: 0.25 s doubling to 5 s."""
    return min(5.0, 0.25 * 2 ** max(0, failures - 1))


# --- HTTP --------------------------------------------------------------------------------------------


class _Unavailable(Exception):
    """A network error or an answer worth sending again later (5xx, 401, 408, 429)."""


class _Answer:
    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode('utf-8'))

    def detail(self) -> str:
        try:
            detail = self.json().get('detail')
            if isinstance(detail, str):
                return detail[:300]
        except (ValueError, AttributeError):
            pass
        return self.body[:300].decode('utf-8', 'replace')


def _where(url: str) -> str:
    """A URL without its query: signed URLs carry their signature there."""
    return url.split('?', 1)[0]


def _connection(url: str, timeout: float) -> Tuple[http.client.HTTPConnection, str]:
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ('http', 'https') or not u.netloc:
        raise ValueError(f'not an http(s) URL: {_where(url)}')
    cls = http.client.HTTPSConnection if u.scheme == 'https' else http.client.HTTPConnection
    conn = cls(u.netloc.rpartition('@')[2], timeout=timeout, blocksize=1 << 20)
    return conn, (u.path or '/') + ('?' + u.query if u.query else '')


def _send(
    method: str,
    url: str,
    body: Any = None,
    headers: Optional[Mapping[str, str]] = None,
    timeout: float = 30.0,
    connected: Optional[Callable[[http.client.HTTPConnection], bool]] = None,
) -> Optional[_Answer]:
    """One request. Raises _Unavailable on network errors and on answers to try again later; returns
    None when `connected` (called once connected) says not to go on."""
    conn, path = _connection(url, timeout)
    try:
        conn.connect()
        if connected is not None and not connected(conn):
            return None
        conn.request(method, path, body=body, headers=dict(headers or {}))
        res = conn.getresponse()
        answer = _Answer(res.status, res.read())
    except (OSError, http.client.HTTPException) as err:
        raise _Unavailable(f'{method} {_where(url)}: {err or type(err).__name__}') from err
    finally:
        conn.close()
    if answer.status >= 500 or answer.status in (401, 408, 429):
        raise _Unavailable(f'{method} {_where(url)}: HTTP {answer.status} {answer.detail()}')
    return answer


def _download(url: str, dest: str, timeout: float = 60.0) -> int:
    """Streams a GET into `dest`; returns the status (the file is written only on 200)."""
    conn, path = _connection(url, timeout)
    try:
        conn.request('GET', path)
        res = conn.getresponse()
        if res.status != 200:
            res.read()
            if res.status >= 500 or res.status in (408, 429):
                raise _Unavailable(f'GET {_where(url)}: HTTP {res.status}')
            return res.status
        with open(dest, 'wb') as f:
            shutil.copyfileobj(res, f, 1 << 20)
        return 200
    except (OSError, http.client.HTTPException) as err:
        raise _Unavailable(f'GET {_where(url)}: {err or type(err).__name__}') from err
    finally:
        conn.close()


def _upload(out: Output, path: str, timeout: float = 120.0) -> _Answer:
    """Streams a file to its signed upload URL, with its Content-Length (never read whole)."""
    with open(path, 'rb') as f:
        size = os.fstat(f.fileno()).st_size
        headers = {'content-type': out.content_type}
        headers.update({k.lower(): v for k, v in out.headers.items()})
        headers['content-length'] = str(size)
        answer = _send('PUT', out.url, body=f, headers=headers, timeout=timeout)
    assert answer is not None
    return answer


# --- the worker --------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    kind: str  # 'complete' | 'fail'
    files: List[Tuple[Output, str]] = field(default_factory=list)
    code: str = 'generation_failed'
    reason: Optional[str] = None
    retryable: bool = True
    uploaded: set = field(default_factory=set)


def _fail(code: str, reason: Optional[str] = None, retryable: bool = False) -> _Outcome:
    return _Outcome('fail', code=code, reason=reason, retryable=retryable)


class Worker:
    """Claims jobs and runs `handler(job, progress)` on them, `concurrency` at once (threads).

    server: the base URL printed at start-up (http://host:8080/v1); token: an `umbra-wkr-...` token;
    models/types: what to claim (None = all the token allows); instance: this process's name in
    `umbra workers` (default host-pid); wait_seconds: length of each claim's long poll (0-25);
    grace_seconds: after stop(), how long running jobs may still finish before they are handed back.
    """

    def __init__(
        self,
        server: str,
        token: str,
        handler: Handler,
        models: Optional[Sequence[str]] = None,
        types: Optional[Sequence[str]] = None,
        concurrency: int = 1,
        instance: Optional[str] = None,
        wait_seconds: float = 20,
        grace_seconds: float = 8,
    ) -> None:
        self.server = (server or '').rstrip('/')
        if urllib.parse.urlsplit(self.server).scheme not in ('http', 'https'):
            raise ValueError(f'server must be the http(s) base URL printed at start-up, got {server!r}')
        if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
            raise ValueError(f"token must be a worker token starting with '{TOKEN_PREFIX}'")
        if not callable(handler):
            raise TypeError('handler must be callable as handler(job, progress)')
        if not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError('concurrency must be a positive integer')
        if not 0 <= wait_seconds <= MAX_WAIT_SECONDS:
            raise ValueError(f'wait_seconds must be from 0 to {MAX_WAIT_SECONDS}')
        if not grace_seconds >= 0:
            raise ValueError('grace_seconds must be a number of seconds, 0 or more')
        if instance is None:
            instance = re.sub(r'[^A-Za-z0-9._-]', '-', f'{socket.gethostname()}-{os.getpid()}')[:64]
        if not INSTANCE_NAME.match(instance):
            raise ValueError('instance must be 1-64 letters, digits, dots, dashes or underscores')
        self.token = token
        self.handler = handler
        self.models = _names(models)
        self.types = _names(types)
        self.concurrency = concurrency
        self.instance = instance
        self.wait_seconds = wait_seconds
        self.grace_seconds = float(grace_seconds)
        self._stopping = threading.Event()
        self._stopped_at = 0.0
        self._slots = threading.Semaphore(concurrency)
        self._lock = threading.RLock()  # RLock: stop() may run in a signal handler on a thread holding it
        self._claim_conn: Optional[http.client.HTTPConnection] = None
        self._jobs: Dict[str, threading.Thread] = {}
        self._running: Dict[str, Job] = {}
        self._fatal: Optional[str] = None

    # public

    def run(self) -> None:
        """Claims and renders jobs until stop() (or SIGINT/SIGTERM in the main thread); then lets the running
        jobs finish for `grace_seconds` and hands back the rest. Raises WorkerError when the server refuses
        the claims for good."""
        restore = self._handle_signals()
        try:
            log.info(
                "worker '%s' claiming %s from %s (%d at once)",
                self.instance,
                ', '.join(self.models) if self.models else 'every model its token allows',
                self.server,
                self.concurrency,
            )
            self._claim_loop()
            self._wait_for_jobs()
        finally:
            restore()
        if self._fatal is not None:
            raise WorkerError(self._fatal)

    def stop(self) -> None:
        """Stops claiming (a waiting claim is dropped); running jobs get `grace_seconds` to finish, then
        run() hands them back to the queue. Safe from any thread."""
        if self._stopping.is_set():
            return
        self._stopped_at = time.monotonic()
        self._stopping.set()
        log.info(
            'stopping: no new claims; %d running job(s) get %.1f s to finish',
            len(self._jobs),
            self.grace_seconds,
        )
        with self._lock:
            conn = self._claim_conn
        sock = getattr(conn, 'sock', None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # claiming

    def _headers(self) -> Dict[str, str]:
        return {
            'Authorization': f'Bearer {self.token}',
            'Content-Type': 'application/json',
            'Accept': 'application/json',
        }

    def _claim_loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            if not self._slots.acquire(timeout=0.25):
                continue
            try:
                job = self._claim()
            except _Unavailable as err:
                self._slots.release()
                if self._stopping.is_set():
                    break
                failures += 1
                delay = backoff_seconds(failures)
                log.warning('claim failed (%s); trying again in %.2f s', err, delay)
                self._stopping.wait(delay)
                continue
            except WorkerError as err:
                self._slots.release()
                self._fatal = str(err)
                log.error('%s', err)
                self.stop()
                break
            failures = 0
            if job is None:
                self._slots.release()
                continue
            # A job claimed just as stop began still runs: stop waits for running jobs anyway.
            thread = threading.Thread(target=self._run_job, args=(job,), name=f'umbra-job-{job["id"][:8]}')
            thread.daemon = True
            with self._lock:
                self._jobs[job['id']] = thread
            thread.start()

    def _claim(self) -> Optional[Dict[str, Any]]:
        body = {'protocol': PROTOCOL, 'instance': self.instance, 'wait_seconds': self.wait_seconds}
        if self.models is not None:
            body['models'] = self.models
        if self.types is not None:
            body['types'] = self.types

        def connected(conn: http.client.HTTPConnection) -> bool:
            with self._lock:
                if self._stopping.is_set():
                    return False
                self._claim_conn = conn
                return True

        try:
            answer = _send(
                'POST',
                f'{self.server}/worker/claim',
                json.dumps(body).encode(),
                self._headers(),
                timeout=self.wait_seconds + 30,
                connected=connected,
            )
        except _Unavailable:
            if self._stopping.is_set():
                return None
            raise
        finally:
            with self._lock:
                self._claim_conn = None
        if answer is None or answer.status == 204:
            return None
        if answer.status == 200:
            try:
                return answer.json()['job']
            except (ValueError, KeyError, TypeError) as err:
                raise _Unavailable(f'claim: unreadable answer ({err})') from err
        hint = ' (is --server the base URL ending in /v1?)' if answer.status == 404 else ''
        raise WorkerError(f'claim refused: HTTP {answer.status} {answer.detail()}{hint}')

    def _wait_for_jobs(self) -> None:
        """Waits for the running jobs for the grace (counted from stop()), hands back those still rendering,
        and gives deliveries a little longer; bounded, so a handler that never returns cannot hold the exit
        (its thread is a daemon)."""
        grace_ends = (self._stopped_at or time.monotonic()) + self.grace_seconds
        if self._join_until(grace_ends):
            return
        give_up = time.monotonic() + HAND_BACK_SECONDS
        with self._lock:
            rendering = [j for j in self._running.values() if not j._delivering]
            for job in rendering:
                job._handed_back.set()
                job._cancelled.set()  # job.check() raises: the handler should stop
        for job in rendering:
            self._hand_back(job, give_up)
        if not self._join_until(give_up):
            with self._lock:
                left = [j.id for j in self._running.values() if not j._handed_back.is_set()]
            for job_id in left:
                log.warning('job %s: not delivered in time; queued again once its lease runs out', job_id)

    def _join_until(self, deadline: float) -> bool:
        """True once every job thread has ended (or handed its job back); False at `deadline`."""
        while True:
            with self._lock:
                handed_back = {i for i, j in self._running.items() if j._handed_back.is_set()}
                running = [t for i, t in self._jobs.items() if t.is_alive() and i not in handed_back]
            left = deadline - time.monotonic()
            if not running:
                return True
            if left <= 0:
                return False
            running[0].join(min(0.1, left))

    def _hand_back(self, job: Job, until: float) -> None:
        """Releases the job to the queue at once (no attempt spent), trying until `until`."""
        failures = 0
        while True:
            left = until - time.monotonic()
            if left <= 0:
                log.warning('job %s: not handed back in time; queued again once its lease runs out', job.id)
                return
            try:
                answer = self._lease_call(job, 'release', {'delay_ms': 0}, timeout=max(0.2, left))
            except _Unavailable as err:
                failures += 1
                log.warning('job %s: release not delivered (%s)', job.id, err)
                time.sleep(min(backoff_seconds(failures), max(0.0, until - time.monotonic())))
                continue
            if answer.status == 200:
                log.info('job %s: handed back to the queue (worker stopping)', job.id)
            elif answer.status == 409:
                log.warning('job %s: lease already gone; nothing to hand back', job.id)
            else:
                log.error('job %s: release refused: HTTP %d %s', job.id, answer.status, answer.detail())
            return

    def _handle_signals(self) -> Callable[[], None]:
        if threading.current_thread() is not threading.main_thread():
            return lambda: None

        def on_signal(signum: int, _frame: Any) -> None:
            if self._stopping.is_set():
                log.warning(
                    'second signal: exiting now; running jobs return to the queue when their lease runs out'
                )
                raise KeyboardInterrupt
            log.info(
                '%s: running jobs get %.1f s to finish, then go back to the queue (again: exit now)',
                signal.Signals(signum).name,
                self.grace_seconds,
            )
            self.stop()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}

        def restore() -> None:
            for s, h in previous.items():
                signal.signal(s, h)

        return restore

    # one job

    def _run_job(self, wire: Dict[str, Any]) -> None:
        workdir = None
        beat = None
        try:
            workdir = tempfile.mkdtemp(prefix=f'umbra-{wire["id"][:8]}-')
            job = Job(wire, workdir)
            with self._lock:
                self._running[job.id] = job
            beat = _Heartbeat(self, job)
            beat.start()
            outcome = self._render(job)
            with self._lock:
                # A render that finished before the grace ran out is delivered; one handed back is not.
                if outcome is not None and not job._handed_back.is_set():
                    job._delivering = True
            if job._delivering and outcome is not None:
                self._deliver(job, outcome)
        except Exception:
            log.exception(
                'job %s: unexpected error in the worker kit; the job returns to the queue', wire.get('id')
            )
        finally:
            if beat is not None:
                beat.done.set()
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)
            with self._lock:
                self._jobs.pop(wire.get('id', ''), None)
                self._running.pop(wire.get('id', ''), None)
            self._slots.release()

    def _render(self, job: Job) -> Optional[_Outcome]:
        """Runs the handler; returns what to report, or None when the lease is gone."""
        started = time.monotonic()
        log.info('job %s attempt %d: %s/%s', job.id, job.attempt, job.model, job.type)
        try:
            self._fetch_inputs(job)
            result = self.handler(job, job.report_progress)
            job.check()
            files = match_outputs(job.outputs, result)
        except Cancelled:
            if job._handed_back.is_set():
                log.info('job %s: handed back; stopped rendering', job.id)
            else:
                log.warning('job %s: lease lost; stopped rendering', job.id)
            return None
        except Failure as f:
            if job.cancelled:
                return None
            log.warning('job %s: %s', job.id, f)
            return _fail(f.code, f.reason, f.retryable)
        except Exception:
            if job.cancelled:
                log.warning('job %s: lease lost', job.id)
                return None
            log.exception('job %s: the handler failed; reported as a retryable generation_failed', job.id)
            return _fail('generation_failed', None, True)
        log.info('job %s: rendered in %.1f s', job.id, time.monotonic() - started)
        return _Outcome('complete', files=files)

    def _fetch_inputs(self, job: Job) -> None:
        if not job._input_urls:
            return
        folder = os.path.join(job.workdir, 'inputs')
        os.makedirs(folder, exist_ok=True)
        for slot, url in job._input_urls.items():
            job.check()
            dest = os.path.join(folder, input_filename(slot, job.input_types.get(slot, '')))
            status = _download(url, dest)
            if status == 404:
                raise Failure('invalid_request', f'{slot}: input media is no longer available')
            if status != 200:
                raise RuntimeError(f'input {slot}: HTTP {status}')
            job.inputs[slot] = dest

    def _deliver(self, job: Job, outcome: _Outcome) -> None:
        """Sends the outcome until the server answers (409: the lease is gone, nothing to do)."""
        failures = 0
        while True:
            try:
                if outcome.kind == 'complete':
                    settled = self._complete(job, outcome)
                    if isinstance(settled, _Outcome):
                        outcome = settled
                        continue
                else:
                    settled = self._report_fail(job, outcome)
                break
            except _Unavailable as err:
                failures += 1
                delay = backoff_seconds(failures)
                log.warning(
                    'job %s: %s not delivered (%s); trying again in %.2f s', job.id, outcome.kind, err, delay
                )
                time.sleep(delay)
        if settled == 'lost':
            log.warning('job %s: lease lost before the %s was taken; nothing kept', job.id, outcome.kind)
        else:
            log.info('job %s: %s', job.id, settled)

    def _complete(self, job: Job, outcome: _Outcome) -> Union[str, _Outcome]:
        for out, path in outcome.files:
            if job.cancelled:
                return 'lost'
            if out.type in outcome.uploaded:
                continue
            size = os.path.getsize(path)
            if job.max_upload_bytes is not None and size > job.max_upload_bytes:
                log.error(
                    'job %s: %s output is %d bytes, over the %d-byte limit',
                    job.id,
                    out.type,
                    size,
                    job.max_upload_bytes,
                )
                return _fail('generation_failed')
            answer = _upload(out, path)
            if answer.status == 409:
                return 'lost'
            if not 200 <= answer.status < 300:
                # 422: the server has failed the job itself; anything else cannot go better next time here.
                why = f'HTTP {answer.status} {answer.detail()}'
                log.error('job %s: upload of %s refused: %s', job.id, out.type, why)
                return _fail('generation_failed', None, answer.status not in (413, 422))
            outcome.uploaded.add(out.type)
        body: Dict[str, Any] = {}
        if job.source_seconds is not None:
            body['source_seconds'] = float(job.source_seconds)
        answer = self._lease_call(job, 'complete', body)
        if answer.status == 200:
            return 'completed'
        if answer.status == 409:
            return 'lost'
        log.error('job %s: complete refused: HTTP %d %s', job.id, answer.status, answer.detail())
        return _fail('generation_failed', None, True)

    def _report_fail(self, job: Job, outcome: _Outcome) -> str:
        body: Dict[str, Any] = {'failure_code': outcome.code, 'retryable': outcome.retryable}
        if outcome.reason is not None:
            body['failure_reason'] = outcome.reason
        answer = self._lease_call(job, 'fail', body)
        if answer.status == 200:
            state = answer.json().get('state')
            if state == 'failed':
                return f'failed with {outcome.code}'
            return f'{outcome.code}; queued to try again'
        if answer.status == 409:
            return 'lost'
        log.error('job %s: fail refused: HTTP %d %s', job.id, answer.status, answer.detail())
        return 'refused'

    def _lease_call(self, job: Job, what: str, body: Dict[str, Any], timeout: float = 30.0) -> _Answer:
        payload = {'attempt': job.attempt, 'lease': job._lease, **body}
        url = f'{self.server}/worker/jobs/{job.id}/{what}'
        answer = _send('POST', url, json.dumps(payload).encode(), self._headers(), timeout)
        assert answer is not None
        return answer


class _Heartbeat(threading.Thread):
    """Extends a job's lease as often as the server asks (`heartbeat_ms`), with its progress; a 409
    (the lease is gone: given to another worker, or the job was canceled) cancels the job."""

    def __init__(self, worker: Worker, job: Job) -> None:
        super().__init__(name=f'umbra-heartbeat-{job.id[:8]}', daemon=True)
        self.worker = worker
        self.job = job
        self.done = threading.Event()

    def run(self) -> None:
        every = max(0.05, self.job.heartbeat_ms / 1000)
        while not self.done.wait(every):
            try:
                answer = self.worker._lease_call(
                    self.job, 'heartbeat', {'progress': self.job.progress}, timeout=max(2.0, every * 2)
                )
            except _Unavailable as err:
                log.warning('job %s: heartbeat failed (%s)', self.job.id, err)
                continue
            if answer.status == 409:
                if not self.done.is_set() and not self.job._handed_back.is_set():
                    log.warning('job %s: lease lost (canceled, or given to another worker)', self.job.id)
                    self.job._cancelled.set()
                return
            if answer.status != 200:
                log.warning(
                    'job %s: heartbeat refused: HTTP %d %s', self.job.id, answer.status, answer.detail()
                )


def _names(v: Optional[Union[str, Sequence[str]]]) -> Optional[List[str]]:
    if v is None:
        return None
    items = v.split(',') if isinstance(v, str) else list(v)
    names = [s.strip() for s in items if s.strip()]
    return names or None


# --- command line ------------------------------------------------------------------------------------


def main(handler: Handler, argv: Optional[Sequence[str]] = None, description: Optional[str] = None) -> None:
    """Command line for a worker script: `main(render)` parses --server, --token, --models, --types,
    --concurrency, --instance, --wait-seconds, --grace-seconds and --log-level, then runs a Worker until
    SIGINT/SIGTERM."""

    def positive(s: str) -> int:
        n = int(s)
        if n < 1:
            raise argparse.ArgumentTypeError('must be a positive integer')
        return n

    p = argparse.ArgumentParser(description=description or 'An Umbra remote worker (protocol 1).')
    p.add_argument(
        '--server',
        default=os.environ.get('UMBRA_SERVER_URL'),
        help='the server base URL printed at start-up, e.g. http://host:8080/v1 (env UMBRA_SERVER_URL)',
    )
    p.add_argument(
        '--token',
        default=os.environ.get('UMBRA_WORKER_TOKEN'),
        help='a worker token from `umbra worker-tokens create` (env UMBRA_WORKER_TOKEN)',
    )
    p.add_argument('--models', help='comma-separated models to claim (default: all the token allows)')
    p.add_argument('--types', help='comma-separated generation types to claim (default: all)')
    p.add_argument('--concurrency', type=positive, default=1, help='jobs rendered at once (default 1)')
    p.add_argument('--instance', help='this process in `umbra workers` (default host-pid)')
    p.add_argument(
        '--wait-seconds', type=float, default=20, help='long-poll length of each claim, 0-25 (default 20)'
    )
    p.add_argument(
        '--grace-seconds',
        type=float,
        default=8,
        help='on SIGTERM, how long running jobs may finish before they go back to the queue (default 8)',
    )
    p.add_argument('--log-level', default='info', choices=['debug', 'info', 'warning', 'error'])
    a = p.parse_args(argv)
    if not a.server:
        p.error('--server (or UMBRA_SERVER_URL) is required')
    if not a.token:
        p.error('--token (or UMBRA_WORKER_TOKEN) is required')
    logging.basicConfig(level=a.log_level.upper(), format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    try:
        worker = Worker(
            a.server,
            a.token,
            handler,
            models=a.models,
            types=a.types,
            concurrency=a.concurrency,
            instance=a.instance,
            wait_seconds=a.wait_seconds,
            grace_seconds=a.grace_seconds,
        )
    except ValueError as err:
        p.error(str(err))
    try:
        worker.run()
    except WorkerError:
        raise SystemExit(1)
    except KeyboardInterrupt:
        raise SystemExit(130)
