// Places the prompt's subjects in the frame as a photographer would (the first subject on a third, or
// centred for close-ups and portraits; the others beside, on or under it as the sentence says) and draws
// them into the scene: scaled by distance, standing on the ground with a contact shadow and a shadow cast
// away from the light, mirrored in water they float on, graded into the scene's light. Pure.
import { mix, type Rgb } from '../../../media/color.js';
import type { Palette } from './palette-types.js';
import { Rng } from './rng.js';
import type { Scene } from './scene.js';
import type { Light } from './sky.js';
import { ART_BOX, grade, iconBody, recolour, silhouette } from './subject-art.js';
import { readSubjects, type Mention, type RelationKind } from './subject-words.js';
import { fill, n, op } from './svg.js';
import type { Detail, Frame } from './terrain.js';

/** One drawn instance of a subject. */
export interface Figure {
  /** Index of its mention in `scene.composition.mentions`. */
  mention: number;
  /** Drawing order among figures: what stands on, rides or is held by another comes after it. */
  layer: number;
  icon: string;
  /** Centre of the art, in pixels. */
  x: number;
  /** Where it touches the ground (the bottom of the art), in pixels. */
  base: number;
  /** Side of the art's square box, in pixels. */
  size: number;
  flip: boolean;
  airborne: boolean;
  onWater: boolean;
  color: string | null;
}

/** Whole-figure art for people whose icon is a face: a face reads in a portrait, a figure elsewhere. */
const FULL_BODY: Readonly<Record<string, string>> = {
  man: 'man-standing',
  woman: 'woman-standing',
  boy: 'person-standing',
  girl: 'woman-standing',
  child: 'person-standing',
  'older-person': 'person-standing',
  'old-man': 'man-standing',
  'old-woman': 'woman-standing',
};

/** Kinds of subject that are drawn in the air, not standing on the ground. */
export const AIRBORNE: ReadonlySet<string> = new Set(['bird', 'insect', 'aircraft']);
const FLOATS = new Set(['boat', 'swimmer']);

/** The line the subjects stand on in an indoor setting, as a fraction of the height. */
export const SILL = 0.74;
export const TABLE_TOP = 0.6;
export const FLOOR = 0.72;

const standLine = (scene: Scene, f: Frame, kind: string): number => {
  const { h, horizonY } = f;
  const below = h - horizonY;
  const { setting, viewpoint } = scene.composition;
  if (viewpoint === 'top') return h * 0.78;
  if (viewpoint === 'portrait') return h * 1.04;
  if (viewpoint === 'close') return setting === 'outdoor' ? h * 0.99 : h * 0.95;
  if (setting === 'window') return h * (SILL + 0.01);
  if (setting === 'table') return h * (TABLE_TOP + (1 - TABLE_TOP) * 0.55);
  if (setting === 'room') return h * (FLOOR + (1 - FLOOR) * 0.5);
  if (kind === 'building') return horizonY + below * (viewpoint === 'wide' ? 0.12 : 0.3);
  if (FLOATS.has(kind)) return horizonY + below * (viewpoint === 'wide' ? 0.25 : 0.5);
  return horizonY + below * (viewpoint === 'wide' ? 0.3 : 0.62);
};

const primarySize = (scene: Scene, f: Frame, kind: string): number => {
  const { h, w } = f;
  const { setting, viewpoint } = scene.composition;
  const s = Math.min(w, h);
  if (viewpoint === 'top') return s * 0.62;
  if (viewpoint === 'portrait') return h * 0.9;
  if (viewpoint === 'close') return h * 0.78;
  if (viewpoint === 'wide') return h * 0.2;
  if (setting !== 'outdoor') return h * 0.44;
  if (AIRBORNE.has(kind)) return h * 0.3;
  return h * 0.42;
};

/**
 * A logo's picture: its first subject, in the emblem above the words (see lettering.ts, which centres the
 * disc at a third of the short side in radius). A shop named for what it sells ("a coffee shop") shows that.
 */
