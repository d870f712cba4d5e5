import { randomBytes, randomUUID } from 'node:crypto';
import { entityId, type CommandContext } from '@kpi/command-handling';
import {
  ConflictError,
  NotFoundError,
  parseFinancialQuarter,
  streamIds,
  type CarePackageRegistered,
} from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import {
  acceptCarePackage,
  establishCareFramework,
  registerCarePackage,
} from '@kpi/features/call-off';
import { registerOrganisation } from '@kpi/features/organisation';
import { PersonalDataVault } from '@kpi/personal-data';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { providerNotificationsProjection } from './provider-notices.projection';
import {
  listHandBackNotices,
  listProviderNotifications,
  readProviderNotificationCounts,
} from './provider-notices.query';
import {
  acknowledgeProviderNotification,
  giveHandBackNotice,
  logProviderNotification,
} from './provider-notices.use-cases';

/**
 * Providers' notifications to the council and hand-back notices on real PostgreSQL (the texts
 * sealed in the vault; the read model kept by its projection): only the provider a package is
 * placed with notifies about it, the council acknowledges, counts come per provider per
 * quarter, and a package given notice on stays the provider's for seven days.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('provider_notifications');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
  await ensureProjectionReady(pool, store, providerNotificationsProjection);
});
afterAll(() => database?.drop());

/** Tuesday 3 March 2026, 10:00 London. */
const MORNING = new Date('2026-03-03T10:00:00Z');
const Q4 = parseFinancialQuarter('2025-26 Q4');

const context = (tenantId: string, now = MORNING): CommandContext => ({
  store,
  tenantId,
  actor: 'user:test',
  correlationId: null,
  commandId: randomUUID(),
  now,
});

/** A council with a framework of two providers and a package placed with its first refusal. */
async function placedPackage() {
  const id = randomUUID().slice(0, 8);
  const council = `council-${id}`;
  const providers = [`care-a-${id}`, `care-b-${id}`];
  await registerOrganisation(context(council), { name: 'Council', kind: 'council' });
  for (const provider of providers) {
    await registerOrganisation(context(provider), { name: provider, kind: 'provider' });
  }
  await establishCareFramework(context(council), {
    frameworkId: entityId('home-care', 'frameworkId'),
    name: 'Care at home',
    contractStartDate: '2026-01-01',
    providers,
  });
  await registerCarePackage(context(council), {
    frameworkId: entityId('home-care', 'frameworkId'),
    packageId: entityId('pkg-1', 'packageId'),
    hoursPerWeek: 14,
    outcomes: 'Support with personal care mornings and evenings',
    startDate: '2026-03-10',
    urgent: false,
  });
  const [registered] = await store.readStream(streamIds.carePackage(council, 'pkg-1'));
  const { firstRefusal } = (registered!.data as CarePackageRegistered['data']).rotation;
  await acceptCarePackage(context(firstRefusal), {
    councilId: entityId(council, 'councilId'),
    packageId: entityId('pkg-1', 'packageId'),
  });
  const other = providers.find((p) => p !== firstRefusal)!;
  return { council, holder: firstRefusal, other };
}

const notification = (council: string) => ({
  councilId: entityId(council, 'councilId'),
  packageId: entityId('pkg-1', 'packageId'),
  kind: 'hospital-admission' as const,
  occurredAt: '2026-03-03T08:15:00Z',
  serviceUser: 'Rhys, 9',
  details: 'Admitted after a fall; the evening call is suspended until discharge.',
});

/** The read model past every event: one catchUp can stop short of a transaction still open. */
async function caughtUp(): Promise<void> {
  await waitFor(
    async () => {
      await new ProjectionRunner(pool, store, providerNotificationsProjection).catchUp();
      const checkpoint = await loadCheckpoint(
        pool,
        checkpointNameOf(providerNotificationsProjection.name),
      );
      return (await store.countEventsAfter(checkpoint)) === 0;
    },
    { description: 'rm_provider_notifications caught up' },
  );
}

