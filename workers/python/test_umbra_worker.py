"""Unit tests of the worker kit: pure helpers, and the worker against a scripted fake server.

Run with `python3 -m unittest` in this directory (the server's test suite runs it too).
"""

import json
import logging
import os
import struct
import tempfile
import threading
import time
import unittest
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import example_worker
import umbra_worker as uw
from umbra_worker import FAILURE_CODES, Cancelled, Failure, Job, Output, Worker, WorkerError

TOKEN = 'umbra-wkr-' + 'x' * 40
# The worker's log is for operators; the tests check what it sends.
uw.log.addHandler(logging.NullHandler())
uw.log.propagate = False
PNG_HEAD = b'\x89PNG\r\n\x1a\n'


def out(type_='image', content_type='image/png', width=None, height=None):
    return Output(type_, content_type, width, height, 'http://127.0.0.1:1/upload')


class FailureTest(unittest.TestCase):
    def test_every_documented_code_is_accepted(self):
        self.assertEqual(len(FAILURE_CODES), 9)
        for code in FAILURE_CODES:
            f = Failure(code)
            self.assertEqual((f.code, f.reason, f.retryable), (code, None, False))

    def test_an_unknown_code_is_refused_naming_the_valid_ones(self):
        with self.assertRaises(ValueError) as e:
            Failure('moderated')
        self.assertIn('content_moderated', str(e.exception))

    def test_reason_and_retryable(self):
        f = Failure('rate_limited', 'the provider throttled us', retryable=True)
        self.assertEqual((f.reason, f.retryable), ('the provider throttled us', True))
        self.assertEqual(str(f), 'rate_limited: the provider throttled us')
        self.assertEqual(len(Failure('invalid_request', 'x' * 5000).reason), uw.MAX_REASON)
        with self.assertRaises(TypeError):
            Failure('invalid_request', 42)


class MatchOutputsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def file(self, name, head):
        path = os.path.join(self.dir.name, name)
        with open(path, 'wb') as f:
            f.write(head + b'\x00' * 32)
        return path

    def test_a_list_goes_in_order_and_a_single_path_is_a_list(self):
        png = self.file('a.png', PNG_HEAD)
        image = out()
        self.assertEqual(uw.match_outputs([image], [png]), [(image, png)])
        self.assertEqual(uw.match_outputs([image], png), [(image, png)])
        video, exr = out('video', 'video/mp4'), out('exr', 'application/zip')
        mp4 = self.file('v.mp4', b'\x00\x00\x00\x18ftypisom')
        zip_ = self.file('f.zip', b'PK\x03\x04')
        self.assertEqual(uw.match_outputs([video, exr], (mp4, zip_)), [(video, mp4), (exr, zip_)])
        with self.assertRaises(ValueError) as e:
            uw.match_outputs([video, exr], [zip_, mp4])
        self.assertIn('is not video/mp4', str(e.exception))

    def test_a_dict_goes_by_type_and_ignores_types_the_job_does_not_make(self):
        png = self.file('a.png', PNG_HEAD)
        image = out()
        self.assertEqual(uw.match_outputs([image], {'image': png, 'debug': '/nowhere'}), [(image, png)])
        with self.assertRaises(ValueError) as e:
            uw.match_outputs([image], {'video': png})
        self.assertIn('no file for image', str(e.exception))

    def test_wrong_counts_missing_files_and_wrong_bytes_are_refused(self):
        png = self.file('a.png', PNG_HEAD)
        with self.assertRaises(ValueError) as e:
            uw.match_outputs([out()], [png, png])
        self.assertIn('returned 2 file(s); this job makes 1', str(e.exception))
        with self.assertRaises(ValueError):
            uw.match_outputs([out()], [os.path.join(self.dir.name, 'missing.png')])
        with self.assertRaises(ValueError):
            uw.match_outputs([out(content_type='image/jpeg')], [png])
        with self.assertRaises(TypeError):
            uw.match_outputs([out()], None)


