import { randomBytes, randomUUID } from 'node:crypto';
import type { CommandContext } from '@kpi/command-handling';
import { ConflictError, NotFoundError, type SealedPersonalData } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool, PoolClient } from 'pg';
import { eraseDataSubject, type ErasureContext } from './data-subject-erasure';
import { PersonalDataVault, type VaultDatabase } from './personal-data-vault';
import { PersonalDataIntegrityError } from './vault-crypto';

/**
 * The vault on PostgreSQL: texts sealed per data subject and opened in one query, a subject
 * erased (key destroyed, the erasure in the trail, in one transaction), and a stored ciphertext
 * or key changed behind its back refused, never shown.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
/** The statements the vault sent, counted through a pass-through to the real pool. */
let statements = 0;
const masterKey = randomBytes(32).toString('base64');
beforeAll(async () => {
  database = await createTestDatabase('personal_data');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  const counted: VaultDatabase = {
    query: (text, values) => {
      statements++;
      return pool.query(text, values);
    },
  };
  vault = new PersonalDataVault(counted, masterKey);
});
afterAll(() => database?.drop());

const newTenant = () => `acme-${randomUUID().slice(0, 8)}`;
const erasure = (
  tenantId: string,
  overrides: Partial<Omit<CommandContext, 'store'>> = {},
): ErasureContext => ({
  store,
  pool,
  tenantId,
  actor: 'user:dpo-1',
  correlationId: null,
  commandId: randomUUID(),
  now: new Date('2026-05-11T23:30:00Z'),
  ...overrides,
});
const seal = (tenantId: string, subjectId: string, ...plaintexts: string[]) =>
  vault.seal({ tenantId, subjectId, plaintexts: plaintexts.map((plaintext) => ({ plaintext })) });

