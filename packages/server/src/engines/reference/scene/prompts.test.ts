// The prompt set (docs/gallery/prompts.txt, issue 14): each prompt's scene names every subject, count,
// colour, relation, viewpoint and setting the prompt names, and each subject is drawn where it can be seen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rasterizeSvg } from '../../../media/raster.js';
import { figureSilhouette, stageFigures } from './figures.js';
import { LEXICON, pluralOf } from './lexicon.js';
import { buildPalette } from './palette.js';
import { hashString } from './rng.js';
import { parseScene, type Scene } from './scene.js';

const PROMPTS = fileURLToPath(new URL('../../../../../../docs/gallery/prompts.txt', import.meta.url));

interface Case {
  prompt: string;
  subjects: Map<string, { count: number; color: string | null }>;
  relations: string[];
  view: string;
  setting: string;
}

const cases: Case[] = readFileSync(PROMPTS, 'utf8')
  .split('\n')
  .filter((l) => l.includes('=>') && !l.startsWith('#') && !l.startsWith('edit:'))
  .map((line) => {
    const [prompt = '', expect = ''] = line.split('=>').map((s) => s.trim());
    const c: Case = { prompt, subjects: new Map(), relations: [], view: 'normal', setting: 'outdoor' };
    for (const raw of expect.split(',').map((s) => s.trim())) {
      if (raw === '!none') continue;
      if (raw.startsWith('@')) c.view = raw.slice(1);
      else if (raw.startsWith('#')) c.setting = raw.slice(1);
      else if (/ (wearing|on|riding|next-to|in-front-of|behind|under|above|holding|in) /.test(raw))
        c.relations.push(raw);
      else {
        const m = /^(.+?)(?:\(([a-z]+)\))?(?: x(\d+))?$/.exec(raw);
        if (!m) throw new Error(`cannot read "${raw}"`);
        c.subjects.set(m[1]!, { count: Number(m[3] ?? 1), color: m[2] ?? null });
      }
    }
    return c;
  });

const relationText = (scene: Scene): string[] =>
  scene.composition.relations.map((r) => {
    const name = (i: number | string): string =>
      typeof i === 'number' ? scene.composition.mentions[i]!.entry.name : i;
    return `${name(r.subject)} ${r.kind} ${name(r.object)}`;
  });

describe('the prompt set (issue 14, "What it must show" 1)', () => {
  it('holds at least 200 prompts', () => {
    assert.ok(cases.length >= 200, `${cases.length} prompts`);
  });

  it('the lexicon draws at least 500 nouns, each with a plural, and no noun names two subjects', () => {
    const owner = new Map<string, string>();
    for (const e of LEXICON)
      for (const w of e.words) {
        const other = owner.get(w);
        assert.ok(other === undefined || other === e.icon, `"${w}" names ${other} and ${e.icon}`);
        owner.set(w, e.icon);
        assert.ok(pluralOf(w).length > 0);
      }
    assert.ok(owner.size >= 500, `${owner.size} nouns`);
  });

  for (const c of cases) {
    it(c.prompt, () => {
      const scene = parseScene(c.prompt, hashString(c.prompt));
      // An expected noun matches the subject that has it among its words ("king" is the prince's art).
      const names = (word: string): string => LEXICON.find((e) => e.words.includes(word))?.name ?? word;
      const read = new Map(scene.composition.mentions.map((m) => [m.entry.name, m]));
      assert.deepEqual([...read.keys()].sort(), [...c.subjects.keys()].map(names).sort(), 'subjects');
      for (const [word, want] of c.subjects) {
        const got = read.get(names(word))!;
        assert.equal(got.count, want.count, `${word}: count`);
        if (want.color) assert.equal(got.color, want.color, `${word}: colour`);
      }
      const relations = relationText(scene);
      for (const r of c.relations) {
        const [, a = '', kind = '', b = ''] =
          /^(.+?) (wearing|on|riding|next-to|in-front-of|behind|under|above|holding|in) (.+)$/.exec(r) ?? [];
        const want = `${names(a)} ${kind} ${names(b)}`;
        assert.ok(relations.includes(want), `relation "${want}" in [${relations.join('; ')}]`);
      }
      assert.equal(scene.composition.viewpoint, c.view, 'viewpoint');
      assert.equal(scene.composition.setting, c.setting, 'setting');
    });
  }
});

describe('every named subject is drawn where it can be seen', () => {
  const W = 256;
  const H = 144;
  it('its mask covers a plausible share of the frame, inside it', async () => {
    const problems: string[] = [];
    for (const c of cases) {
      const scene = parseScene(c.prompt, hashString(c.prompt));
      const frame = { w: W, h: H, horizonY: H * scene.horizon };
      const figures = stageFigures(scene, frame);
      const pal = buildPalette(scene, []);
      for (let i = 0; i < scene.composition.mentions.length; i++) {
        const mine = figures.filter((g) => g.mention === i);
        if (mine.length === 0) {
          problems.push(`${c.prompt}: ${scene.composition.mentions[i]!.entry.name} not placed`);
          continue;
        }
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#000"/>${mine.map((g) => figureSilhouette(g, pal, '#ffffff')).join('')}</svg>`;
        const { data } = await rasterizeSvg(svg, W, H);
        let on = 0;
        let sx = 0;
        let sy = 0;
        for (let p = 0; p < W * H; p++)
          if (data[p * 3]! > 127) {
            on++;
            sx += p % W;
            sy += Math.floor(p / W);
          }
        const share = on / (W * H);
        const name = scene.composition.mentions[i]!.entry.name;
        if (share < 0.002 || share > 0.7)
          problems.push(`${c.prompt}: ${name} covers ${(share * 100).toFixed(2)}%`);
        else {
          const cx = sx / on / W;
          const cy = sy / on / H;
          if (cx < 0.05 || cx > 0.95 || cy < 0.05 || cy > 0.98)
            problems.push(`${c.prompt}: ${name} centred at ${cx.toFixed(2)},${cy.toFixed(2)}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
