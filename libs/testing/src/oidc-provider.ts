import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The test's own OpenID provider (libs/testing/src/oidc-provider-server.mjs) in a child process. */
export interface TestOidcProvider {
  /** Its issuer, `http://127.0.0.1:<port>`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds a person who can sign in with `sub` as their username, or changes their claims. */
  setPerson(sub: string, claims: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = join(__dirname, 'oidc-provider-server.mjs');

/**
 * Starts oidc-provider with one client (`clientId`, `clientSecret`, client_secret_basic) that
 * may send people back only to `redirectUri`; resolves once it answers with its issuer.
 * Kill it with `close()` (afterAll).
 */
export async function startOidcProvider(redirectUri: string): Promise<TestOidcProvider> {
  const clientId = 'kpi-ledger-test';
  const clientSecret = 'a test client secret that is long enough';
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      ...process.env,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_REDIRECT_URI: redirectUri,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /OIDC_PROVIDER_URL=(\S+)/.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`the test OpenID provider ended (${code}) before answering:\n${stderr}`)),
    );
  });
  return {
    issuer,
    clientId,
    clientSecret,
    async setPerson(sub, claims) {
      const response = await fetch(`${issuer}/test/people/${encodeURIComponent(sub)}`, {
        method: 'PUT',
        body: JSON.stringify(claims),
      });
      if (response.status !== 204) throw new Error(`setPerson answered ${response.status}`);
    },
    close: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