export const logoFigures = (scene: Scene, f: Frame): Figure[] => {
  const first = scene.composition.mentions[0];
  if (!first) return [];
  const sells =
    first.phrase.split(' ').length > 1 ? readSubjects(first.phrase.split(' ')[0]!).mentions[0] : undefined;
  const entry = (first.entry.kind === 'building' && sells?.entry) || first.entry;
  const r = Math.min(f.w, f.h) * 0.34;
  const size = r * 0.5;
  return [
    {
      mention: 0,
      layer: 1,
      icon: entry.icon,
      x: f.w / 2,
      base: f.h / 2 - r * 0.36,
      size,
      flip: false,
      airborne: true,
      onWater: false,
      color: first.color,
    },
  ];
};

/** Where every subject of the scene goes: a function of the scene and the frame alone. */
export const stageFigures = (scene: Scene, f: Frame): Figure[] => {
  const rng = new Rng(Math.floor(scene.sunX * 0x7fffffff) ^ 0x51f1);
  const { mentions, relations } = scene.composition;
  if (mentions.length === 0) return [];
  const { w, h, horizonY } = f;
  const centred = ['portrait', 'close', 'top'].includes(scene.composition.viewpoint);
  // The focal point: the third away from the light, so the subject and the sun balance each other.
  const focalX = centred ? w * 0.5 : w * (scene.sunX > 0.5 ? 1 / 3 : 2 / 3);
  const primary = mentions[0]!;
  const baseSize = primarySize(scene, f, primary.entry.kind);
  const sizeOf = (m: Mention): number => {
    const ratio = Math.pow(m.entry.height / primary.entry.height, 0.5);
    const sizeWord = m.size === 'big' ? 1.3 : m.size === 'small' ? 0.7 : 1;
    // Several of a thing share the space: a herd is smaller than one animal.
    const crowd = m.count > 1 ? Math.max(0.45, 1 / Math.sqrt(m.count * 0.8)) : 1;
    return baseSize * Math.min(1.3, Math.max(0.3, ratio)) * sizeWord * crowd;
  };
  /** Anchor of each mention: x, base, size of its first instance; `layer` 1 for what stands on another. */
  const anchors: {
    x: number;
    base: number;
    size: number;
    airborne: boolean;
    onWater: boolean;
    layer: number;
  }[] = [];
  const placed = new Set<number>();
  // Who stands where: "A riding B" places A on B; "A holding B" places B at A's hand.
  const parents = new Map<number, { of: number; kind: RelationKind | 'held' | 'worn' }>();
  for (const r of relations) {
    if (typeof r.object !== 'number' || r.object === r.subject) continue;
    if (r.kind === 'holding' || r.kind === 'wearing') {
      if (!parents.has(r.object))
        parents.set(r.object, { of: r.subject, kind: r.kind === 'holding' ? 'held' : 'worn' });
    } else if (!parents.has(r.subject)) parents.set(r.subject, { of: r.object, kind: r.kind });
  }
  let side = scene.sunX > 0.5 ? -1 : 1;
  let rootCount = 0;
  const place = (i: number, depthGuard = 0): void => {
    if (placed.has(i) || depthGuard > mentions.length) return;
    const m = mentions[i]!;
    const kind = m.entry.kind;
    const size = sizeOf(m);
    const found = parents.get(i);
    // A crowd is somewhere to be, not something to stand on: "a tractor in a wheat field".
    const rel = found && mentions[found.of]!.count > 2 ? undefined : found;
    if (rel) {
      place(rel.of, depthGuard + 1);
      const o = anchors[rel.of];
      if (o) {
        const ox = o.x;
        const top = o.base - o.size * 0.9;
        const layer = ['next-to', 'behind', 'in-front-of', 'under'].includes(rel.kind)
          ? o.layer
          : o.layer + 1;
        let a = { x: ox, base: o.base, size, airborne: o.airborne, onWater: o.onWater, layer };
        switch (rel.kind) {
          case 'riding':
            a = { ...a, size: Math.min(size, o.size * 0.72), base: o.base - o.size * 0.5 };
            break;
          case 'on':
            a = { ...a, size: Math.min(size, o.size * 0.8), base: top + o.size * 0.08 };
            break;
          case 'in': {
            // In a tree: up in its crown; in a building: at its door; in a box or a bowl: inside it.
            const where = mentions[rel.of]!.entry.kind;
            if (where === 'plant')
              a = { ...a, size: Math.min(size, o.size * 0.45), base: o.base - o.size * 0.35 };
            else if (where === 'building')
              a = { ...a, size: Math.min(size, o.size * 0.5), base: o.base + o.size * 0.04 };
            else a = { ...a, size: Math.min(size, o.size * 0.55), base: o.base - o.size * 0.22 };
            break;
          }
          case 'above':
            a = { ...a, size: Math.min(size, o.size * 0.6), base: top + o.size * 0.1, airborne: true };
            break;
          case 'under':
            a = { ...a, size: Math.min(size, o.size * 0.6), x: ox + o.size * 0.05 };
            break;
          case 'wearing': // never a parent: "A wearing B" is turned into B 'worn' by A above
          case 'worn':
            a = { ...a, size: Math.min(size, o.size * 0.5), base: o.base - o.size * 0.72 };
            break;
          case 'holding': // never a parent: "A holding B" is turned into B 'held' by A above
          case 'held': {
            // At the hand; something that floats (a balloon, a kite) rides high on its string.
            const floats = AIRBORNE.has(kind);
            a = {
              ...a,
              size: Math.min(size, o.size * (floats ? 0.5 : 0.4)),
              x: ox + o.size * 0.2 + size * (floats ? 0.3 : 0.1),
              base: o.base - o.size * (floats ? 0.75 : 0.3),
              airborne: false,
            };
            break;
          }
          case 'behind':
            a = {
              ...a,
              x: ox + side * o.size * 0.45,
              base: o.base - (o.base - horizonY) * 0.25,
              size: size * 0.8,
            };
            break;
          case 'in-front-of':
            a = {
              ...a,
              x: ox - side * o.size * 0.3,
              base: Math.min(h * 0.99, o.base + (h - o.base) * 0.5),
              size: size * 1.1,
            };
            break;
          case 'next-to': {
            const airborne = AIRBORNE.has(kind) && !AIRBORNE.has(mentions[rel.of]!.entry.kind);
            a = {
              ...a,
              x: ox + side * (o.size * 0.5 + size * 0.55),
              base: airborne
                ? top - size * 0.2
                : FLOATS.has(kind) === o.onWater
                  ? o.base
                  : standLine(scene, f, kind),
              airborne,
              onWater: FLOATS.has(kind) && scene.water,
            };
            side = -side;
            break;
          }
        }
        // Beside something near an edge: the other side, so both stay in the frame.
        if (rel.kind === 'next-to' && (a.x - a.size * 0.45 < 0 || a.x + a.size * 0.45 > w))
          a = { ...a, x: 2 * ox - a.x };
        anchors[i] = { ...a, base: Math.max(a.base, a.size + h * 0.03) };
        placed.add(i);
        return;
      }
    }
    // A root: the first stands at the focal point, the others along the ground beside it.
    const k = rootCount++;
    const airborne = AIRBORNE.has(kind) && scene.composition.viewpoint !== 'top';
    const onWater = FLOATS.has(kind) && scene.water && scene.composition.setting === 'outdoor';
    let x = focalX;
    let base = standLine(scene, f, kind);
    if (k > 0) {
      x = focalX + side * (anchors[0]?.size ?? baseSize) * (0.55 + 0.45 * k) + side * size * 0.3;
      side = -side;
      if (!centred && scene.composition.setting === 'outdoor') base -= (base - horizonY) * 0.12;
    }
    if (airborne) base = h * rng.range(0.3, 0.42) + size * 0.5;
    // Keep every root inside the frame: past an edge, it goes to the other side of the focal point.
    if (x - size * 0.45 < 0 || x + size * 0.45 > w)
      x = Math.min(w - size * 0.5, Math.max(size * 0.5, 2 * focalX - x));
    anchors[i] = { x, base, size, airborne, onWater, layer: 0 };
    placed.add(i);
  };
  for (let i = 0; i < mentions.length; i++) place(i);

  const figures: Figure[] = [];
  mentions.forEach((m, i) => {
    const a = anchors[i];
    if (!a) return;
    for (let c = 0; c < m.count; c++) {
      // Instances spread around the anchor, alternately left and right, a little further each time.
      const step = Math.ceil(c / 2) * (c % 2 === 1 ? 1 : -1);
      const jitter = rng.range(-0.12, 0.12);
      const far = a.airborne ? 0 : Math.abs(step) * 0.05;
      const size = a.size * (1 - far * 1.5) * (1 + jitter * 0.3);
      const base = a.airborne
        ? a.base + (step === 0 ? 0 : rng.range(-0.6, 0.6) * a.size)
        : a.base - (a.base - horizonY) * far * 2;
      figures.push({
        mention: i,
        layer: a.airborne ? 9 : a.layer,
        icon:
          scene.composition.viewpoint === 'portrait'
            ? m.entry.icon
            : (FULL_BODY[m.entry.icon] ?? m.entry.icon),
        x: Math.min(w * 0.97, Math.max(w * 0.03, a.x + step * a.size * (0.72 + jitter))),
        base,
        size,
        flip: c % 2 === 1,
        airborne: a.airborne,
        onWater: a.onWater,
        color: m.color,
      });
    }
  });
  // Far before near, so nearer things overlap further ones; riders after their mounts, flyers last.
  return figures.sort((p, q) => p.layer - q.layer || p.base - q.base || p.mention - q.mention);
};

