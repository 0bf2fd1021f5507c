import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planEdit } from '../image-edit/edit-plan.js';
import { hashString } from './rng.js';
import { parseScene } from './scene.js';

describe('prompt → scene', () => {
  it('reads setting, time, weather, colours and subjects', () => {
    const s = parseScene('A stormy red sea at night with a lighthouse and a boat', 1);
    assert.equal(s.water, true);
    assert.equal(s.time, 'night');
    assert.equal(s.weather, 'storm');
    assert.deepEqual(s.colors, ['red']);
    assert.deepEqual(
      s.composition.mentions.map((m) => m.entry.name),
      ['lighthouse', 'boat'],
    );
    const d = parseScene('desert dunes at sunset', 1);
    assert.equal(d.terrain, 'dunes');
    assert.equal(d.time, 'sunset');
  });
  it('gives an unrecognised prompt a seeded landscape, the same one every time', () => {
    const seed = hashString('a cat wearing a hat');
    const a = parseScene('a cat wearing a hat', seed);
    assert.notEqual(a.terrain, 'none');
    assert.deepEqual(a.composition.relations, [{ kind: 'wearing', subject: 0, object: 1 }]);
    assert.deepEqual(a, parseScene('a cat wearing a hat', seed));
  });
  it('a skyline with no ground stands on water', () => {
    assert.equal(parseScene('a city at night', 3).water, true);
  });
});

describe('edit prompt → plan', () => {
  it('collects time, colours and looks; style manga adds the manga look', () => {
    const p = planEdit('make it blue at dusk, watercolor', 'manga', 0);
    assert.equal(p.time, 'dusk');
    assert.deepEqual(p.colors, ['blue']);
    assert.deepEqual(p.looks, ['manga', 'watercolor']);
    assert.equal(p.fallbackGrade, false);
  });
  it('falls back to a grade when nothing is recognised and there are no references', () => {
    assert.equal(planEdit('more drama please', 'auto', 0).fallbackGrade, true);
    assert.equal(planEdit('more drama please', 'auto', 1).fallbackGrade, false);
    assert.deepEqual(
      planEdit('add a dragon', 'auto', 0).add.map((m) => m.entry.name),
      ['dragon'],
    );
    assert.deepEqual(planEdit('black and white', 'auto', 0).looks, ['monochrome']);
  });
});