class HelpersTest(unittest.TestCase):
    def test_input_file_names(self):
        self.assertEqual(uw.input_filename('image_ref[0]', 'image/png'), 'image_ref_0.png')
        self.assertEqual(uw.input_filename('video.keyframes[2]', 'image/jpeg'), 'video_keyframes_2.jpg')
        self.assertEqual(uw.input_filename('source', 'video/mp4'), 'source.mp4')
        self.assertEqual(uw.input_filename('source', 'application/x-unknown-thing'), 'source')

    def test_backoff_doubles_from_a_quarter_second_to_five(self):
        self.assertEqual([uw.backoff_seconds(n) for n in range(1, 8)], [0.25, 0.5, 1, 2, 4, 5, 5])

    def test_progress_is_clamped_and_never_goes_back(self):
        job = Job(wire_job(), '/tmp')
        for f in (0.5, 0.2, float('nan'), 'x', 7):
            job.report_progress(f)
        self.assertEqual(job.progress, 1.0)

    def test_heartbeats_as_often_as_the_server_asks_else_every_third_of_the_lease(self):
        self.assertEqual(Job({**wire_job(), 'lease_ms': 30000, 'heartbeat_ms': 500}, '/tmp').heartbeat_ms, 500)
        self.assertEqual(Job(wire_job(), '/tmp').heartbeat_ms, 100, 'no heartbeat_ms: a third of 300 ms')

    def test_check_raises_once_cancelled(self):
        job = Job(wire_job(), '/tmp')
        job.check()
        job._cancelled.set()
        self.assertTrue(job.cancelled)
        with self.assertRaises(Cancelled):
            job.check()

    def test_worker_arguments_are_checked(self):
        ok = dict(server='http://127.0.0.1:1/v1', token=TOKEN, handler=lambda j, p: [])
        Worker(**ok)
        for bad in (
            dict(server='127.0.0.1:8080'),
            dict(token='luma-api-123'),
            dict(instance='has space'),
            dict(concurrency=0),
            dict(wait_seconds=30),
        ):
            with self.assertRaises(ValueError, msg=str(bad)):
                Worker(**{**ok, **bad})
        self.assertEqual(Worker(**ok, models='uni-1, uni-1-max').models, ['uni-1', 'uni-1-max'])


class ExamplePngTest(unittest.TestCase):
    def test_the_example_writes_a_png_of_the_given_size(self):
        rows = b''.join(b'\x00' + b'\x10\x20\x30' * 5 for _ in range(3))
        data = example_worker.png(5, 3, rows)
        self.assertEqual(data[:8], PNG_HEAD)
        self.assertEqual(data[12:16], b'IHDR')
        self.assertEqual(struct.unpack('>II', data[16:24]), (5, 3))
        length = struct.unpack('>I', data[33:37])[0]
        self.assertEqual(data[37:41], b'IDAT')
        self.assertEqual(zlib.decompress(data[41 : 41 + length]), rows)


# --- the worker against a fake server -------------------------------------------------------------


def wire_job(base='http://127.0.0.1:1', inputs=()):
    return {
        'id': '5b1e0000-0000-4000-8000-000000000001',
        'attempt': 1,
        'lease': 'r:tok:inst:1',
        'lease_ms': 300,
        'model': 'uni-1-max',
        'type': 'image',
        'request': {'prompt': 'a red fox', 'type': 'image', 'model': 'uni-1-max'},
        'inputs': [
            {'slot': s, 'media_type': 'image/png', 'generation_id': None, 'url': f'{base}/files/{s}?sig=1'}
            for s in inputs
        ],
        'outputs': [
            {
                'type': 'image',
                'content_type': 'image/png',
                'width': 8,
                'height': 4,
                'method': 'PUT',
                'url': f'{base}/upload/output.png?signature=s',
                'headers': {'Content-Type': 'image/png', 'x-amz-meta-job': 'j-1'},
            }
        ],
        'max_upload_bytes': 1 << 20,
    }


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a worker that stops drops its waiting claim


