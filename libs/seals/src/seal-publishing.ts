import { appendFile, readFile } from 'node:fs/promises';
import type { LogSealedData } from './seal-format';

/** Where seals are written out of the database as they are made (each optional). */
export interface SealOutlets {
  /** A file each seal is appended to as one JSON line (keep it on other storage than the database). */
  file?: string | undefined;
  /** A URL each seal is POSTed to as JSON (a timestamping or archiving service). */
  webhookUrl?: string | undefined;
}

/**
 * Writes a seal out of the database: a line of the seal file, a POST to the webhook (three
 * tries). A failure is reported to the caller, after every outlet was tried: the seal is in the
 * log either way, and `cli seals write-out` writes them all again.
 */
export async function publishSeal(seal: LogSealedData, outlets: SealOutlets): Promise<void> {
  const failures: string[] = [];
  if (outlets.file) {
    await appendFile(outlets.file, `${JSON.stringify(seal)}\n`, 'utf8').catch((error: Error) =>
      failures.push(`seal file ${outlets.file}: ${error.message}`),
    );
  }
  if (outlets.webhookUrl) {
    const problem = await postWithRetries(outlets.webhookUrl, seal);
    if (problem) failures.push(`seal webhook ${outlets.webhookUrl}: ${problem}`);
  }
  if (failures.length > 0)
    throw new Error(`Seal ${seal.sealNumber} not written out: ${failures.join('; ')}`);
}

async function postWithRetries(url: string, seal: LogSealedData): Promise<string | null> {
  let problem = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(seal),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return null;
      problem = `answered ${response.status}`;
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  return problem;
}

/** The seals of a seal file (one JSON line each), to compare with the log. */
export async function readSealFile(path: string): Promise<LogSealedData[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as LogSealedData;
      } catch {
        throw new Error(`${path} line ${index + 1} is not a seal (JSON)`);
      }
    });
}
