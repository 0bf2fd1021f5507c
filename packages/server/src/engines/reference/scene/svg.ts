// Small SVG string builders. Numbers are rounded to 0.1 px so documents stay compact and stable.
import { toHex, type Rgb } from '../../../media/color.js';

/** Formats a coordinate. */
export const n = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Formats an opacity or scale factor (three decimals). */
export const op = (v: number): string => (Math.round(v * 1000) / 1000).toString();

/** A point on the canvas. */
export type Pt = readonly [number, number];

/** A gradient stop: offset 0..1, colour, opacity. */
export type Stop = readonly [number, Rgb, number?];

const stops = (list: readonly Stop[]): string =>
  list
    .map(
      ([o, c, a]) =>
        `<stop offset="${n(o * 100)}%" stop-color="${toHex(c)}"${a === undefined ? '' : ` stop-opacity="${op(a)}"`}/>`,
    )
    .join('');

/** A vertical linear gradient definition (top → bottom in the shape's bounding box unless absolute). */
export const vGradient = (id: string, list: readonly Stop[], y1?: number, y2?: number): string =>
  y1 === undefined || y2 === undefined
    ? `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${stops(list)}</linearGradient>`
    : `<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="0" y1="${n(y1)}" x2="0" y2="${n(y2)}">${stops(list)}</linearGradient>`;

/** A radial gradient in absolute coordinates; `sy` squashes it vertically (1 = round). */
export const rGradient = (
  id: string,
  cx: number,
  cy: number,
  r: number,
  list: readonly Stop[],
  sy = 1,
): string =>
  `<radialGradient id="${id}" gradientUnits="userSpaceOnUse" cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}"${
    sy === 1 ? '' : ` gradientTransform="translate(0 ${n(cy * (1 - sy))}) scale(1 ${op(sy)})"`
  }>${stops(list)}</radialGradient>`;

/** A closed polygon path from a polyline down to the bottom edge `bottom`. */
export const fillBelow = (pts: readonly Pt[], bottom: number): string => {
  if (pts.length === 0) return '';
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  let d = `M${n(first[0])} ${n(bottom)}L`;
  d += pts.map((p) => `${n(p[0])} ${n(p[1])}`).join(' ');
  d += ` L${n(last[0])} ${n(bottom)}Z`;
  return d;
};

/** `fill` attribute value for a solid colour. */
export const fill = (c: Rgb): string => toHex(c);
