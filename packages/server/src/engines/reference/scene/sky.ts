// The sky: gradient, sun or moon with its glow, stars, aurora ribbons and planets.
import { mix } from '../../../media/color.js';
import type { Palette } from './palette.js';
import type { Rng } from './rng.js';
import type { Scene } from './scene.js';
import type { Detail, Frame } from './terrain.js';
import { fill, n, op, rGradient, vGradient } from './svg.js';

/** Where the light source sits, shared with the water (its reflection) and clouds (their lit side). */
export interface Light {
  x: number;
  y: number;
  r: number;
  isMoon: boolean;
  visible: boolean;
}

/** Places the sun (or moon) from the scene's time of day. */
export const placeLight = (scene: Scene, f: Frame): Light => {
  const heights: Record<Scene['time'], number> = {
    dawn: 0.05,
    day: 0.55,
    golden: 0.22,
    sunset: 0.08,
    dusk: -0.04,
    night: 0.6,
  };
  const isMoon = scene.time === 'night' || (scene.time === 'dusk' && scene.subjects.includes('moon'));
  const above = isMoon ? 0.55 : heights[scene.time];
  const span = f.horizonY;
  return {
    x: scene.sunX * f.w,
    y: f.horizonY - span * above,
    r: Math.min(f.w, f.h) * (isMoon ? 0.035 : scene.time === 'day' ? 0.03 : 0.045),
    isMoon,
    visible: scene.weather !== 'storm' && scene.weather !== 'rain' && !(scene.space && !isMoon),
  };
};

/** Background gradient plus the glow around the light source. */
export const drawSky = (scene: Scene, pal: Palette, light: Light, f: Frame): string => {
  const { w, h, horizonY } = f;
  const defs = [
    vGradient(
      'sky',
      [
        [0, pal.skyTop],
        [0.55, pal.skyMid],
        [1, pal.skyHorizon],
      ],
      0,
      horizonY,
    ),
    rGradient(
      'glow',
      light.x,
      light.y,
      Math.max(w, h) * (light.isMoon ? 0.35 : 0.7),
      [
        [0, pal.glow, light.isMoon ? 0.35 : 0.85],
        [0.25, pal.glow, light.isMoon ? 0.12 : 0.35],
        [1, pal.glow, 0],
      ],
      0.6,
    ),
    vGradient(
      'horizonBand',
      [
        [0, pal.skyHorizon, 0],
        [0.8, pal.glow, 0.4],
        [1, pal.skyHorizon, 0.2],
      ],
      horizonY - h * 0.18,
      horizonY + 2,
    ),
  ];
  return (
    `<defs>${defs.join('')}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#sky)"/>` +
    (scene.space
      ? ''
      : `<rect y="${n(horizonY - h * 0.18)}" width="${w}" height="${n(h * 0.18 + 2)}" fill="url(#horizonBand)"/>`) +
    (light.visible ? `<rect width="${w}" height="${h}" fill="url(#glow)"/>` : '')
  );
};

/** The disc itself, drawn after clouds so it can peek through thin cover. */
export const drawLightDisc = (pal: Palette, light: Light): string => {
  if (!light.visible) return '';
  const { x, y, r } = light;
  const defs = rGradient('disc', x, y, r * 3.2, [
    [0, pal.sun],
    [0.3, pal.sun],
    [0.34, pal.glow, 0.55],
    [1, pal.glow, 0],
  ]);
  let out = `<defs>${defs}</defs><circle cx="${n(x)}" cy="${n(y)}" r="${n(r * 3.2)}" fill="url(#disc)"/>`;
  if (light.isMoon) {
    // Maria: a few darker patches so the moon reads as the moon, not a second sun.
    out += `<g fill="${fill(mix(pal.sun, pal.skyMid, 0.35))}" opacity="0.45">`;
    out += `<circle cx="${n(x - r * 0.3)}" cy="${n(y - r * 0.2)}" r="${n(r * 0.28)}"/>`;
    out += `<circle cx="${n(x + r * 0.25)}" cy="${n(y + r * 0.25)}" r="${n(r * 0.2)}"/>`;
    out += `<circle cx="${n(x + r * 0.35)}" cy="${n(y - r * 0.35)}" r="${n(r * 0.12)}"/></g>`;
  }
  return out;
};

