import { Redis } from 'ioredis';

/**
 * Deletes every Redis key under a BullMQ prefix of a test's own (`<prefix>:…`), so a test leaves
 * nothing behind — not even the `meta` key a queue or worker writes when it starts.
 */
export async function deleteRedisKeys(
  prefix: string,
  redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
): Promise<number> {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(prefix) || prefix === 'kpi' || prefix === 'bull') {
    throw new Error(`Refusing to delete the keys of prefix "${prefix}": not a test's own`);
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) deleted += await redis.del(...(keys as string[]));
    }
    return deleted;
  } finally {
    redis.disconnect();
  }
}
