import { PassThrough } from 'node:stream';
import type { Options, Params } from 'cli-progress';
import { progressBar, progressLine } from './progress-bar';

/** The options as cli-progress hands them to a formatter (its bars pre-rendered). */
const options = {
  barsize: 10,
  barCompleteString: '='.repeat(11),
  barIncompleteString: '-'.repeat(11),
  barGlue: '',
  autopaddingChar: '',
} as unknown as Options;

const render = (eta: unknown, value: number, total: number) =>
  progressLine('Verifying', 'events')(
    options,
    {
      progress: total === 0 ? 1 : value / total,
      eta: eta as number,
      startTime: Date.now() - 5_000,
      stopTime: null,
      total,
      value,
      maxWidth: 200,
    } satisfies Params,
    {},
  );

describe('the progress line', () => {
  it.each([
    ['cannot be computed (cli-progress says INF)', 'INF', 0, 100],
    ['has no samples (NULL)', 'NULL', 0, 0],
    ['is not a number', Number.NaN, 3, 100],
    ['is infinite', Number.POSITIVE_INFINITY, 3, 100],
    ['has not been computed yet (the initial "0")', '0', 0, 100],
  ])('shows no time left when the ETA %s', (_label, eta, value, total) => {
    const line = render(eta, value, total);
    expect(line).toContain(`${value}/${total} events`);
    expect(line).not.toMatch(/left|NF|LL|NaN|Infinity/);
  });

  it('shows the time left while there is work and an ETA', () => {
    expect(render(125, 40, 100)).toMatch(/40\/100 events \| 2m5s left$/);
  });

  it('shows no time left once finished', () => {
    expect(render(0, 100, 100)).not.toContain('left');
  });
});

describe('the progress bar in a terminal', () => {
  /** What the bar writes for these updates and a stop, escape sequences removed. */
  function drawn(updates: [done: number, total: number][]): string {
    const written: string[] = [];
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    terminal.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const bar = progressBar('Rebuilding', 'events', terminal);
    for (const [done, total] of updates) bar.update(done, total);
    bar.stop();
    // eslint-disable-next-line no-control-regex
    return written.join('').replace(/\x1B\[[0-9;?]*[A-Za-z]|\x1B[78]/g, '');
  }

  it.each([
    ['nothing to do', [[0, 0]]],
    ['no progress yet', [[0, 500]]],
    [
      'a total that arrives late',
      [
        [0, 0],
        [0, 500],
      ],
    ],
    [
      'the same count twice',
      [
        [0, 500],
        [0, 500],
      ],
    ],
    ['progress made in no time', [[5, 500]]],
  ] as [string, [number, number][]][])('never writes NFs or LLs (%s)', (_label, updates) => {
    const output = drawn(updates);
    const [done, total] = updates[updates.length - 1]!;
    expect(output).toContain(`${done}/${total} events`);
    expect(output).not.toMatch(/NF|LL|NaN|Infinity|left/);
  });
});