/** Stars for night, dusk and space; uni-1-max draws more and fainter ones. */
export const drawStars = (scene: Scene, pal: Palette, rng: Rng, f: Frame, detail: Detail): string => {
  const dark = scene.time === 'night' || scene.time === 'dusk' || scene.space;
  // A bright sky shows no stars unless the prompt asks for them; then only the darkest, highest part does.
  if (!dark && !scene.stars) return '';
  if (scene.weather === 'storm' || scene.weather === 'rain') return '';
  const count = Math.round(
    (scene.space ? 900 : scene.time === 'night' ? 500 : dark ? 160 : 200) * (1 + detail.level * 1.5),
  );
  const top = scene.space ? f.h : f.horizonY * (dark ? 0.9 : 0.4);
  let small = '';
  let bright = '';
  for (let i = 0; i < count; i++) {
    const x = rng.range(0, f.w);
    // Denser toward the zenith, like a real sky away from horizon haze.
    const y = top * Math.pow(rng.next(), 1.6);
    const m = rng.next();
    if (m > 0.985) {
      const r = rng.range(2.2, 3.6);
      bright += `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r * 3)}" fill="url(#star)"/>`;
    } else {
      small += `M${n(x)} ${n(y)}h${n(rng.range(1, 2.4))}v${n(1.6)}h${n(-1.6)}Z`;
    }
  }
  const defs = `<radialGradient id="star"><stop offset="0" stop-color="#ffffff"/><stop offset="0.18" stop-color="#ffffff" stop-opacity="0.9"/><stop offset="0.4" stop-color="${fill(pal.glow)}" stop-opacity="0.25"/><stop offset="1" stop-color="${fill(pal.glow)}" stop-opacity="0"/></radialGradient>`;
  const g = dark ? '' : ` opacity="${scene.time === 'day' || scene.time === 'golden' ? 0.45 : 0.8}"`;
  return `<defs>${defs}</defs><g${g}><path d="${small}" fill="#f4f6ff" opacity="0.75"/>${bright}</g>`;
};

/** Aurora: stacked translucent ribbons with a green-to-violet vertical gradient. */
export const drawAurora = (rng: Rng, f: Frame, detail: Detail): string => {
  const bands = 3 + detail.level * 3;
  let out = `<defs>${vGradient('aurora', [
    [0, [150, 80, 220], 0],
    [0.5, [80, 230, 170], 0.35],
    [1, [60, 255, 160], 0],
  ])}</defs>`;
  for (let b = 0; b < bands; b++) {
    const y0 = f.horizonY * rng.range(0.18, 0.45);
    const amp = f.h * rng.range(0.03, 0.08);
    const thick = f.h * rng.range(0.08, 0.18);
    let top = `M-20 ${n(y0)}`;
    const steps = 12;
    const phase = rng.range(0, 6);
    const pts: [number, number][] = [];
    for (let i = 0; i <= steps; i++) {
      const x = -20 + ((f.w + 40) * i) / steps;
      pts.push([x, y0 + Math.sin(phase + i * 0.7) * amp]);
    }
    top += pts.map(([x, y]) => `L${n(x)} ${n(y)}`).join('');
    const back = [...pts]
      .reverse()
      .map(([x, y]) => `L${n(x)} ${n(y + thick)}`)
      .join('');
    out += `<path d="${top}${back}Z" fill="url(#aurora)" opacity="${op(rng.range(0.5, 0.9))}"/>`;
  }
  return out;
};

/** A planet: lit sphere with a terminator, a thin atmosphere rim and, sometimes, rings. */
export const drawPlanet = (pal: Palette, rng: Rng, f: Frame): string => {
  const r = Math.min(f.w, f.h) * rng.range(0.14, 0.22);
  const cx = f.w * rng.range(0.25, 0.75);
  const cy = f.h * rng.range(0.25, 0.45);
  const lit = mix(pal.glow, pal.skyMid, 0.35);
  const dark = mix(pal.skyTop, [0, 0, 0], 0.5);
  const defs =
    rGradient('planet', cx - r * 0.45, cy - r * 0.45, r * 1.6, [
      [0, lit],
      [0.55, mix(lit, dark, 0.55)],
      [1, dark],
    ]) +
    rGradient('atmo', cx, cy, r * 1.25, [
      [0.78, pal.glow, 0],
      [0.8, pal.glow, 0.5],
      [1, pal.glow, 0],
    ]);
  let out = `<defs>${defs}</defs><circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r * 1.25)}" fill="url(#atmo)"/>`;
  out += `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="url(#planet)"/>`;
  if (rng.chance(0.6)) {
    const tilt = rng.range(-20, 20);
    out += `<ellipse cx="${n(cx)}" cy="${n(cy)}" rx="${n(r * 1.9)}" ry="${n(r * 0.38)}" fill="none" stroke="${fill(lit)}" stroke-opacity="0.55" stroke-width="${n(r * 0.12)}" transform="rotate(${n(tilt)} ${n(cx)} ${n(cy)})"/>`;
  }
  return out;
};