describe('the personal-data vault', () => {
  it('seals texts of several subjects and opens all of them in one query', async () => {
    const tenant = newTenant();
    const sealed: SealedPersonalData[] = [];
    for (let n = 1; n <= 20; n++) {
      sealed.push(...(await seal(tenant, `subject-${n}`, `summary ${n}`, `name ${n}`)));
    }
    const before = statements;
    const opened = await vault.open(tenant, sealed);
    expect(statements - before).toBe(1);
    expect(opened.size).toBe(40);
    expect(opened.get(sealed[0]!.ref)).toBe('summary 1');
    expect(opened.get(sealed[39]!.ref)).toBe('name 20');
    const { rows } = await pool.query('SELECT ciphertext FROM personal_data WHERE tenant_id = $1', [
      tenant,
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/summary|name/);
  });

  it('seals a ref once: sealing it again (a retried command) answers what was sealed', async () => {
    const tenant = newTenant();
    const ref = randomUUID();
    const input = { tenantId: tenant, subjectId: 's-1', plaintexts: [{ ref, plaintext: 'text' }] };
    const [first] = await vault.seal(input);
    const [again] = await vault.seal(input);
    expect(again).toEqual(first);
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM personal_data WHERE ref = $1',
      [ref],
    );
    expect(rows[0].n).toBe(1);
  });

  it("opens nothing of another tenant's", async () => {
    const [sealed] = await seal(newTenant(), 's-1', 'text');
    await expect(vault.open(newTenant(), [sealed!])).rejects.toThrow(PersonalDataIntegrityError);
  });

  describe('sealing under a subject made for the record', () => {
    const sealNew = (tenantId: string, subjectId: string, ref: string, plaintext: string) =>
      vault.sealForNewSubject({ tenantId, subjectId, plaintexts: [{ ref, plaintext }] });

    it('makes the key and keeps the texts in one statement; they open as sealed', async () => {
      const tenant = newTenant();
      const subjectId = randomUUID();
      const before = statements;
      const sealed = await vault.sealForNewSubject({
        tenantId: tenant,
        subjectId,
        plaintexts: [{ plaintext: 'Tom was excluded' }, { plaintext: 'second' }],
      });
      expect(statements - before).toBe(1);
      expect(sealed.map((s) => s.subjectId)).toEqual([subjectId, subjectId]);
      const opened = await vault.open(tenant, sealed);
      expect([...opened.values()]).toEqual(['Tom was excluded', 'second']);
    });

    it('answers a retry (the subject has its key) with what was sealed, once', async () => {
      const tenant = newTenant();
      const ref = randomUUID();
      const [first] = await sealNew(tenant, 'amendment-1', ref, 'text');
      const [again] = await sealNew(tenant, 'amendment-1', ref, 'text');
      expect(again).toEqual(first);
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM personal_data WHERE ref = $1',
        [ref],
      );
      expect(rows[0].n).toBe(1);
    });

    it('seals under a subject that has a key already with that key, as seal does', async () => {
      const tenant = newTenant();
      const [earlier] = await seal(tenant, 'ann', 'Ann Jones');
      const [later] = await sealNew(tenant, 'ann', randomUUID(), 'Ann again');
      const opened = await vault.open(tenant, [earlier!, later!]);
      expect([...opened.values()]).toEqual(['Ann Jones', 'Ann again']);
    });

    it('keeps nothing new about an erased subject (409)', async () => {
      const tenant = newTenant();
      await sealNew(tenant, 'ann', randomUUID(), 'Ann Jones');
      await eraseDataSubject(erasure(tenant), { subjectId: 'ann', reason: 'consent-withdrawn' });
      await expect(sealNew(tenant, 'ann', randomUUID(), 'Ann again')).rejects.toThrow(
        ConflictError,
      );
    });
  });

  describe('erasing a data subject', () => {
    it('destroys their key: their texts open as erased on the day (London), others’ still open', async () => {
      const tenant = newTenant();
      const [ann] = await seal(tenant, 'ann', 'Ann Jones');
      const [bob] = await seal(tenant, 'bob', 'Bob Smith');
      const erased = await eraseDataSubject(erasure(tenant), {
        subjectId: 'ann',
        reason: 'consent-withdrawn',
      });
      expect(erased).toEqual({
        streamId: `${tenant}:data-subject:ann`,
        subjectId: 'ann',
        reason: 'consent-withdrawn',
        erasedAt: '2026-05-11T23:30:00.000Z',
        erasedOn: '2026-05-12',
        replayed: false,
      });
      const opened = await vault.open(tenant, [ann!, bob!]);
      expect(opened.get(ann!.ref)).toEqual({ erasedOn: '2026-05-12' });
      expect(opened.get(bob!.ref)).toBe('Bob Smith');
      const { rows } = await pool.query(
        `SELECT wrapped_key, erased_by, erasure_reason FROM data_subject_keys
          WHERE tenant_id = $1 AND subject_id = 'ann'`,
        [tenant],
      );
      expect(rows).toEqual([
        { wrapped_key: null, erased_by: 'user:dpo-1', erasure_reason: 'consent-withdrawn' },
      ]);
    });

    it('records the erasure in the trail, with nothing personal, and the chain verifies', async () => {
      const tenant = newTenant();
      await seal(tenant, 'ann', 'Ann Jones');
      await eraseDataSubject(erasure(tenant), { subjectId: 'ann', reason: 'no-longer-needed' });
      const [event, ...more] = await store.readStream(`${tenant}:data-subject:ann`);
      expect(more).toEqual([]);
      expect(event).toMatchObject({
        type: 'DataSubjectErased',
        data: {
          subjectId: 'ann',
          reason: 'no-longer-needed',
          erasedBy: 'user:dpo-1',
          erasedAt: '2026-05-11T23:30:00.000Z',
        },
        metadata: { tenantId: tenant, actor: 'user:dpo-1' },
      });
      expect(JSON.stringify(event!.data)).not.toContain('Ann');
      expect((await store.verify({ tenantId: tenant })).brokenLinks).toEqual([]);
    });

    it('answers 404 for a subject the tenant keeps nothing about, 409 once erased, and a retry replayed', async () => {
      const tenant = newTenant();
      await seal(tenant, 'ann', 'Ann Jones');
      await expect(
        eraseDataSubject(erasure(newTenant()), { subjectId: 'ann', reason: 'consent-withdrawn' }),
      ).rejects.toThrow(NotFoundError);
      const first = erasure(tenant);
      await eraseDataSubject(first, { subjectId: 'ann', reason: 'consent-withdrawn' });
      await expect(
        eraseDataSubject(erasure(tenant), { subjectId: 'ann', reason: 'consent-withdrawn' }),
      ).rejects.toThrow(new ConflictError('Data subject ann was erased on 2026-05-12'));
      expect(
        await eraseDataSubject(
          { ...first, now: new Date('2026-05-13T09:00:00Z') },
          { subjectId: 'ann', reason: 'consent-withdrawn' },
        ),
      ).toMatchObject({ erasedOn: '2026-05-12', replayed: true });
      expect(await store.readStream(`${tenant}:data-subject:ann`)).toHaveLength(1);
    });

    it('refuses a reason that is not a category (400) and erases nothing', async () => {
      const tenant = newTenant();
      const [ann] = await seal(tenant, 'ann', 'Ann Jones');
      await expect(
        eraseDataSubject(erasure(tenant), {
          subjectId: 'ann',
          reason: 'Ann Jones asked us' as never,
        }),
      ).rejects.toThrow('reason: must be one of');
      expect((await vault.open(tenant, [ann!])).get(ann!.ref)).toBe('Ann Jones');
      expect(await store.readStream(`${tenant}:data-subject:ann`)).toEqual([]);
    });

    it('commits the event and the key’s destruction together: when one fails, neither happens', async () => {
      const tenant = newTenant();
      const [sealed] = await seal(tenant, 'unlucky', 'Ann Jones');
      await pool.query(`
        CREATE FUNCTION refuse_unlucky() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the disk is full'; END $$;
        CREATE TRIGGER refuse_unlucky BEFORE UPDATE ON data_subject_keys FOR EACH ROW
          WHEN (OLD.subject_id = 'unlucky') EXECUTE FUNCTION refuse_unlucky();`);
      try {
        await expect(
          eraseDataSubject(erasure(tenant), { subjectId: 'unlucky', reason: 'consent-withdrawn' }),
        ).rejects.toThrow('the disk is full');
      } finally {
        await pool.query('DROP TRIGGER refuse_unlucky ON data_subject_keys');
      }
      expect(await store.readStream(`${tenant}:data-subject:unlucky`)).toEqual([]);
      expect((await vault.open(tenant, [sealed!])).get(sealed!.ref)).toBe('Ann Jones');
    });

    it('keeps nothing new about an erased subject (409)', async () => {
      const tenant = newTenant();
      await seal(tenant, 'ann', 'Ann Jones');
      await eraseDataSubject(erasure(tenant), { subjectId: 'ann', reason: 'consent-withdrawn' });
      await expect(seal(tenant, 'ann', 'Ann Jones again')).rejects.toThrow(ConflictError);
    });

    it('says which subjects are erased and on which day (London), in one query', async () => {
      const tenant = newTenant();
      await seal(tenant, 'ann', 'Ann Jones');
      await seal(tenant, 'bob', 'Bob Smith');
      await eraseDataSubject(erasure(tenant), { subjectId: 'ann', reason: 'consent-withdrawn' });
      const before = statements;
      const erasures = await vault.erasures(tenant, ['ann', 'bob', 'nobody']);
      expect(statements - before).toBe(1);
      expect(erasures).toEqual(new Map([['ann', '2026-05-12']]));
      expect(await vault.erasures(newTenant(), ['ann'])).toEqual(new Map());
    });

    it('erases what a feature keeps elsewhere in the same transaction: when that fails, nothing is erased', async () => {
      const tenant = newTenant();
      const [sealed] = await seal(tenant, 'ann', 'Ann Jones');
      await pool.query('CREATE TABLE IF NOT EXISTS kept_elsewhere (subject_id text, email text)');
      await pool.query(`INSERT INTO kept_elsewhere VALUES ($1, 'ann@example.org')`, [tenant]);
      const clearEmail = async (tx: PoolClient, context: ErasureContext) => {
        await tx.query(`UPDATE kept_elsewhere SET email = NULL WHERE subject_id = $1`, [
          context.tenantId,
        ]);
      };
      const failing = () => Promise.reject(new Error('the other table is gone'));
      await expect(
        eraseDataSubject(
          { ...erasure(tenant), alsoErase: [clearEmail, failing] },
          { subjectId: 'ann', reason: 'consent-withdrawn' },
        ),
      ).rejects.toThrow('the other table is gone');
      const emailOf = async () =>
        (await pool.query('SELECT email FROM kept_elsewhere WHERE subject_id = $1', [tenant]))
          .rows[0].email as string | null;
      expect(await emailOf()).toBe('ann@example.org');
      expect((await vault.open(tenant, [sealed!])).get(sealed!.ref)).toBe('Ann Jones');
      expect(await store.readStream(`${tenant}:data-subject:ann`)).toEqual([]);

      await eraseDataSubject(
        { ...erasure(tenant), alsoErase: [clearEmail] },
        { subjectId: 'ann', reason: 'consent-withdrawn' },
      );
      expect(await emailOf()).toBeNull();
      expect((await vault.open(tenant, [sealed!])).get(sealed!.ref)).toEqual({
        erasedOn: '2026-05-12',
      });
    });

    it('cannot be undone in the table: an erased key row refuses any change', async () => {
      const tenant = newTenant();
      await seal(tenant, 'ann', 'Ann Jones');
      await eraseDataSubject(erasure(tenant), { subjectId: 'ann', reason: 'consent-withdrawn' });
      await expect(
        pool.query(
          `UPDATE data_subject_keys SET wrapped_key = '\\x00', erased_at = NULL, erased_by = NULL,
                  erasure_reason = NULL WHERE tenant_id = $1`,
          [tenant],
        ),
      ).rejects.toThrow('data subject ann was erased');
    });
  });

  describe('tampering', () => {
    it('refuses a ciphertext changed behind its back, and one its event does not name', async () => {
      const tenant = newTenant();
      const [sealed] = await seal(tenant, 'ann', 'Ann Jones');
      const wrongHash = { ...sealed!, ciphertextHash: '0'.repeat(64) };
      await expect(vault.open(tenant, [wrongHash])).rejects.toThrow(PersonalDataIntegrityError);
      await pool.query(
        `UPDATE personal_data SET ciphertext = set_byte(ciphertext, 0, get_byte(ciphertext, 0) # 1)
          WHERE ref = $1`,
        [sealed!.ref],
      );
      await expect(vault.open(tenant, [sealed!])).rejects.toThrow(PersonalDataIntegrityError);
    });

    it('refuses a wrapped key copied from another subject', async () => {
      const tenant = newTenant();
      const [ann] = await seal(tenant, 'ann', 'Ann Jones');
      await seal(tenant, 'bob', 'Bob Smith');
      await pool.query(
        `UPDATE data_subject_keys SET wrapped_key =
           (SELECT wrapped_key FROM data_subject_keys WHERE tenant_id = $1 AND subject_id = 'bob')
          WHERE tenant_id = $1 AND subject_id = 'ann'`,
        [tenant],
      );
      await expect(vault.open(tenant, [ann!])).rejects.toThrow(PersonalDataIntegrityError);
    });

    it('refuses to open with another master key', async () => {
      const tenant = newTenant();
      const [sealed] = await seal(tenant, 'ann', 'Ann Jones');
      const otherKey = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
      await expect(otherKey.open(tenant, [sealed!])).rejects.toThrow(PersonalDataIntegrityError);
    });
  });
});
