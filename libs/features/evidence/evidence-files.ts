import { createHash } from 'node:crypto';
import type { Queryable } from '@kpi/projections';

/** A stored file whose bytes are not the ones its event names (changed, or another file). */
export class EvidenceIntegrityError extends Error {
  constructor(what: string) {
    super(`${what} does not match the SHA-256 its event holds: it was changed or replaced`);
    this.name = 'EvidenceIntegrityError';
  }
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The bytes of evidence files that name nobody, content-addressed in PostgreSQL
 * (`evidence_files`, migration 0011; docs/decisions/0040): one row per tenant and SHA-256, so a
 * file attached to many records is stored once. Rows are never changed or deleted (a trigger).
 */
export class EvidenceFiles {
  constructor(private readonly db: Queryable) {}

  /** Stores the bytes under their hash; bytes stored before under it are left as they are. */
  async store(tenantId: string, sha256: string, bytes: Buffer): Promise<void> {
    await this.db.query(
      `INSERT INTO evidence_files (tenant_id, sha256, size, content) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, sha256) DO NOTHING`,
      [tenantId, sha256, bytes.length, bytes],
    );
  }

  /** The bytes stored under `sha256`, checked to hash to it; a missing or changed file is refused. */
  async read(tenantId: string, sha256: string): Promise<Buffer> {
    const { rows } = await this.db.query<{ content: Buffer }>(
      `SELECT content FROM evidence_files WHERE tenant_id = $1 AND sha256 = $2`,
      [tenantId, sha256],
    );
    const content = rows[0]?.content;
    if (!content || sha256Of(content) !== sha256) {
      throw new EvidenceIntegrityError(`Evidence file ${sha256}`);
    }
    return content;
  }
}