const lighthouse = (x: number, base: number, size: number, pal: Palette, lit: boolean): string => {
  const th = size * 0.78;
  const tw = size * 0.1;
  const body = mix(pal.haze, [245, 245, 240], 0.6);
  const band = mix([200, 40, 40], pal.near, 0.25);
  const d = `M${n(x - tw)} ${n(base)}L${n(x - tw * 0.65)} ${n(base - th)}L${n(x + tw * 0.65)} ${n(base - th)}L${n(x + tw)} ${n(base)}Z`;
  const bands = [0.2, 0.5]
    .map((t) => {
      const y0 = base - th * t;
      const y1 = base - th * (t + 0.14);
      const wAt = (y: number): number => tw - (tw * 0.35 * (base - y)) / th;
      return `M${n(x - wAt(y0))} ${n(y0)}L${n(x - wAt(y1))} ${n(y1)}L${n(x + wAt(y1))} ${n(y1)}L${n(x + wAt(y0))} ${n(y0)}Z`;
    })
    .join('');
  const lamp = base - th - tw * 0.65;
  const top =
    `M${n(x - tw * 0.9)} ${n(base - th)}h${n(tw * 1.8)}v${n(-tw * 0.25)}h${n(-tw * 1.8)}Z` +
    `M${n(x - tw * 0.6)} ${n(base - th - tw * 1.05)}L${n(x)} ${n(base - th - tw * 1.6)}L${n(x + tw * 0.6)} ${n(base - th - tw * 1.05)}Z`;
  const rock = `M${n(x - size * 0.36)} ${n(base + size * 0.04)}Q${n(x - size * 0.2)} ${n(base - size * 0.1)} ${n(x)} ${n(base - size * 0.08)}Q${n(x + size * 0.24)} ${n(base - size * 0.09)} ${n(x + size * 0.4)} ${n(base + size * 0.04)}Z`;
  let out = `<path d="${rock}" fill="${fill(mix(pal.near, [0, 0, 0], 0.35))}"/><path d="${d}" fill="${fill(body)}"/><path d="${bands}" fill="${fill(band)}"/><path d="${top}" fill="${fill(pal.near)}"/>`;
  out += `<rect x="${n(x - tw * 0.45)}" y="${n(lamp - tw * 0.4)}" width="${n(tw * 0.9)}" height="${n(tw * 0.8)}" fill="${fill(lit ? [255, 236, 170] : pal.lights)}"/>`;
  if (lit) {
    out += `<defs><radialGradient id="lamp"><stop offset="0" stop-color="#fff4c8"/><stop offset="0.25" stop-color="#ffe08a" stop-opacity="0.7"/><stop offset="1" stop-color="#ffe08a" stop-opacity="0"/></radialGradient></defs>`;
    out += `<circle cx="${n(x)}" cy="${n(lamp)}" r="${n(tw * 4)}" fill="url(#lamp)"/>`;
    out += `<path d="M${n(x)} ${n(lamp)}L${n(x - size * 1.6)} ${n(lamp - size * 0.12)}L${n(x - size * 1.6)} ${n(lamp + size * 0.12)}Z" fill="#fff1b8" opacity="0.22"/>`;
  }
  return out;
};

