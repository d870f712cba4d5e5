import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchOptions } from 'playwright-core';

/** Debian's Chromium: the one browser the tests and the screenshots drive. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** How every browser of the tests and the screenshots is launched. */
export const CHROMIUM_LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  headless: true,
};

export const INSTALL_CHROMIUM_SCRIPT = join(__dirname, 'install-chromium.sh');

export interface EnsureChromiumOptions {
  /** Where the browser must be afterwards. */
  executablePath?: string;
  /** The command that installs it (argv); its output goes to this process's stderr. */
  installCommand?: readonly string[];
  log?: (line: string) => void;
}

/**
 * Makes sure Chromium is at {@link CHROMIUM_PATH}: when it is missing, installs Debian's package
 * with apt-get (install-chromium.sh), saying so; throws an error that says what to do when it
 * cannot. Called once per run: by the browser project's globalSetup and by `npm run screenshots`.
 */
export function ensureChromium({
  executablePath = CHROMIUM_PATH,
  installCommand = ['bash', INSTALL_CHROMIUM_SCRIPT],
  log = (line) => console.warn(line),
}: EnsureChromiumOptions = {}): void {
  if (existsSync(executablePath)) return;
  log(
    `browser tests: ${executablePath} is missing; installing Debian's chromium with apt-get (${installCommand.join(' ')})`,
  );
  const [command, ...args] = installCommand;
  const run = spawnSync(command!, args, { stdio: ['ignore', process.stderr, process.stderr] });
  const outcome = run.error
    ? `could not be started (${run.error.message})`
    : run.status === 0
      ? 'succeeded'
      : `failed (${run.signal ? `signal ${run.signal}` : `exit code ${run.status}`})`;
  if (run.status !== 0 || !existsSync(executablePath)) {
    throw new Error(
      `browser tests: Chromium is not at ${executablePath}: the install ${outcome}` +
        (run.status === 0 ? ' but put nothing there' : '') +
        `. Install it as root with 'apt-get install -y chromium', then run the tests again.`,
    );
  }
  log(`browser tests: installed ${executablePath}`);
}
