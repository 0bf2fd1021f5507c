// The palette's shape, apart from the code that builds it, so tints and palette can share it.
import type { Rgb } from '../../../media/color.js';

/** The palette's base colours, one per role. */
export type ColourKey =
  | 'skyTop'
  | 'skyMid'
  | 'skyHorizon'
  | 'glow'
  | 'sun'
  | 'cloudLit'
  | 'cloudShade'
  | 'far'
  | 'near'
  | 'ground'
  | 'water'
  | 'haze'
  | 'lights';

/** Every colour a scene layer may use. */
export interface Palette extends Record<ColourKey, Rgb> {
  /** Tree colour when the prompt names one ("pink trees", "autumn forest"); null: land-coloured silhouettes. */
  foliage: Rgb | null;
  /** Building colour when named ("red roofs"); null: hazy silhouettes. */
  city: Rgb | null;
  /** The named city colour is its roofs' ("red roofs"), not the walls'. */
  cityRoofs: boolean;
  /** Window colours for a neon or coloured-lights city; empty: `lights`. */
  neon: Rgb[];
  /** Lit snow on the ridges. */
  snow: Rgb;
  /** 0..1: how much the water shows its own colour rather than the reflected sky. */
  waterOwn: number;
}