const LIGHT_STRENGTH: Record<Scene['time'], number> = {
  day: 1,
  golden: 0.97,
  dawn: 0.88,
  sunset: 0.85,
  dusk: 0.62,
  night: 0.42,
};

/** The colour the scene's light lends what it falls on (max channel 255). */
const lightTint = (scene: Scene, pal: Palette): Rgb => {
  const base =
    scene.time === 'night' || scene.time === 'dusk'
      ? mix(pal.skyMid, pal.skyTop, 0.3)
      : mix(pal.sun, pal.skyHorizon, 0.4);
  const m = Math.max(1, ...base);
  const t: Rgb = [(base[0] * 255) / m, (base[1] * 255) / m, (base[2] * 255) / m];
  return mix(t, [255, 255, 255], scene.time === 'day' ? 0.6 : 0.25);
};

/** A figure's art, recoloured and graded, placed by `transform`. */
const art = (fig: Figure, scene: Scene, pal: Palette, uid: string): string => {
  if (fig.icon.startsWith('builtin:')) return '';
  let body = iconBody(fig.icon, uid);
  if (fig.color) body = recolour(body, fig.color);
  return grade(
    body,
    lightTint(scene, pal),
    LIGHT_STRENGTH[scene.time],
    scene.composition.setting === 'outdoor' ? 0.55 : 0.3,
  );
};

