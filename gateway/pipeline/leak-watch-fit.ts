/**
 * The arithmetic of the leak watch (leak-watch.ts): readings are averaged into
 * fixed time bins, so an ultrasonic sensor's ±1 cm scatter shrinks by √n, and a
 * run of contiguous bins is judged for a steady fall — a slope above a floor, a
 * straight line (R², residuals near the bins' own noise) and a fall spread over
 * the whole run (the median step close to the mean step). Household use is bursty:
 * a shower or a flush puts the whole fall into one or two bins, so its median step
 * is about zero; a leak takes the same bit out of every bin.
 */

/** One closed bin: the mean level over [start, start + bin length). */
export interface LevelBin {
  readonly start: number;
  /** Mean level, percent of the usable capacity. */
  readonly mean: number;
  /** Standard error of that mean, from the scatter of the readings in the bin. */
  readonly error: number;
}

/**
 * Readings being added to the bin that is open now, in three sub-batches: the
 * scatter of the batches' means gives the bin mean's error even when successive
 * readings are correlated (the pipeline's median filter smooths them).
 */
export interface OpenBin {
  readonly start: number;
  readonly n: number;
  readonly sums: readonly [number, number, number];
  readonly counts: readonly [number, number, number];
  /** An untrusted step (fault, unsynchronised clock) fell in it: it becomes a gap. */
  readonly tainted: boolean;
}

/** A bin needs this many readings to count; fewer is a gap. */
export const MIN_READINGS_PER_BIN = 3;

/** No 30 minutes may hold more than this share of the run's fall. */
const BURST_SHARE = 0.4;
/** The bins' mean noise is never taken as smaller than this (percent): a filtered, quantised sensor. */
const NOISE_FLOOR_PERCENT = 0.02;

export function openBin(start: number): OpenBin {
  return { start, n: 0, sums: [0, 0, 0], counts: [0, 0, 0], tainted: false };
}

export function taintBin(bin: OpenBin): OpenBin {
  return bin.tainted ? bin : { ...bin, tainted: true };
}

export function addToBin(bin: OpenBin, binMs: number, at: number, percent: number): OpenBin {
  const k = Math.min(2, Math.max(0, Math.floor((3 * (at - bin.start)) / binMs)));
  const sums: [number, number, number] = [...bin.sums];
  const counts: [number, number, number] = [...bin.counts];
  sums[k] = (sums[k] ?? 0) + percent;
  counts[k] = (counts[k] ?? 0) + 1;
  return { start: bin.start, n: bin.n + 1, sums, counts, tainted: bin.tainted };
}

/** The closed bin, or undefined when it is a gap (tainted or too few readings). */
export function closeBin(bin: OpenBin): LevelBin | undefined {
  if (bin.tainted || bin.n < MIN_READINGS_PER_BIN) return undefined;
  const mean = bin.sums.reduce((a, b) => a + b, 0) / bin.n;
  const batches = bin.sums.flatMap((sum, i) => ((bin.counts[i] ?? 0) > 0 ? [sum / (bin.counts[i] ?? 1)] : []));
  if (batches.length < 2) return { start: bin.start, mean, error: 0 };
  const bm = average(batches);
  const variance = batches.reduce((a, b) => a + (b - bm) ** 2, 0) / (batches.length - 1);
  return { start: bin.start, mean, error: Math.sqrt(variance / batches.length) };
}

/** The run's verdict, with the figures a message needs. */
export interface SteadyFall {
  /** Percent per hour, positive for a fall. */
  readonly ratePerHour: number;
  /** The fall over the whole run (rate × its length), percent. */
  readonly loss: number;
  readonly rSquared: number;
  /** The fall is spread evenly and lies on a line (not bursts of use). */
  readonly steady: boolean;
}

/**
 * Least squares over the bins' means; the residuals may be `residualNoise` times the
 * bins' own noise (a line, not steps). `bins` must be contiguous and at least 4;
 * the caller checks that.
 */
export function judgeRun(bins: readonly LevelBin[], binMs: number, residualNoise: number): SteadyFall {
  const n = bins.length;
  const hours = bins.map((_, i) => (i * binMs) / 3_600_000);
  const means = bins.map((b) => b.mean);
  const tMean = average(hours);
  const vMean = average(means);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dt = (hours[i] ?? 0) - tMean;
    const dv = (means[i] ?? 0) - vMean;
    sxx += dt * dt;
    sxy += dt * dv;
    syy += dv * dv;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const rSquared = syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  const ratePerHour = -slope;
  const loss = (ratePerHour * n * binMs) / 3_600_000;
  let residualSq = 0;
  for (let i = 0; i < n; i++) residualSq += ((means[i] ?? 0) - (vMean + slope * ((hours[i] ?? 0) - tMean))) ** 2;
  const residual = Math.sqrt(residualSq / n);
  // The median bin's error: a burst of use inside a bin inflates that bin's, not the median.
  const noise = Math.max(NOISE_FLOOR_PERCENT, median(bins.map((b) => b.error)));
  // The largest fall over any two bins (30 min): a burst of use puts most of the loss there.
  let burst = -Infinity;
  for (let i = 0; i + 2 < n; i++) burst = Math.max(burst, (means[i] ?? 0) - (means[i + 2] ?? 0));
  const fall = (means[0] ?? 0) - (means[n - 1] ?? 0);
  const steady = loss > 0 && fall > 0 && burst <= BURST_SHARE * fall && residual <= residualNoise * noise && rSquared >= 0.8;
  return { ratePerHour, loss, rSquared, steady };
}

/** The bins are one unbroken run: each starts one bin length after the one before. */
export function contiguous(bins: readonly LevelBin[], binMs: number): boolean {
  return bins.every((b, i) => i === 0 || b.start - (bins[i - 1]?.start ?? NaN) === binMs);
}

function average(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
