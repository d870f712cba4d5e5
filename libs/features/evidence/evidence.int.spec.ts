import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  type EvidenceTarget,
  type ServiceRegistered,
} from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { logComplaint } from '@kpi/features/complaints';
import { eraseDataSubject, PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, type TestDatabase } from '@kpi/testing';
import type { CommandContext } from '@kpi/command-handling';
import type { Pool } from 'pg';
import { UploadedFile, type AttachEvidenceInput } from './evidence.commands';
import { EvidenceFiles, EvidenceIntegrityError } from './evidence-files';
import { EvidenceErasedError, listEvidence, readEvidenceFile } from './evidence.query';
import { attachEvidence, detachEvidence } from './evidence.use-cases';

/**
 * Evidence on real PostgreSQL: files naming nobody stored once per tenant and hash, downloads
 * checked against the hash in the event, personal files encrypted under their data subject's
 * key so an erasure makes them unreadable while every chain still verifies.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('evidence');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database?.drop());

const NOW = new Date('2026-04-24T16:00:00Z');
const PDF = Buffer.from('%PDF-1.7\nThe home’s fire drill log, March 2026.\n%%EOF\n', 'utf8');

const tyGwyn: ServiceRegistered = {
  type: 'ServiceRegistered',
  data: {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
    registeredBy: 'user:admin',
    registeredAt: '2024-03-01T09:00:00.000Z',
  },
};

/** A tenant of its own with its service and two complaints. */
async function tenantWithComplaints() {
  const tenantId = `ev-${randomUUID().slice(0, 8)}`;
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    store,
    tenantId,
    actor: 'user:mgr-1',
    correlationId: null,
    commandId: randomUUID(),
    now: NOW,
    ...overrides,
  });
  await store.append(
    `${tenantId}:service:ty-gwyn`,
    [
      {
        eventId: randomUUID(),
        type: tyGwyn.type,
        data: tyGwyn.data,
        metadata: {
          tenantId,
          actor: 'user:set-up',
          correlationId: null,
          causationId: null,
          commandId: null,
        },
      },
    ],
    'no-stream',
  );
  const complaints: Record<string, string> = {};
  for (const complaintId of ['cmp-1', 'cmp-2']) {
    const logged = await logComplaint(context(), vault, {
      complaintId: id(complaintId),
      serviceId: id('ty-gwyn'),
      receivedOn: '2026-04-02',
      category: 'communication',
      summary: 'Not told that the placement plan had changed.',
      complainant: { relationship: 'parent', name: 'Ceri Jones' },
    });
    complaints[complaintId] = logged.dataSubjectId;
  }
  return { tenantId, context, complainantOf: complaints };
}

const complaint = (complaintId: string): EvidenceTarget => ({ kind: 'complaint', complaintId });

function uploaded(bytes: Buffer, type = 'application/pdf'): UploadedFile {
  const file = UploadedFile.judge(bytes, type, 10 * 1024 * 1024);
  if (!(file instanceof UploadedFile)) throw new Error(file.reason);
  return file;
}

const stores = () => ({ vault, files: new EvidenceFiles(pool) });
const attach = (context: CommandContext, input: AttachEvidenceInput) =>
  attachEvidence(context, stores(), input);
const reading = () => ({ store, vault, now: NOW, clock: () => NOW });