/** Places art drawn in the 32×32 box at a figure's position and size. */
export const placeArt = (fig: Figure, inner: string): string => {
  const s = fig.size / ART_BOX;
  const left = fig.x - fig.size / 2;
  const top = fig.base - fig.size;
  return fig.flip
    ? `<g transform="translate(${n(left + fig.size)} ${n(top)}) scale(${op(-s)} ${op(s)})">${inner}</g>`
    : `<g transform="translate(${n(left)} ${n(top)}) scale(${op(s)})">${inner}</g>`;
};

/** Where a figure's art is, as SVG in frame coordinates, painted with one colour (masks, shadows). */
export const figureSilhouette = (fig: Figure, pal: Palette, colour: string): string =>
  fig.icon.startsWith('builtin:')
    ? lighthouse(fig.x, fig.base, fig.size, pal, false)
        .replace(/fill="[^"]*"/g, `fill="${colour}"`)
        .replace(/<defs>.*?<\/defs>|<circle[^>]*\/>/g, '')
    : placeArt(fig, silhouette(iconBody(fig.icon, 's'), colour));

/** One figure with its shadows and reflection; `i` keeps ids unique in a document. */
export const drawFigure = (
  scene: Scene,
  pal: Palette,
  light: Light,
  fig: Figure,
  f: Frame,
  i: number,
  detail: Detail = { level: 0 },
): string => {
  let out = '';
  const night = scene.time === 'night' || scene.time === 'dusk';
  const lowSun = ['golden', 'sunset', 'dawn'].includes(scene.time);
  const indoor = scene.composition.setting !== 'outdoor' || scene.composition.viewpoint === 'top';
  const uid = `f${i}`;
  const isBuiltin = fig.icon.startsWith('builtin:');
  const drawn = isBuiltin
    ? lighthouse(fig.x, fig.base, fig.size, pal, night)
    : placeArt(fig, art(fig, scene, pal, uid));
  // Only what stands on the ground casts a shadow onto it; a rider's or a hat's would fall on its bearer.
  if (!fig.airborne && !fig.onWater && fig.layer === 0) {
    // Contact shadow, then the shadow cast away from the light: long when the sun is low, faint at night.
    const away = fig.x >= light.x ? 1 : -1;
    const skew = indoor ? 0.35 * away : (lowSun ? 1.6 : 0.6) * away;
    const squash = indoor ? 0.16 : lowSun ? 0.3 : 0.22;
    const strength = night ? 0.16 : indoor ? 0.3 : 0.38;
    out += `<ellipse cx="${n(fig.x)}" cy="${n(fig.base - fig.size * 0.03)}" rx="${n(fig.size * 0.34)}" ry="${n(fig.size * 0.045)}" fill="#000" opacity="${op(strength * 1.2)}"/>`;
    if (!isBuiltin) {
      const shadow = placeArt(fig, silhouette(iconBody(fig.icon, `${uid}s`)));
      const b = fig.base - fig.size * 0.03;
      out += `<g opacity="${op(strength)}" transform="matrix(1 0 ${op(-skew)} ${op(squash)} ${n(skew * b)} ${n(b * (1 - squash))})">${shadow}</g>`;
    }
  }
  if (
    fig.onWater ||
    (scene.water && !indoor && !fig.airborne && fig.base <= f.horizonY + (f.h - f.horizonY) * 0.04)
  ) {
    // Mirrored about its own waterline, darker and broken up like the water's other reflections.
    const b = fig.base - fig.size * 0.04;
    const mirrored = isBuiltin
      ? drawn
      : placeArt(fig, grade(art(fig, scene, pal, `${uid}r`), mix(pal.water, [255, 255, 255], 0.5), 0.8, 0.6));
    out += `<g opacity="0.42" transform="matrix(1 0 0 -0.85 0 ${n(b * 1.85)})">${mirrored}</g>`;
  }
  if (detail.level && !isBuiltin)
    out += fineDetail(scene, pal, light, fig, uid, !indoor && !fig.airborne && fig.layer === 0);
  return out + drawn + (detail.level && !isBuiltin ? texture(fig, uid) : '');
};

