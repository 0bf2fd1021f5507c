"""An example Umbra worker: paints a gradient PNG of the requested size, with the standard library alone.

    python3 example_worker.py --server http://127.0.0.1:8080/v1 --token umbra-wkr-... --models uni-1-max

Replace the body of render() with your model; keep the shape: read job.request and job.outputs, write
files into job.workdir, return their paths.
"""

import hashlib
import os
import struct
import zlib

from umbra_worker import Failure, main


def render(job, progress):
    out = job.outputs[0]
    if out.content_type != 'image/png':
        raise Failure('unsupported_format', 'this worker renders PNG only')
    width, height = out.width or 1024, out.height or 1024  # no size when it follows an input (edits)
    digest = hashlib.sha256(job.prompt.encode()).digest()
    top, bottom = digest[0:3], digest[3:6]  # two colours from the prompt
    rows = []
    for y in range(height):
        if y % 256 == 0:
            job.check()  # stop if the job was given to another worker
            progress(y / height)
        t = y / max(1, height - 1)
        colour = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom))
        rows.append(b'\x00' + colour * width)  # each PNG row: filter type 0, then RGB pixels
    path = os.path.join(job.workdir, 'output.png')
    with open(path, 'wb') as f:
        f.write(png(width, height, b''.join(rows)))
    return [path]


def png(width, height, rows):
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))

    header = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    body = chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
    return b'\x89PNG\r\n\x1a\n' + body


if __name__ == '__main__':
    main(render)
