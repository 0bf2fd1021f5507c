import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CUBE_SIZE, cubeLattice, cubeText, isIdentityCube } from './cube.js';

describe('cube LUTs', () => {
  it('the lattice runs red fastest, lands on exact 8-bit values, and repeats per row', () => {
    const l = cubeLattice(3, 2);
    assert.equal(l.width, 27);
    assert.equal(l.height, 2);
    assert.deepEqual([...l.data.subarray(0, 9)], [0, 0, 0, 128, 0, 0, 255, 0, 0]);
    assert.deepEqual([...l.data.subarray(3 * 3, 3 * 4)], [0, 128, 0]);
    assert.deepEqual([...l.data.subarray(3 * 26, 3 * 27)], [255, 255, 255]);
    assert.deepEqual(l.data.subarray(0, 81), l.data.subarray(81));
    const full = cubeLattice();
    for (const v of full.data) assert.equal(v % 15, 0);
    assert.ok(isIdentityCube(full.data));
  });

  it('writes the header and one line per node', () => {
    const text = cubeText(cubeLattice(2).data, 2);
    const lines = text.trim().split('\n');
    assert.deepEqual(lines.slice(0, 4), [
      'LUT_3D_SIZE 2',
      'DOMAIN_MIN 0 0 0',
      'DOMAIN_MAX 1 1 1',
      '0.000000 0.000000 0.000000',
    ]);
    assert.equal(lines.at(-1), '1.000000 1.000000 1.000000');
    assert.equal(lines.length, 3 + 8);
    assert.throws(() => cubeText(new Uint8Array(3), CUBE_SIZE));
    const changed = cubeLattice().data.slice();
    changed[4] = 1;
    assert.equal(isIdentityCube(changed), false);
  });
});