/**
 * uni-1-max's extra on a subject: a rim of the light on the side facing it (the art's silhouette, lit and
 * nudged toward the light, peeking out from behind it) and a tighter, darker contact shadow where it
 * meets the ground.
 */
const fineDetail = (
  scene: Scene,
  pal: Palette,
  light: Light,
  fig: Figure,
  uid: string,
  grounded: boolean,
): string => {
  const toward = light.x >= fig.x ? 1 : -1;
  const rim = mix(pal.sun, [255, 255, 255], 0.3);
  const night = scene.time === 'night' || scene.time === 'dusk';
  const nudge = fig.size * 0.006;
  let out = `<g opacity="${op(night ? 0.35 : 0.65)}">${placeArt({ ...fig, x: fig.x + toward * nudge, base: fig.base - nudge * 0.6 }, silhouette(iconBody(fig.icon, `${uid}m`), fill(rim)))}</g>`;
  if (grounded)
    out += `<ellipse cx="${n(fig.x)}" cy="${n(fig.base - fig.size * 0.03)}" rx="${n(fig.size * 0.2)}" ry="${n(fig.size * 0.02)}" fill="#000" opacity="${op(night ? 0.2 : 0.4)}"/>`;
  return out;
};

/**
 * uni-1-max's finer texture on a subject: a fine diagonal grain filling its own silhouette (a pattern in the
 * art's own units, so it scales with the subject; a fill, not a mask, which would cost a canvas-sized
 * surface per subject).
 */
