/**
 * A reproducible random sample: `size` members of `population` drawn with a pseudo-random
 * sequence seeded by `seed` (FNV-1a of the seed, then mulberry32), by a partial Fisher–Yates
 * shuffle of the population sorted. The same population, size and seed always give the same
 * sample, so a random draw kept with its seed can be drawn again by anyone.
 */
export function seededSample(population: readonly string[], size: number, seed: string): string[] {
  const pool = [...population].sort();
  const next = mulberry32(fnv1a(seed));
  const count = Math.min(size, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
