// The closed-set flags of `umbra generate`: the help lists what each model/type accepts, and anything else
// is refused with a usage error (exit code 2) that names the accepted values. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODELS, MODEL_TYPES, acceptedValues } from '@umbra/sdk';
import { CLOSED_FLAGS, checkChoices, choicesHelp } from './choices.js';
import type { ClosedFlags, TypeOrigin } from './choices.js';
import { CliError, ExitCode } from './exit-codes.js';

const UNI = '3:1, 2:1, 16:9, 3:2, 1:1, 2:3, 9:16, 1:2, 1:3';
const RAY = '9:16, 3:4, 1:1, 4:3, 16:9, 21:9';

/** The usage error `checkChoices` throws, as the user reads it. */
function refusal(f: ClosedFlags, type: Parameters<typeof checkChoices>[1], origin: TypeOrigin): string {
  try {
    checkChoices(f, type, origin);
  } catch (err) {
    assert.ok(err instanceof CliError, String(err));
    assert.equal(err.exitCode, ExitCode.usage);
    assert.ok(!err.message.includes('\n'), 'one line');
    return err.message;
  }
  assert.fail(`${JSON.stringify(f)} on ${type} was accepted`);
}

describe('generate: closed-set flags by model and type', () => {
  it('the help lists each flag’s values per model (type)', () => {
    const help = choicesHelp();
    for (const line of [
      '  --model       uni-1, uni-1-max: image, image_edit (default uni-1)',
      '                ray-3.2: video, video_edit, video_reframe (default ray-3.2)',
      '  --ratio       uni-1, uni-1-max (image, image_edit): 3:1 2:1 16:9 3:2 1:1 2:3 9:16 1:2 1:3',
      '                ray-3.2 (video, video_edit, video_reframe): 9:16 3:4 1:1 4:3 16:9 21:9',
      '  --format      uni-1, uni-1-max (image, image_edit): png jpeg',
      '  --style       uni-1, uni-1-max (image, image_edit): auto manga',
      '                ray-3.2 (video, video_edit, video_reframe): auto',
      '  --resolution  ray-3.2 (video, video_edit, video_reframe): 360p 540p 720p 1080p',
      '  --duration    ray-3.2 (video, video_edit, video_reframe): 5s 10s',
      '  --strength    ray-3.2 (video_edit): adhere_1 adhere_2 adhere_3 flex_1 flex_2 flex_3 reimagine_1 reimagine_2',
    ]) {
      assert.ok(help.includes(`${line}\n`), `help has:\n${line}\nin:\n${help}`);
    }
    assert.ok(
      help.split('\n').every((l) => l.length <= 110),
      'fits 110 columns',
    );
  });

  it('every value the table lists for a model/type passes, and is returned typed', () => {
    for (const model of MODELS) {
      for (const type of MODEL_TYPES[model]) {
        const accepted = acceptedValues(model, type);
        assert.ok(accepted !== null);
        for (const { key, field } of CLOSED_FLAGS) {
          for (const value of accepted[field]) {
            assert.deepEqual(checkChoices({ model, [key]: value }, type, 'flag'), { model, [field]: value });
          }
        }
      }
    }
    // Without --model the type's default model is checked, and no model is sent.
    assert.deepEqual(checkChoices({ ratio: '4:3' }, 'video', 'flag'), { aspect_ratio: '4:3' });
    assert.deepEqual(checkChoices({ ratio: '2:1', style: 'manga' }, 'image', 'default'), {
      aspect_ratio: '2:1',
      style: 'manga',
    });
    assert.deepEqual(checkChoices({}, 'image', 'default'), {});
  });

  it('refuses a ratio the model does not take, naming the ones it does', () => {
    for (const ratio of ['21:9', '4:3', '3:4', '5:4']) {
      assert.equal(
        refusal({ ratio }, 'image', 'default'),
        `--ratio ${ratio} is not accepted by uni-1 (default) for type image (default); accepted: ${UNI}`,
      );
    }
    assert.equal(
      refusal({ model: 'uni-1-max', ratio: '21:9' }, 'image_edit', 'source'),
      `--ratio 21:9 is not accepted by uni-1-max for type image_edit (from --source); accepted: ${UNI}`,
    );
    assert.equal(
      refusal({ ratio: '2:1' }, 'video_reframe', 'flag'),
      `--ratio 2:1 is not accepted by ray-3.2 (default) for type video_reframe; accepted: ${RAY}`,
    );
  });

  it('refuses each closed flag on a type that takes other values, or none', () => {
    const cases: [ClosedFlags, Parameters<typeof checkChoices>[1], TypeOrigin, string][] = [
      [
        { format: 'gif' },
        'image',
        'default',
        '--format gif is not accepted by uni-1 (default) for type image (default); accepted: png, jpeg',
      ],
      [
        { format: 'png' },
        'video',
        'flag',
        '--format png is not accepted by ray-3.2 (default) for type video; --format is for uni-1, uni-1-max (image, image_edit)',
      ],
      [
        { style: 'manga' },
        'video_edit',
        'source',
        '--style manga is not accepted by ray-3.2 (default) for type video_edit (from --source); accepted: auto',
      ],
      [
        { style: 'anime' },
        'image',
        'default',
        '--style anime is not accepted by uni-1 (default) for type image (default); accepted: auto, manga',
      ],
      [
        { resolution: '4k' },
        'video',
        'video flags',
        '--resolution 4k is not accepted by ray-3.2 (default) for type video (from the video flags); accepted: 360p, 540p, 720p, 1080p',
      ],
      [
        { resolution: '720p' },
        'image_edit',
        'flag',
        '--resolution 720p is not accepted by uni-1 (default) for type image_edit; --resolution is for ray-3.2 (video, video_edit, video_reframe)',
      ],
      [
        { duration: '7s' },
        'video',
        'video flags',
        '--duration 7s is not accepted by ray-3.2 (default) for type video (from the video flags); accepted: 5s, 10s',
      ],
      [
        { duration: '5s' },
        'image',
        'flag',
        '--duration 5s is not accepted by uni-1 (default) for type image; --duration is for ray-3.2 (video, video_edit, video_reframe)',
      ],
      [
        { strength: 'flex_4' },
        'video_edit',
        'flag',
        '--strength flex_4 is not accepted by ray-3.2 (default) for type video_edit; accepted: adhere_1, adhere_2, adhere_3, flex_1, flex_2, flex_3, reimagine_1, reimagine_2, reimagine_3',
      ],
      [
        { strength: 'flex_1' },
        'video',
        'video flags',
        '--strength flex_1 is not accepted by ray-3.2 (default) for type video (from the video flags); --strength is for ray-3.2 (video_edit)',
      ],
      [
        { model: 'ray-3.14' },
        'video',
        'flag',
        '--model ray-3.14 is not a model; accepted: uni-1, uni-1-max, ray-3.2',
      ],
      [
        { model: 'ray-3.2', ratio: '16:9' },
        'image',
        'default',
        '--model ray-3.2 does not make type image (default); accepted for image: uni-1, uni-1-max',
      ],
      [
        { model: 'uni-1' },
        'video_reframe',
        'flag',
        '--model uni-1 does not make type video_reframe; accepted for video_reframe: ray-3.2',
      ],
    ];
    for (const [flags, type, origin, message] of cases) assert.equal(refusal(flags, type, origin), message);
  });
});