const texture = (fig: Figure, uid: string): string => {
  const step = 0.36;
  return (
    `<defs><pattern id="${uid}g" patternUnits="userSpaceOnUse" width="${step}" height="${step}" patternTransform="rotate(35)">` +
    `<rect width="${step / 2}" height="${step}" fill="#000" fill-opacity="0.07"/></pattern></defs>` +
    placeArt(fig, silhouette(iconBody(fig.icon, `${uid}k`), `url(#${uid}g)`))
  );
};

/** The figures drawn into the scene, with their shadows and reflections, on the shore they need. */
export const drawFigures = (
  scene: Scene,
  pal: Palette,
  light: Light,
  figures: readonly Figure[],
  f: Frame,
  detail: Detail = { level: 0 },
): string =>
  drawShore(scene, pal, figures, f) +
  figures.map((fig, i) => drawFigure(scene, pal, light, fig, f, i, detail)).join('');

/** Ground for subjects that walk in a scene of water: a shore across the foreground they stand on. */
export const drawShore = (scene: Scene, pal: Palette, figures: readonly Figure[], f: Frame): string => {
  if (!scene.water || scene.composition.setting !== 'outdoor' || scene.composition.viewpoint === 'top')
    return '';
  const standing = figures.filter((g) => !g.airborne && !g.onWater && !g.icon.startsWith('builtin:'));
  if (standing.length === 0) return '';
  const { w, h } = f;
  const top = Math.max(
    f.horizonY + (h - f.horizonY) * 0.08,
    Math.min(...standing.map((g) => g.base - g.size * 0.12)),
  );
  const sand = mix(mix(pal.ground, [214, 190, 142], 0.55), [0, 0, 0], (1 - LIGHT_STRENGTH[scene.time]) * 0.8);
  const wet = mix(sand, pal.water, 0.35);
  const d = `M0 ${n(h)}L0 ${n(top + h * 0.02)}Q${n(w * 0.25)} ${n(top - h * 0.015)} ${n(w * 0.5)} ${n(top)}T${n(w)} ${n(top + h * 0.01)}L${n(w)} ${n(h)}Z`;
  return `<path d="${d}" fill="${fill(wet)}"/><path d="${d}" transform="translate(0 ${n(h * 0.012)})" fill="${fill(sand)}"/>`;
};

