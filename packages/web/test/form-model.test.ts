import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptedValues } from '@umbra/sdk';
import type { FieldId } from '../src/form-model.js';
import { buildRequest, fieldForDetail, initialForm, visibleFields, withType } from '../src/form-model.js';
import { curlSnippet, sdkSnippet } from '../src/snippets.js';

describe('create form model', () => {
  it('shows exactly the fields of each type', () => {
    const image = visibleFields(initialForm('image'));
    assert.ok(
      image.includes('output_format') && image.includes('image_ref') && image.includes('aspect_ratio'),
    );
    assert.ok(!image.some((f) => f.startsWith('video.')) && !image.includes('source'));
    const edit = visibleFields(initialForm('image_edit'));
    assert.ok(edit.includes('source') && !edit.includes('aspect_ratio'), 'an edit keeps its source size');
    const video = visibleFields(initialForm('video'));
    assert.deepEqual(
      video.filter((f) => f.startsWith('video.')),
      [
        'video.resolution',
        'video.duration',
        'video.loop',
        'video.hdr',
        'video.start_frame',
        'video.end_frame',
        'video.keyframes',
      ],
    );
    assert.ok(!video.includes('output_format') && !video.includes('style'));
    assert.ok(visibleFields({ ...initialForm('video'), hdr: true }).includes('video.exr_export'));
    const reframe = visibleFields(initialForm('video_reframe'));
    assert.ok(reframe.includes('video.source_position') && !reframe.includes('video.duration'));
    assert.ok(visibleFields(initialForm('video_edit')).includes('video.edit.strength'));
  });

  it('follows the model: a type change picks a model that makes it, and drops ratios it does not take', () => {
    const s = withType({ ...initialForm('image'), aspect_ratio: '3:1' }, 'video');
    assert.equal(s.model, 'ray-3.2');
    assert.equal(s.aspect_ratio, '', '3:1 is not a ray-3.2 ratio');
    assert.ok(acceptedValues(s.model, s.type)?.aspect_ratio.includes('21:9'));
  });

  it('builds a request of only the shown fields that were set', () => {
    const s = {
      ...initialForm('image'),
      prompt: 'p',
      resolution: '360p' as const,
      aspect_ratio: '2:3' as const,
    };
    assert.deepEqual(buildRequest(s), { prompt: 'p', type: 'image', model: 'uni-1', aspect_ratio: '2:3' });
    const v = {
      ...withType(s, 'video'),
      aspect_ratio: '9:16' as const,
      start_frame: { kind: 'generation_id' as const, value: 'g1' },
      image_ref: [{ kind: 'file_id' as const, value: 'f1' }],
    };
    const k = {
      ...v,
      start_frame: { kind: 'generation_id' as const, value: '' },
      keyframes: [
        { ref: { kind: 'generation_id' as const, value: 'g2' }, index: 60 },
        { ref: { kind: 'url' as const, value: '' }, index: 90 },
      ],
    };
    assert.deepEqual(buildRequest(k).video, {
      resolution: '360p',
      keyframes: [{ generation_id: 'g2' }],
      keyframe_indexes: [60],
    });
    assert.deepEqual(buildRequest(v), {
      prompt: 'p',
      type: 'video',
      model: 'ray-3.2',
      aspect_ratio: '9:16',
      video: { resolution: '360p', start_frame: { generation_id: 'g1' } },
    });
  });

  it('finds the field a server detail names, or none', () => {
    const shown: FieldId[] = visibleFields({ ...initialForm('video'), hdr: true });
    const cases: [string, FieldId | null][] = [
      ['Prompt must be between 1 and 6000 characters', 'prompt'],
      ["Invalid aspect_ratio '3:1'. Valid: 9:16, 3:4", 'aspect_ratio'],
      ['video.hdr requires resolution 720p or 1080p', 'video.hdr'],
      ['HDR access is not enabled for this client', 'video.hdr'],
      ["video.start_frame: provide either 'url' or 'data', not neither", 'video.start_frame'],
      ['video.exr_export requires video.hdr', 'video.exr_export'],
      ['video.keyframe_indexes[1]: must be between 0 and 120', 'video.keyframes'],
      ['Something else went wrong', null],
    ];
    for (const [detail, field] of cases) assert.equal(fieldForDetail(detail, shown), field, detail);
    const image = visibleFields(initialForm('image'));
    assert.equal(fieldForDetail("style 'manga' requires a portrait aspect_ratio", image), 'style');
    assert.equal(fieldForDetail('image_ref[2]: file is not ready', image), 'image_ref');
  });

  it('writes snippets with the key left in the environment', () => {
    const body = { prompt: "it's night" };
    const curl = curlSnippet('http://h/v1', 'g1', body);
    assert.match(curl, /\$LUMA_AGENTS_API_KEY/);
    assert.match(curl, /-d '\{"prompt":"it'\\''s night"\}'/);
    assert.match(sdkSnippet('http://h/v1', 'g1', null), /generations\.get\('g1'\)/);
  });
});
