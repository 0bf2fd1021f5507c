"""A worker for the server's end-to-end tests; UMBRA_TEST_BEHAVE picks what its handler does.

ok: the example's PNG. moderate: Failure('content_moderated'). hang: renders until the lease is lost
(or the process is killed). flaky: attempt 1 raises, later attempts render the example's PNG. echo:
returns the job's source input as its output. slow: the example's PNG after a second.
Run with PYTHONPATH set to the kit's directory.
"""

import os
import time

from example_worker import render
from umbra_worker import Failure, main

BEHAVE = os.environ.get('UMBRA_TEST_BEHAVE', 'ok')


def handler(job, progress):
    if BEHAVE == 'moderate':
        raise Failure('content_moderated', 'flagged by the test moderator')
    if BEHAVE == 'hang':
        while True:
            job.check()
            time.sleep(0.02)
    if BEHAVE == 'slow':
        time.sleep(1)
    if BEHAVE == 'echo':
        return [job.inputs['source']]
    if BEHAVE == 'flaky' and job.attempt == 1:
        raise RuntimeError('the first attempt always fails')
    return render(job, progress)


if __name__ == '__main__':
    main(handler)
