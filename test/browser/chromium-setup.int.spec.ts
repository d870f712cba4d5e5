import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium, INSTALL_CHROMIUM_SCRIPT } from './support/chromium';

// The setup the browser project runs once per `npm test`, with a browser path and an installer
// of the test's own: the machine's Chromium is never removed or installed here.
let directory: string;
let browserPath: string;
let log: string[];
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'chromium-setup-'));
  browserPath = join(directory, 'chromium');
  log = [];
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const ensure = (installCommand: string[]) =>
  ensureChromium({ executablePath: browserPath, installCommand, log: (line) => log.push(line) });

describe('making sure Chromium is there before the browser tests', () => {
  it('installs nothing when the browser is there', () => {
    writeFileSync(browserPath, '');
    ensure(['bash', '-c', 'exit 1']);
    expect(log).toEqual([]);
  });

  it('runs the installer when the browser is missing, saying so', () => {
    ensure(['bash', '-c', `touch '${browserPath}'`]);
    expect(existsSync(browserPath)).toBe(true);
    expect(log).toEqual([
      `browser tests: ${browserPath} is missing; installing Debian's chromium with apt-get (bash -c touch '${browserPath}')`,
      `browser tests: installed ${browserPath}`,
    ]);
  });

  it('fails with what to do when the installer fails', () => {
    expect(() => ensure(['bash', '-c', 'exit 100'])).toThrow(
      `browser tests: Chromium is not at ${browserPath}: the install failed (exit code 100). Install it as root with 'apt-get install -y chromium', then run the tests again.`,
    );
  });

  it('fails when the installer succeeds but puts no browser there', () => {
    expect(() => ensure(['bash', '-c', 'true'])).toThrow(
      /the install succeeded but put nothing there\. Install it as root with 'apt-get install -y chromium'/,
    );
  });

  it('fails when the installer cannot be started', () => {
    expect(() => ensure([join(directory, 'no-such-installer')])).toThrow(
      /the install could not be started \(spawnSync .*no-such-installer ENOENT\)/,
    );
  });
});

describe('install-chromium.sh', () => {
  /** Runs the script as root with PATH holding only a fake apt-get (when given) and `id`. */
  function runScript(fakeAptGet?: string) {
    const bin = join(directory, 'bin');
    spawnSync('mkdir', [bin]);
    symlinkSync('/usr/bin/id', join(bin, 'id'));
    if (fakeAptGet) {
      writeFileSync(join(bin, 'apt-get'), `#!/bin/bash\n${fakeAptGet}\n`);
      chmodSync(join(bin, 'apt-get'), 0o755);
    }
    return spawnSync('/bin/bash', [INSTALL_CHROMIUM_SCRIPT], {
      env: { PATH: bin, CALLS: join(directory, 'calls') },
      encoding: 'utf8',
    });
  }
  const calls = () => readFileSync(join(directory, 'calls'), 'utf8').trim().split('\n');

  it('installs chromium non-interactively with the package lists the machine has', () => {
    const run = runScript('echo "$DEBIAN_FRONTEND $*" >> "$CALLS"');
    expect(run.status).toBe(0);
    expect(calls()).toEqual(['noninteractive install -y -q chromium']);
  });

  it('refreshes the package lists once and tries again when the first install fails', () => {
    const run = runScript(
      [
        'echo "$*" >> "$CALLS"',
        // Only the first install fails (a fresh image: no package lists yet).
        'if [ "$1" = install ] && [ ! -e "$CALLS.failed" ]; then : > "$CALLS.failed"; exit 100; fi',
      ].join('\n'),
    );
    expect(run.status).toBe(0);
    expect(calls()).toEqual(['install -y -q chromium', 'update -q', 'install -y -q chromium']);
    expect(run.stderr).toContain('install-chromium: install failed; refreshing the package lists');
  });

  it('fails when the second install fails too', () => {
    const run = runScript('echo "$*" >> "$CALLS"; [ "$1" = install ] && exit 100; exit 0');
    expect(run.status).toBe(100);
    expect(calls()).toEqual(['install -y -q chromium', 'update -q', 'install -y -q chromium']);
  });

  it('says so on a machine without apt-get', () => {
    const run = runScript();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'install-chromium: apt-get not found: this is not a Debian-like machine; install Chromium at /usr/bin/chromium by hand',
    );
  });
});
