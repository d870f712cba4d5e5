import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The standalone evidence-bundle verifier, run as a regulator would: plain `node`. */
export const BUNDLE_VERIFIER = join(
  __dirname,
  '..',
  '..',
  '..',
  'tools',
  'verify-audit-bundle.mjs',
);

export interface VerifierRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node tools/verify-audit-bundle.mjs …args`, feeding `stdin` if given. */
export function runBundleVerifier(args: readonly string[], stdin = ''): Promise<VerifierRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE_VERIFIER, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * The verifier's own RFC 8785 canonical JSON of each value (`--canonical-json`): an
 * implementation independent of libs/event-store's, reached as anyone outside would reach it.
 */
export async function canonicalJsonByVerifier(values: readonly unknown[]): Promise<string[]> {
  const input = values.map((value) => `${JSON.stringify(value)}\n`).join('');
  const run = await runBundleVerifier(['--canonical-json'], input);
  if (run.exitCode !== 0) throw new Error(`the verifier failed: ${run.stderr}`);
  return run.stdout.split('\n').slice(0, -1);
}