class FakeServer:
    """Answers the worker routes from per-route scripts: a list of statuses, the last one repeating."""

    def __init__(self, scripts=None, inputs=()):
        self.scripts = {
            'claim': [200, 204],
            'heartbeat': [200],
            'complete': [200],
            'fail': [200],
            'release': [200],
            'upload': [201],
        }
        self.scripts.update(scripts or {})
        self.inputs = inputs
        self.calls = []  # (route, headers, body)
        self.lock = threading.Lock()
        fake = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.calls.append(('input', dict(self.headers), self.path))
                self.answer(200, PNG_HEAD + b'input-bytes', 'image/png')

            def do_PUT(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                status = fake.next('upload', self.headers, body)
                self.answer(status, json.dumps({'size': len(body)}).encode())

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
                route = self.path.rsplit('/', 1)[1]
                status = fake.next(route, dict(self.headers), body)
                if route == 'claim' and status == 200:
                    payload = {'job': wire_job(fake.base, fake.inputs)}
                elif route == 'claim' and status == 204:
                    time.sleep(0.05)
                    return self.answer(204, b'')
                elif route == 'fail':
                    payload = {'state': 'queued' if body.get('retryable') else 'failed'}
                else:
                    payload = {'detail': 'scripted'} if status >= 400 else {'state': 'completed'}
                self.answer(status, json.dumps(payload).encode())

            def answer(self, status, body, content_type='application/json'):
                self.send_response(status)
                self.send_header('Content-Type', content_type)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = QuietServer(('127.0.0.1', 0), H)
        self.base = f'http://127.0.0.1:{self.httpd.server_address[1]}'
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()

    def next(self, route, headers, body):
        with self.lock:
            self.calls.append((route, headers, body))
            script = self.scripts[route]
            return script.pop(0) if len(script) > 1 else script[0]

    def routes(self):
        return [c[0] for c in self.calls if c[0] != 'claim']

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class WorkerTest(unittest.TestCase):
    def run_worker(self, server, handler, until, timeout=10, **kw):
        """Runs a worker in a thread until `until()` holds; returns the worker."""
        worker = Worker(
            f'{server.base}/v1', TOKEN, handler, models=['uni-1-max'], instance='t-1', wait_seconds=1, **kw
        )
        errors = []

        def run():
            try:
                worker.run()
            except Exception as err:  # noqa: BLE001 (reported below)
                errors.append(err)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while not until() and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.02)
        worker.stop()
        thread.join(5)
        self.assertFalse(thread.is_alive(), 'run() returned after stop()')
        self.errors = errors
        return worker

    def fake(self, **kw):
        server = FakeServer(**kw)
        self.addCleanup(server.close)
        return server

    def test_renders_uploads_a_stream_with_its_length_and_retries_complete_after_a_503(self):
        server = self.fake(
            scripts={'claim': [503, 200, 204], 'complete': [503, 200]}, inputs=['image_ref[0]']
        )
        seen = {}

        def handler(job, progress):
            for slot, path in job.inputs.items():
                with open(path, 'rb') as f:
                    seen[slot] = f.read()
            seen['job'] = job
            progress(0.5)
            time.sleep(0.25)  # long enough for a heartbeat
            path = os.path.join(job.workdir, 'out.png')
            with open(path, 'wb') as f:
                f.write(PNG_HEAD + b'pixels')
            return [path]

        self.run_worker(server, handler, lambda: server.routes().count('complete') == 2)
        self.assertEqual(self.errors, [])
        job = seen['job']
        self.assertEqual(
            (job.model, job.type, job.attempt, job.prompt), ('uni-1-max', 'image', 1, 'a red fox')
        )
        self.assertEqual((job.outputs[0].width, job.outputs[0].height), (8, 4))
        self.assertEqual(seen['image_ref[0]'], PNG_HEAD + b'input-bytes')
        self.assertFalse(os.path.exists(job.workdir), 'the scratch directory is removed')
        claim = next(c for c in server.calls if c[0] == 'claim')
        self.assertEqual(claim[1]['Authorization'], f'Bearer {TOKEN}')
        self.assertEqual(
            claim[2], {'protocol': 1, 'instance': 't-1', 'wait_seconds': 1, 'models': ['uni-1-max']}
        )
        upload = next(c for c in server.calls if c[0] == 'upload')
        self.assertEqual(upload[1].get_all('Content-Type'), ['image/png'], 'one Content-Type, whatever its case')
        self.assertEqual(upload[1]['x-amz-meta-job'], 'j-1', "the target's headers are sent as given")
        self.assertEqual(upload[1]['Content-Length'], str(len(PNG_HEAD + b'pixels')))
        self.assertEqual(upload[2], PNG_HEAD + b'pixels')
        reports = [r for r in server.routes() if r != 'heartbeat']
        self.assertEqual(
            reports, ['input', 'upload', 'complete', 'complete'], 'a taken upload is not sent again'
        )
        beats = [c[2] for c in server.calls if c[0] == 'heartbeat']
        self.assertTrue(beats and beats[0]['progress'] == 0.5 and beats[0]['lease'] == 'r:tok:inst:1')

    def test_the_measured_source_length_goes_with_complete(self):
        server = self.fake()

        def handler(job, progress):
            job.source_seconds = 6.04
            path = os.path.join(job.workdir, 'out.png')
            with open(path, 'wb') as f:
                f.write(PNG_HEAD + b'pixels')
            return [path]

        self.run_worker(server, handler, lambda: 'complete' in server.routes())
        complete = next(c for c in server.calls if c[0] == 'complete')
        self.assertEqual(complete[2]['source_seconds'], 6.04)
        self.assertEqual(complete[2]['lease'], 'r:tok:inst:1')

    def test_a_failure_ends_the_job_with_its_code_and_reason(self):
        server = self.fake()

        def handler(job, progress):
            raise Failure('content_moderated', 'flagged')

        self.run_worker(server, handler, lambda: 'fail' in server.routes())
        body = next(c[2] for c in server.calls if c[0] == 'fail')
        self.assertEqual(
            body,
            {
                'attempt': 1,
                'lease': 'r:tok:inst:1',
                'failure_code': 'content_moderated',
                'failure_reason': 'flagged',
                'retryable': False,
            },
        )

    def test_any_other_exception_is_a_retryable_generation_failed_sent_until_taken(self):
        server = self.fake(scripts={'fail': [502, 200]})

        def handler(job, progress):
            raise RuntimeError('CUDA out of memory')

        self.run_worker(server, handler, lambda: server.routes().count('fail') == 2)
        bodies = [c[2] for c in server.calls if c[0] == 'fail']
        self.assertEqual(len(bodies), 2)
        self.assertEqual((bodies[1]['failure_code'], bodies[1]['retryable']), ('generation_failed', True))
        self.assertNotIn('failure_reason', bodies[1], 'internal errors stay in the log')

    def test_a_409_on_heartbeat_cancels_the_job_and_nothing_is_reported(self):
        server = self.fake(scripts={'heartbeat': [409]})
        stopped = threading.Event()

        def handler(job, progress):
            try:
                while True:
                    job.check()
                    time.sleep(0.01)
            finally:
                stopped.set()

        self.run_worker(server, handler, stopped.is_set)
        time.sleep(0.1)
        self.assertTrue(stopped.is_set())
        self.assertEqual(set(server.routes()), {'heartbeat'})

    def test_a_job_still_rendering_after_the_grace_is_handed_back_and_not_reported(self):
        server = self.fake()
        rendering = threading.Event()
        stopped = threading.Event()

        def handler(job, progress):
            rendering.set()
            try:
                while True:
                    job.check()
                    time.sleep(0.01)
            finally:
                stopped.set()

        t0 = time.monotonic()
        self.run_worker(server, handler, rendering.is_set, grace_seconds=0.3)
        took = time.monotonic() - t0
        self.assertLess(took, 3, 'run() returned soon after the grace')
        stopped.wait(1)
        self.assertTrue(stopped.is_set(), 'job.check() raised Cancelled')
        released = [c for c in server.calls if c[0] == 'release']
        self.assertEqual(len(released), 1)
        self.assertEqual(released[0][2]['delay_ms'], 0)
        self.assertEqual(released[0][2]['attempt'], 1)
        self.assertNotIn('complete', server.routes())
        self.assertNotIn('fail', server.routes())

    def test_a_job_that_finishes_within_the_grace_is_delivered(self):
        server = self.fake()
        rendering = threading.Event()

        def handler(job, progress):
            rendering.set()
            time.sleep(0.3)
            path = os.path.join(job.workdir, 'out.png')
            with open(path, 'wb') as f:
                f.write(PNG_HEAD + b'pixels')
            return [path]

        self.run_worker(server, handler, rendering.is_set, grace_seconds=5)
        self.assertIn('complete', server.routes())
        self.assertNotIn('release', server.routes())

    def test_a_hand_back_the_server_never_takes_is_given_up(self):
        server = self.fake(scripts={'release': [503]})
        rendering = threading.Event()

        def handler(job, progress):
            rendering.set()
            while not job.cancelled:
                time.sleep(0.01)
            return []

        t0 = time.monotonic()
        self.run_worker(server, handler, rendering.is_set, grace_seconds=0.1)
        self.assertLess(time.monotonic() - t0, 0.1 + 3 + 1.5)
        self.assertGreaterEqual(server.routes().count('release'), 2, 'retried until the bound')

    def test_a_refused_claim_stops_the_worker(self):
        server = self.fake(scripts={'claim': [400]})
        self.run_worker(server, lambda j, p: [], lambda: False, timeout=5)
        self.assertEqual(len(self.errors), 1)
        self.assertIsInstance(self.errors[0], WorkerError)
        self.assertIn('HTTP 400', str(self.errors[0]))


if __name__ == '__main__':
    unittest.main()
