export interface Measurement {
  readonly name: string;
  readonly value: number | string;
  readonly target: string;
  readonly pass: boolean;
}

/** Prints one benchmark's measurements against their targets; true when every target is met. */
export function report(title: string, measurements: readonly Measurement[]): boolean {
  console.log(`\n${title}`);
  for (const m of measurements) {
    console.log(`  ${m.pass ? 'ok  ' : 'FAIL'} ${m.name}: ${m.value} (target ${m.target})`);
  }
  return measurements.every((m) => m.pass);
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
