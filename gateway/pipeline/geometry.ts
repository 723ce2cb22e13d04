/**
 * Tank geometry (HARDWARE.md "Tank geometry"): litres held at a liquid height and
 * back. Dimensions in millimetres, volumes in litres (1 L = 10⁶ mm³).
 */
import type { TankShape } from './specs.js';

/** A tank whose shape is known, so heights mean volumes (every shape but `capacity`). */
export type GeometricTank = Exclude<TankShape, { readonly shape: 'capacity' }>;

const MM3_PER_LITRE = 1e6;

export function isGeometric(shape: TankShape): shape is GeometricTank {
  return shape.shape !== 'capacity';
}

/** The inside height from floor to top, in mm. */
export function tankHeightMm(shape: GeometricTank): number {
  switch (shape.shape) {
    case 'vertical_cylinder':
    case 'rectangular':
      return shape.heightMm;
    case 'horizontal_cylinder':
    case 'horizontal_capsule':
      return shape.diameterMm;
  }
}

/** The water capacity (brim full), in litres. */
export function tankCapacityLitres(shape: TankShape): number {
  if (shape.shape === 'capacity') return shape.litres;
  return volumeAtHeight(shape, tankHeightMm(shape));
}

/** Litres held at liquid height `heightMm`, clamped to [0, tank height]. */
export function volumeAtHeight(shape: GeometricTank, heightMm: number): number {
  const h = Math.min(Math.max(heightMm, 0), tankHeightMm(shape));
  switch (shape.shape) {
    case 'vertical_cylinder': {
      const r = shape.diameterMm / 2;
      return (Math.PI * r * r * h) / MM3_PER_LITRE;
    }
    case 'rectangular':
      return (shape.lengthMm * shape.widthMm * h) / MM3_PER_LITRE;
    case 'horizontal_cylinder':
      return (shape.lengthMm * circularSegmentArea(shape.diameterMm / 2, h)) / MM3_PER_LITRE;
    case 'horizontal_capsule': {
      const r = shape.diameterMm / 2;
      // The two hemispherical heads together are a sphere filled to h: a spherical cap.
      const heads = (Math.PI * h * h * (3 * r - h)) / 3;
      return (shape.lengthMm * circularSegmentArea(r, h) + heads) / MM3_PER_LITRE;
    }
  }
}

/**
 * The liquid height (mm) that holds `litres`, by bisection (volume rises with height
 * for every shape); litres are clamped to [0, capacity]. Used by calibration and the
 * simulator, not per sample.
 */
export function heightAtVolume(shape: GeometricTank, litres: number): number {
  const top = tankHeightMm(shape);
  const capacity = volumeAtHeight(shape, top);
  if (!(litres > 0)) return 0;
  if (litres >= capacity) return top;
  let lo = 0;
  let hi = top;
  // 60 halvings take any tank height below a nanometre.
  for (let i = 0; i < 60 && hi - lo > 1e-9; i++) {
    const mid = (lo + hi) / 2;
    if (volumeAtHeight(shape, mid) < litres) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Area (mm²) of the part of a circle of radius r below a chord at height h from its bottom. */
export function circularSegmentArea(r: number, h: number): number {
  const d = r - h;
  // Clamp: rounding can push (r−h)/r a hair past ±1 and 2rh − h² below 0 at the ends.
  const cos = Math.min(1, Math.max(-1, d / r));
  return r * r * Math.acos(cos) - d * Math.sqrt(Math.max(0, 2 * r * h - h * h));
}
