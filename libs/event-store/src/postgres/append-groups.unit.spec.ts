import { AppendGroups } from './append-groups';

interface Item {
  stream: string;
  n: number;
}

/** A database stand-in whose answers the test releases by hand, recording what was sent how. */
function recordingGroups(
  options: { maxInFlight?: number; refuseGroups?: boolean; sizedByN?: boolean } = {},
) {
  const sent: string[][] = [];
  const pending: (() => void)[] = [];
  const later = <T>(value: () => T) =>
    new Promise<T>((resolve, reject) =>
      pending.push(() => {
        try {
          resolve(value());
        } catch (error) {
          reject(error as Error);
        }
      }),
    );
  const answer = (item: Item) => {
    if (item.n < 0) throw new Error(`refused ${item.stream}`);
    return `${item.stream}#${item.n}`;
  };
  const groups = new AppendGroups<Item, string>({
    maxInFlight: options.maxInFlight ?? 1,
    maxGroup: 3,
    ...(options.sizedByN ? { sizeOf: (item: Item) => item.n } : {}),
    keyOf: (item) => item.stream,
    sendOne: (item) => {
      sent.push([item.stream]);
      return later(() => answer(item));
    },
    sendGroup: (items) => {
      sent.push(items.map((i) => i.stream));
      return later(() => (options.refuseGroups ? null : items.map(answer)));
    },
  });
  /** Answers everything sent so far, and what that lets go, until nothing is waiting. */
  const settle = async () => {
    while (pending.length > 0) {
      pending.splice(0).forEach((release) => release());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { groups, sent, settle };
}

describe('AppendGroups (group commit)', () => {
  it('sends an append alone and at once when nothing is on its way', async () => {
    const { groups, sent, settle } = recordingGroups();
    const result = groups.submit({ stream: 'a', n: 1 });
    expect(sent).toEqual([['a']]);
    await settle();
    await expect(result).resolves.toBe('a#1');
  });

  it('groups what arrives meanwhile, never one stream twice in a group, in arrival order', async () => {
    const { groups, sent, settle } = recordingGroups();
    const results = [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['b', 4],
      ['d', 5],
      ['e', 6],
    ].map(([stream, n]) => groups.submit({ stream: stream as string, n: n as number }));
    await settle();
    expect(await Promise.all(results)).toEqual(['a#1', 'b#2', 'c#3', 'b#4', 'd#5', 'e#6']);
    // a alone; then at most 3 (maxGroup) of one stream each; the second b waits its turn.
    expect(sent).toEqual([['a'], ['b', 'c', 'd'], ['b', 'e']]);
  });

  it('fills a group up to maxGroup by size, passing over what does not fit; a larger item goes alone', async () => {
    const { groups, sent, settle } = recordingGroups({ sizedByN: true });
    const results = [
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 1],
      ['e', 5],
    ].map(([stream, n]) => groups.submit({ stream: stream as string, n: n as number }));
    await settle();
    expect(await Promise.all(results)).toEqual(['a#1', 'b#2', 'c#2', 'd#1', 'e#5']);
    // maxGroup 3: b (2) and d (1) fill one; c (2) cannot take e (5), which goes by itself.
    expect(sent).toEqual([['a'], ['b', 'd'], ['c'], ['e']]);
  });

  it('never lets a later append to a stream pass one that did not fit', async () => {
    const { groups, sent, settle } = recordingGroups({ sizedByN: true });
    const results = [
      ['x', 1],
      ['b', 2],
      ['a', 2],
      ['a', 1],
    ].map(([stream, n]) => groups.submit({ stream: stream as string, n: n as number }));
    await settle();
    expect(await Promise.all(results)).toEqual(['x#1', 'b#2', 'a#2', 'a#1']);
    // a (2) does not fit beside b (2); the second a (1) would, but waits behind the first.
    expect(sent).toEqual([['x'], ['b'], ['a'], ['a']]);
  });

  it('keeps maxInFlight groups on their way at once', () => {
    const { groups, sent } = recordingGroups({ maxInFlight: 2 });
    for (const stream of ['a', 'b', 'c', 'd']) void groups.submit({ stream, n: 1 });
    expect(sent).toEqual([['a'], ['b']]);
  });

  it('holds an append back while one to the same stream is on its way, whatever slots are free', async () => {
    const { groups, sent, settle } = recordingGroups({ maxInFlight: 3 });
    const results = [
      ['a', 1],
      ['a', 2],
      ['b', 3],
    ].map(([stream, n]) => groups.submit({ stream: stream as string, n: n as number }));
    expect(sent).toEqual([['a'], ['b']]);
    await settle();
    expect(await Promise.all(results)).toEqual(['a#1', 'a#2', 'b#3']);
    expect(sent).toEqual([['a'], ['b'], ['a']]);
  });

  it('sends each alone when a group is refused, so each caller gets its own answer or error', async () => {
    const { groups, sent, settle } = recordingGroups({ refuseGroups: true });
    const first = groups.submit({ stream: 'a', n: 1 });
    const ok = groups.submit({ stream: 'b', n: 2 });
    const bad = groups.submit({ stream: 'c', n: -1 });
    const caught = bad.catch((error: Error) => error.message);
    await settle();
    await expect(first).resolves.toBe('a#1');
    await expect(ok).resolves.toBe('b#2');
    expect(await caught).toBe('refused c');
    expect(sent).toEqual([['a'], ['b', 'c'], ['b'], ['c']]);
  });
});
