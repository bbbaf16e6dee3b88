/** Small statistics helpers for the benchmark reports. */

/** The q-quantile (0..1) of `values` by nearest rank; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** "met" or "NOT met" against a bound, for the printed summary. */
export function verdict(value: number, bound: number, direction: '>=' | '<='): 'met' | 'NOT met' {
  const ok = direction === '>=' ? value >= bound : value <= bound;
  return ok ? 'met' : 'NOT met';
}

/** A timer with sub-microsecond resolution, in microseconds. */
export function nowMicros(): number {
  return Number(process.hrtime.bigint()) / 1000;
}
