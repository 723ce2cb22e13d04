/**
 * MQ-6 LPG sensor maths, both ways (HARDWARE.md "Gas sniffer"). Pure functions:
 * the driver turns volts into ppm with them, the simulator ppm into volts.
 */

/** ppm = a × (Rs/R0)^b, fitted to the datasheet's LPG line [MQSensorsLib]. */
export interface Mq6Curve {
  readonly a: number;
  readonly b: number;
}

export const LPG_CURVE: Mq6Curve = Object.freeze({ a: 1009.2, b: -2.35 });

/** Rs/R0 in clean air, from the datasheet; R0 itself is defined at 1000 ppm LPG. */
export const CLEAN_AIR_RATIO = 10;

export interface Mq6Circuit {
  /** Vc: the supply across the sensor and the load resistor (5 V on most boards). */
  readonly supplyVolts: number;
  /** RL: the load resistor the output is taken across. */
  readonly loadOhms: number;
}

/**
 * Sensor resistance from the output voltage: Rs = RL × (Vc − Vout) / Vout.
 * Only defined strictly between the rails; throws RangeError at or beyond them.
 */
export function rsFromVout(vout: number, circuit: Mq6Circuit): number {
  const { supplyVolts, loadOhms } = circuit;
  if (!(vout > 0 && vout < supplyVolts)) {
    throw new RangeError(`MQ-6 output ${vout} V is not between 0 and the ${supplyVolts} V supply`);
  }
  return (loadOhms * (supplyVolts - vout)) / vout;
}

/** The output voltage for a sensor resistance: Vout = Vc × RL / (Rs + RL). */
export function voutFromRs(rsOhms: number, circuit: Mq6Circuit): number {
  return (circuit.supplyVolts * circuit.loadOhms) / (rsOhms + circuit.loadOhms);
}

/** LPG concentration in ppm for a resistance ratio Rs/R0. */
export function ppmFromRatio(ratio: number, curve: Mq6Curve = LPG_CURVE): number {
  return curve.a * Math.pow(ratio, curve.b);
}

/** The inverse: Rs/R0 for a concentration (Infinity at 0 ppm; the model caps it at clean air). */
export function ratioFromPpm(ppm: number, curve: Mq6Curve = LPG_CURVE): number {
  return Math.pow(ppm / curve.a, 1 / curve.b);
}

/** R0 from Rs measured in clean air: R0 = Rs / (Rs/R0 in clean air). */
export function r0FromCleanAir(rsCleanAir: number, cleanAirRatio = CLEAN_AIR_RATIO): number {
  return rsCleanAir / cleanAirRatio;
}

/** Lower explosive limits, % by volume in air. */
export const LEL_PERCENT = Object.freeze({ propane: 2.1, butane: 1.9, isobutane: 1.8 });

export type LpgComponent = keyof typeof LEL_PERCENT;

/** Fractions of the bottled gas, e.g. { propane: 0.6, butane: 0.4 }. */
export type GasMix = Readonly<Partial<Record<LpgComponent, number>>>;

/**
 * The LEL used for a mix: the lowest of the gases present — conservative, since
 * the sensor cannot tell them apart. Throws RangeError for a mix with no gas in it.
 */
export function lowestLelPercent(mix: GasMix): number {
  let lowest = Infinity;
  for (const [gas, fraction] of Object.entries(mix) as [LpgComponent, number | undefined][]) {
    if (fraction === undefined) continue;
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new RangeError(`gas mix fraction for ${gas} must be between 0 and 1, got ${fraction}`);
    }
    const lel = LEL_PERCENT[gas];
    if (lel === undefined) throw new RangeError(`unknown gas in mix: ${gas}`);
    if (fraction > 0) lowest = Math.min(lowest, lel);
  }
  if (lowest === Infinity) throw new RangeError('gas mix names no gas with a fraction above 0');
  return lowest;
}

/** Concentration as a percentage of the mix's lower explosive limit (1% vol = 10 000 ppm). */
export function lelPercent(ppm: number, mix: GasMix): number {
  return (ppm / (lowestLelPercent(mix) * 10_000)) * 100;
}
