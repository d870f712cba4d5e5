import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** Prints one benchmark result as a JSON line (the format docs/performance.md quotes). */
export function report(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}

/** Also keeps every line of a run in bench/results/<name>.json for later comparison. */
export function saveResults(name: string, results: Record<string, unknown>[]): void {
  const machine = {
    node: process.version,
    platform: process.platform,
    cpus: cpus().length,
  };
  writeFileSync(
    join(__dirname, 'results', `${name}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number from 1; got "${raw}"`);
  return value;
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));