describe('evidence files that name nobody', () => {
  it('are stored once per tenant and hash, however many records they are attached to', async () => {
    const { tenantId, context } = await tenantWithComplaints();
    const file = uploaded(PDF);
    const first = await attach(context(), { attachedTo: complaint('cmp-1'), file });
    const second = await attach(context(), {
      attachedTo: complaint('cmp-2'),
      file,
      fileName: 'drill-log.pdf',
    });
    expect(first.sha256).toBe(second.sha256);
    const { rows } = await pool.query(
      `SELECT size FROM evidence_files WHERE tenant_id = $1 AND sha256 = $2`,
      [tenantId, file.sha256],
    );
    expect(rows).toEqual([{ size: PDF.length }]);
    const [event] = await store.readStream(`${tenantId}:evidence:complaint:cmp-2`);
    expect(event).toMatchObject({
      type: 'EvidenceAttached',
      data: {
        evidenceId: second.evidenceId,
        attachedTo: { kind: 'complaint', complaintId: 'cmp-2' },
        sha256: file.sha256,
        size: PDF.length,
        mediaType: 'application/pdf',
        fileName: 'drill-log.pdf',
        personalData: null,
        attachedBy: 'user:mgr-1',
      },
    });
  });

  it('are listed, downloaded with the bytes attached, and detached (then neither)', async () => {
    const { tenantId, context } = await tenantWithComplaints();
    const attached = await attach(context(), {
      attachedTo: complaint('cmp-1'),
      file: uploaded(PDF),
      fileName: 'drill-log.pdf',
    });
    const list = await listEvidence(pool, tenantId, { attachedTo: complaint('cmp-1') }, reading());
    expect(list.files).toEqual([
      expect.objectContaining({
        evidenceId: attached.evidenceId,
        fileName: 'drill-log.pdf',
        personalData: null,
      }),
    ]);
    const download = await readEvidenceFile(
      pool,
      tenantId,
      { attachedTo: complaint('cmp-1'), evidenceId: attached.evidenceId },
      reading(),
    );
    expect(download.bytes.equals(PDF)).toBe(true);

    await detachEvidence(context(), {
      attachedTo: complaint('cmp-1'),
      evidenceId: id(attached.evidenceId),
    });
    expect(
      (await listEvidence(pool, tenantId, { attachedTo: complaint('cmp-1') }, reading())).files,
    ).toEqual([]);
    await expect(
      readEvidenceFile(
        pool,
        tenantId,
        { attachedTo: complaint('cmp-1'), evidenceId: attached.evidenceId },
        reading(),
      ),
    ).rejects.toThrow(NotFoundError);
  });

  it('are not served when the stored bytes no longer match the hash in the event', async () => {
    const { tenantId, context } = await tenantWithComplaints();
    const attached = await attach(context(), {
      attachedTo: complaint('cmp-1'),
      file: uploaded(PDF),
    });
    // Behind the trigger's back, as someone with the database's superuser could.
    const client = await pool.connect();
    try {
      await client.query(`SET session_replication_role = replica`);
      await client.query(
        `UPDATE evidence_files SET content = $3::bytea, size = octet_length($3::bytea)
          WHERE tenant_id = $1 AND sha256 = $2`,
        [tenantId, attached.sha256, Buffer.from('%PDF-1.7\nA forged drill log.\n%%EOF\n')],
      );
    } finally {
      await client.query(`RESET session_replication_role`);
      client.release();
    }
    await expect(
      readEvidenceFile(
        pool,
        tenantId,
        { attachedTo: complaint('cmp-1'), evidenceId: attached.evidenceId },
        reading(),
      ),
    ).rejects.toThrow(EvidenceIntegrityError);
  });

  it('cannot be changed or deleted in place (a trigger)', async () => {
    const { tenantId, context } = await tenantWithComplaints();
    await attach(context(), { attachedTo: complaint('cmp-1'), file: uploaded(PDF) });
    await expect(
      pool.query(`DELETE FROM evidence_files WHERE tenant_id = $1`, [tenantId]),
    ).rejects.toThrow(/content-addressed/);
  });

  it('refuses a file for a complaint the tenant does not have, storing nothing', async () => {
    const { tenantId, context } = await tenantWithComplaints();
    const file = uploaded(Buffer.from('%PDF-1.7\nnever stored\n'));
    await expect(attach(context(), { attachedTo: complaint('cmp-9'), file })).rejects.toThrow(
      NotFoundError,
    );
    await expect(
      attach(context(), { attachedTo: complaint('cmp-1'), file, fileName: 'a/b.pdf' }),
    ).rejects.toThrow(/fileName/);
    const { rows } = await pool.query(`SELECT 1 FROM evidence_files WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(rows).toEqual([]);
  });

  it('attaches once when the same command is retried', async () => {
    const { tenantId, context } = await tenantWithComplaints();
    const retried = context();
    const input = { attachedTo: complaint('cmp-1'), file: uploaded(PDF) };
    const first = await attach(retried, input);
    const again = await attach(retried, input);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await store.readStream(`${tenantId}:evidence:complaint:cmp-1`)).toHaveLength(1);
    await expect(attach(context(), input)).rejects.toThrow(ConflictError);
  });
});

describe('evidence files holding personal data', () => {
  it('are encrypted under the complainant’s key by default, kept nowhere in the clear', async () => {
    const { tenantId, context, complainantOf } = await tenantWithComplaints();
    const attached = await attach(context(), {
      attachedTo: complaint('cmp-1'),
      file: uploaded(PDF),
      fileName: 'Ceri Jones – letter.pdf',
      personalData: {},
    });
    expect(attached.dataSubjectId).toBe(complainantOf['cmp-1']);
    const { rows } = await pool.query(`SELECT 1 FROM evidence_files WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(rows).toEqual([]);
    const [event] = await store.readStream(`${tenantId}:evidence:complaint:cmp-1`);
    expect(JSON.stringify(event!.data)).not.toContain('Ceri');
    const download = await readEvidenceFile(
      pool,
      tenantId,
      { attachedTo: complaint('cmp-1'), evidenceId: attached.evidenceId },
      reading(),
    );
    expect(download.bytes.equals(PDF)).toBe(true);
    expect(download.item.fileName).toBe('Ceri Jones – letter.pdf');
  });

  it('become unreadable when their subject is erased, while the trail still verifies', async () => {
    const { tenantId, context, complainantOf } = await tenantWithComplaints();
    const attached = await attach(context(), {
      attachedTo: complaint('cmp-1'),
      file: uploaded(PDF),
      fileName: 'Ceri Jones – letter.pdf',
      personalData: { subjectId: complainantOf['cmp-1'] },
    });
    const other = await attach(context(), {
      attachedTo: complaint('cmp-2'),
      file: uploaded(PDF),
      personalData: {},
    });
    await eraseDataSubject(
      { ...context({ actor: 'user:dpo', now: new Date('2026-05-01T10:00:00Z') }), store, pool },
      { subjectId: complainantOf['cmp-1']!, reason: 'consent-withdrawn' },
    );

    const target = complaint('cmp-1');
    await expect(
      readEvidenceFile(
        pool,
        tenantId,
        { attachedTo: target, evidenceId: attached.evidenceId },
        reading(),
      ),
    ).rejects.toThrow(EvidenceErasedError);
    const list = await listEvidence(pool, tenantId, { attachedTo: target }, reading());
    expect(list.files).toEqual([
      expect.objectContaining({
        sha256: attached.sha256,
        fileName: { erasedOn: '2026-05-01' },
        personalData: { dataSubjectId: complainantOf['cmp-1'], erasedOn: '2026-05-01' },
      }),
    ]);
    // The other complainant's copy of the same bytes is theirs, and still opens.
    const theirs = await readEvidenceFile(
      pool,
      tenantId,
      { attachedTo: complaint('cmp-2'), evidenceId: other.evidenceId },
      reading(),
    );
    expect(theirs.bytes.equals(PDF)).toBe(true);
    expect((await store.verify({ tenantId })).brokenLinks).toEqual([]);
    // Nothing new is kept about an erased subject.
    await expect(
      attach(context(), {
        attachedTo: target,
        file: uploaded(Buffer.from('%PDF-1.7\nanother\n')),
        personalData: {},
      }),
    ).rejects.toThrow(ConflictError);
  });

  it('are kept once for the same subject and bytes', async () => {
    const { tenantId, context } = await tenantWithComplaints();
    const subjectId = 'staff-0042';
    const review = (reviewId: string): EvidenceTarget => ({ kind: 'capability-review', reviewId });
    const a = await attach(context(), {
      attachedTo: review('rv-1'),
      file: uploaded(PDF),
      personalData: { subjectId },
    });
    const b = await attach(context(), {
      attachedTo: review('rv-2'),
      file: uploaded(PDF),
      personalData: { subjectId },
    });
    expect([a.dataSubjectId, b.dataSubjectId]).toEqual([subjectId, subjectId]);
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM personal_data WHERE tenant_id = $1 AND subject_id = $2`,
      [tenantId, subjectId],
    );
    expect(rows).toEqual([{ n: 1 }]);
  });
});
