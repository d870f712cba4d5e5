export interface WaitForOptions {
  /** What is being waited for, used in the timeout message. */
  description: string;
  timeoutMs?: number;
  /** How often the condition is checked. */
  intervalMs?: number;
}

/**
 * Waits until `check` returns a value other than `undefined`, `null` or `false`, and returns it.
 * This is how tests wait for a projection to catch up or a job to complete: on the condition,
 * never on a fixed sleep. Fails with the description and the last value seen on timeout.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { description, timeoutMs = 30_000, intervalMs = 20 }: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    last = value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${description} (last: ${String(last)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