describe('a provider’s notification', () => {
  it('is logged by the provider holding the package, its texts sealed, on time', async () => {
    const { council, holder } = await placedPackage();
    const logged = await logProviderNotification(context(holder), vault, notification(council));
    expect(logged).toMatchObject({
      kind: 'hospital-admission',
      notifiedAt: MORNING.toISOString(),
      dueBy: '2026-03-05T00:00:00.000Z',
      late: false,
    });
    const [event] = await store.readStream(logged.streamId);
    expect(event!.metadata).toMatchObject({ tenantId: council, actor: `user:test@${holder}` });
    expect(JSON.stringify(event!.data)).not.toMatch(/Rhys|fall/);
    const opened = await vault.open(council, [(event!.data as { details: never }).details]);
    expect([...opened.values()]).toEqual([
      'Admitted after a fall; the evening call is suspended until discharge.',
    ]);
  });

  it('is refused to another provider on the framework (409) and to anyone else (404)', async () => {
    const { council, other } = await placedPackage();
    await expect(
      logProviderNotification(context(other), vault, notification(council)),
    ).rejects.toThrow(ConflictError);
    await expect(
      logProviderNotification(
        context(`stranger-${randomUUID().slice(0, 6)}`),
        vault,
        notification(council),
      ),
    ).rejects.toThrow(NotFoundError);
    await expect(
      logProviderNotification(context(council), vault, notification(council)),
    ).rejects.toThrow(NotFoundError);
  });

  it('is acknowledged by the council once, and counted per provider in its quarter', async () => {
    const { council, holder } = await placedPackage();
    const onTime = await logProviderNotification(context(holder), vault, notification(council));
    await logProviderNotification(context(holder, new Date('2026-03-06T10:00:00Z')), vault, {
      ...notification(council),
      kind: 'missed-call',
      occurredAt: '2026-03-04T07:30:00Z',
    });
    await acknowledgeProviderNotification(context(council), {
      councilId: entityId(council, 'councilId'),
      notificationId: entityId(onTime.notificationId, 'notificationId'),
    });
    await expect(
      acknowledgeProviderNotification(context(council), {
        councilId: entityId(council, 'councilId'),
        notificationId: entityId(onTime.notificationId, 'notificationId'),
      }),
    ).rejects.toThrow(ConflictError);
    await expect(
      acknowledgeProviderNotification(context(holder), {
        councilId: entityId(council, 'councilId'),
        notificationId: entityId(onTime.notificationId, 'notificationId'),
      }),
    ).rejects.toThrow(NotFoundError);

    await caughtUp();
    const counts = await readProviderNotificationCounts(pool, council, {
      councilId: council,
      quarter: Q4,
    });
    expect(counts.providers).toEqual([
      {
        providerId: holder,
        total: 2,
        byKind: {
          'refused-entry': 0,
          'hospital-admission': 1,
          'safeguarding-concern': 0,
          'missed-call': 1,
          death: 0,
        },
        late: 1,
        unacknowledged: 1,
      },
    ]);
    const listed = await listProviderNotifications(pool, holder, {
      councilId: council,
      quarter: Q4,
    });
    expect(listed.notifications.map((n) => [n.kind, n.late])).toEqual([
      ['hospital-admission', false],
      ['missed-call', true],
    ]);
    const stranger = await listProviderNotifications(pool, 'someone-else', {
      councilId: council,
      quarter: Q4,
    });
    expect(stranger.notifications).toEqual([]);
  });
});

describe('handing a package back (§51)', () => {
  it('keeps it the provider’s for seven days: pending for the council, then handed back', async () => {
    const { council, holder, other } = await placedPackage();
    const input = {
      councilId: entityId(council, 'councilId'),
      packageId: entityId('pkg-1', 'packageId'),
      reason: 'We can no longer staff the evening calls in that area.',
    };
    await expect(giveHandBackNotice(context(other), vault, input)).rejects.toThrow(ConflictError);
    const notice = await giveHandBackNotice(context(holder), vault, input);
    expect(notice).toMatchObject({
      noticeGivenAt: '2026-03-03T10:00:00.000Z',
      handBackAt: '2026-03-10T10:00:00.000Z',
    });
    await expect(giveHandBackNotice(context(holder), vault, input)).rejects.toThrow(ConflictError);
    // What happens once the package is back with the council is not the provider's to notify.
    const after = new Date('2026-03-10T11:00:00Z');
    await expect(
      logProviderNotification(context(holder, after), vault, {
        ...notification(council),
        occurredAt: '2026-03-10T10:30:00Z',
      }),
    ).rejects.toThrow(/handed back to the council/);
    await logProviderNotification(context(holder, after), vault, {
      ...notification(council),
      occurredAt: '2026-03-10T09:30:00Z',
    });

    await caughtUp();
    const pending = (now: Date) =>
      listHandBackNotices(pool, council, { councilId: council, pendingOnly: true }, { now });
    expect((await pending(new Date('2026-03-10T09:59:59Z'))).notices).toEqual([
      {
        packageId: 'pkg-1',
        frameworkId: 'home-care',
        providerId: holder,
        noticeGivenAt: '2026-03-03T10:00:00.000Z',
        handBackAt: '2026-03-10T10:00:00.000Z',
        status: 'notice-pending',
      },
    ]);
    expect((await pending(new Date('2026-03-10T10:00:00Z'))).notices).toEqual([]);
    const all = await listHandBackNotices(
      pool,
      council,
      { councilId: council, pendingOnly: false },
      { now: new Date('2026-03-10T10:00:00Z') },
    );
    expect(all.notices).toMatchObject([{ status: 'handed-back' }]);
  });
});