/** An indoor setting drawn over the landscape: a wall with a window onto it, a sill, a table or a floor. */
export const drawSetting = (scene: Scene, pal: Palette, f: Frame): string => {
  const { setting, viewpoint } = scene.composition;
  const { w, h } = f;
  const night = scene.time === 'night' || scene.time === 'dusk';
  const strength = LIGHT_STRENGTH[scene.time];
  const shade = (c: Rgb, k = 1): Rgb => mix(c, [0, 0, 0], (1 - strength) * 0.8 * k);
  const wood = shade([150, 98, 58]);
  const woodDark = shade([112, 70, 40]);
  if (viewpoint === 'top' && setting !== 'outdoor') {
    // Seen from above, the table is all there is: planks across the frame.
    let planks = `<rect width="${w}" height="${h}" fill="${fill(wood)}"/>`;
    const count = 6;
    for (let i = 1; i < count; i++)
      planks += `<rect x="0" y="${n((h * i) / count - 2)}" width="${w}" height="${n(Math.max(2, h / 300))}" fill="${fill(woodDark)}"/>`;
    for (let i = 0; i < 40; i++) {
      const y = (h * (i + 0.5)) / 40;
      planks += `<path d="M0 ${n(y)}Q${n(w * 0.3)} ${n(y + h * 0.006)} ${n(w * 0.6)} ${n(y - h * 0.004)}T${n(w)} ${n(y)}" stroke="${fill(woodDark)}" stroke-opacity="0.25" stroke-width="${n(Math.max(1, h / 700))}" fill="none"/>`;
    }
    return planks;
  }
  if (setting === 'outdoor') return '';
  const wall = shade(mix(pal.haze, [236, 226, 210], 0.7), night ? 1.2 : 1);
  // The window: a hole in the wall (even-odd) through which the landscape shows.
  const wx0 = w * 0.18;
  const wx1 = w * 0.82;
  const wy0 = h * 0.08;
  const wy1 = setting === 'window' ? h * SILL : h * (setting === 'table' ? TABLE_TOP - 0.04 : FLOOR - 0.1);
  let out = `<path fill-rule="evenodd" d="M0 0H${w}V${h}H0Z M${n(wx0)} ${n(wy0)}H${n(wx1)}V${n(wy1)}H${n(wx0)}Z" fill="${fill(wall)}"/>`;
  const frame = shade([244, 240, 232]);
  const bar = Math.max(3, w * 0.012);
  out += `<path fill-rule="evenodd" d="M${n(wx0 - bar)} ${n(wy0 - bar)}H${n(wx1 + bar)}V${n(wy1 + bar)}H${n(wx0 - bar)}Z M${n(wx0)} ${n(wy0)}H${n(wx1)}V${n(wy1)}H${n(wx0)}Z" fill="${fill(frame)}"/>`;
  out += `<rect x="${n((wx0 + wx1) / 2 - bar / 2)}" y="${n(wy0)}" width="${n(bar)}" height="${n(wy1 - wy0)}" fill="${fill(frame)}"/>`;
  out += `<rect x="${n(wx0)}" y="${n((wy0 + wy1) / 2 - bar / 2)}" width="${n(wx1 - wx0)}" height="${n(bar)}" fill="${fill(frame)}"/>`;
  if (setting === 'window') {
    out += `<rect x="0" y="${n(h * SILL)}" width="${w}" height="${n(h * 0.035)}" fill="${fill(frame)}"/>`;
    out += `<rect x="0" y="${n(h * (SILL + 0.035))}" width="${w}" height="${n(h * 0.012)}" fill="#000" opacity="0.25"/>`;
  } else if (setting === 'table') {
    out += `<path d="M0 ${n(h * TABLE_TOP)}H${w}V${h}H0Z" fill="${fill(wood)}"/>`;
    for (let i = 0; i < 9; i++) {
      const y = h * (TABLE_TOP + ((1 - TABLE_TOP) * (i + 0.5)) / 9);
      out += `<path d="M0 ${n(y)}Q${n(w * 0.4)} ${n(y + h * 0.004)} ${n(w)} ${n(y - h * 0.003)}" stroke="${fill(woodDark)}" stroke-opacity="0.3" stroke-width="${n(Math.max(1, h / 600))}" fill="none"/>`;
    }
    out += `<rect x="0" y="${n(h * TABLE_TOP)}" width="${w}" height="${n(h * 0.012)}" fill="#fff" opacity="0.18"/>`;
  } else {
    out += `<path d="M0 ${n(h * FLOOR)}H${w}V${h}H0Z" fill="${fill(wood)}"/>`;
    out += `<rect x="0" y="${n(h * FLOOR)}" width="${w}" height="${n(h * 0.02)}" fill="${fill(woodDark)}"/>`;
  }
  return out;
};
