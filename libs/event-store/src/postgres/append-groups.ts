/**
 * Group commit for appends: an append that arrives while `maxInFlight` groups are already on
 * their way to the database waits, and goes with the others that arrived meanwhile, as one
 * statement and one transaction. Alone on a quiet store, an append goes at once, by itself: no
 * timer, no added wait. Under load (many commands at once) the database does one statement, one
 * commit and one WAL flush for a group instead of one each (docs/decisions/0044).
 *
 * Items with the same key (stream) never share a group, nor go while one of theirs is on its way:
 * the later waits for the earlier's answer, so appends to one stream go in arrival order. When a
 * group is refused or fails (`sendGroup` answers null or throws) each of its items is sent
 * alone, so each caller gets exactly the answer or error it would have had by itself.
 */
export interface AppendGroupsOptions<Item, Result> {
  /** Groups on their way at once (a pool serves more than one). */
  maxInFlight: number;
  /** Most a group holds, in {@link sizeOf}'s units (an item larger than this goes alone). */
  maxGroup: number;
  /** How much of `maxGroup` an item takes (events, say); 1 when not given. */
  sizeOf?(item: Item): number;
  keyOf(item: Item): string;
  sendOne(item: Item): Promise<Result>;
  /** Results in the items' order, or null: send each alone. */
  sendGroup(items: readonly Item[]): Promise<Result[] | null>;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class AppendGroups<Item, Result> {
  private waiting: Waiting<Item, Result>[] = [];
  private inFlight = 0;
  private readonly keysInFlight = new Set<string>();

  constructor(private readonly options: AppendGroupsOptions<Item, Result>) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.sendWhatCanGo();
    });
  }

  private sendWhatCanGo(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const group = this.takeGroup();
      if (group.length === 0) return; // all that waits is behind an append on its way
      const keys = group.map((waiting) => this.options.keyOf(waiting.item));
      keys.forEach((key) => this.keysInFlight.add(key));
      this.inFlight += 1;
      void this.send(group).finally(() => {
        keys.forEach((key) => this.keysInFlight.delete(key));
        this.inFlight -= 1;
        this.sendWhatCanGo();
      });
    }
  }

  /**
   * The longest waiting items, one per key and none of a key on its way, while they fit in
   * maxGroup (the first always does); the rest keep their places.
   */
  private takeGroup(): Waiting<Item, Result>[] {
    const group: Waiting<Item, Result>[] = [];
    const rest: Waiting<Item, Result>[] = [];
    const keys = new Set<string>();
    let size = 0;
    for (const waiting of this.waiting) {
      const key = this.options.keyOf(waiting.item);
      const itemSize = this.options.sizeOf?.(waiting.item) ?? 1;
      const free = !keys.has(key) && !this.keysInFlight.has(key);
      keys.add(key); // a later item of the key waits behind this one, whether this one goes or not
      if (free && (group.length === 0 || size + itemSize <= this.options.maxGroup)) {
        size += itemSize;
        group.push(waiting);
      } else {
        rest.push(waiting);
      }
    }
    this.waiting = rest;
    return group;
  }

  private async send(group: readonly Waiting<Item, Result>[]): Promise<void> {
    if (group.length > 1) {
      const results = await this.options.sendGroup(group.map((w) => w.item)).catch(() => null);
      if (results) {
        group.forEach((waiting, i) => waiting.resolve(results[i]!));
        return;
      }
    }
    await Promise.all(
      group.map((waiting) =>
        this.options.sendOne(waiting.item).then(waiting.resolve, waiting.reject),
      ),
    );
  }
}
