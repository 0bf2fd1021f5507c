// A virtual camera over a still, as ffmpeg `perspective` corner expressions: sub-pixel zoom and pan with
// bilinear sampling, so slow moves glide instead of stepping a whole pixel at a time like crop/zoompan.

/** Camera state as ffmpeg expressions of the output frame number `on`. */
export interface Camera {
  /** Zoom factor, ≥ 1 (1 = the whole still). */
  zoom: string;
  /** Horizontal centre offset, fraction of the width; keep within ±(1 − 1/zoom)/2 to stay on the still. */
  panX: string;
  /** Vertical centre offset, fraction of the height. */
  panY: string;
}

/** The identity camera: the still itself, pixel for pixel. */
export const STILL_CAMERA: Camera = { zoom: '1', panX: '0', panY: '0' };

/**
 * `perspective` filter for a camera. Corners are source points mapped to the output corners; at zoom 1
 * and no pan they are the frame's own corners, so the pinned frame reproduces the still.
 */
export const perspectiveFilter = (cam: Camera): string => {
  const left = `W*(0.5+(${cam.panX}))-W/(2*(${cam.zoom}))`;
  const right = `W*(0.5+(${cam.panX}))+W/(2*(${cam.zoom}))`;
  const top = `H*(0.5+(${cam.panY}))-H/(2*(${cam.zoom}))`;
  const bottom = `H*(0.5+(${cam.panY}))+H/(2*(${cam.zoom}))`;
  const q = (e: string): string => `'${e}'`;
  return (
    `perspective=x0=${q(left)}:y0=${q(top)}:x1=${q(right)}:y1=${q(top)}` +
    `:x2=${q(left)}:y2=${q(bottom)}:x3=${q(right)}:y3=${q(bottom)}:interpolation=linear:eval=frame`
  );
};
