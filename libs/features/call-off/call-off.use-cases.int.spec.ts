import { randomUUID } from 'node:crypto';
import {
  callOffRotationDecider,
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  streamIds,
  type CarePackageRegistered,
} from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, type TestDatabase } from '@kpi/testing';
import {
  acceptCarePackage,
  establishCareFramework,
  registerCarePackage,
} from './call-off.use-cases';
import { type CommandContext, handleCommand } from '@kpi/command-handling';
import { registerOrganisation } from '@kpi/features/organisation';

/**
 * The call-off use cases on real PostgreSQL: the rotation stream serialises referrals, a
 * referral left half done is finished, and tenants see only what is theirs.
 */
let database: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  database = await createTestDatabase('call_off_use_cases');
  const pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
});
afterAll(() => database.drop());

const now = new Date('2026-05-05T09:00:00Z'); // a Tuesday
const context = (tenantId: string, commandId = randomUUID()): CommandContext => ({
  store,
  tenantId,
  actor: 'user:someone',
  correlationId: null,
  commandId,
  now,
});
const PACKAGE = {
  hoursPerWeek: 10,
  outcomes: 'Personal care before school',
  startDate: '2026-05-18',
  urgent: false,
};

let run = 0;
async function framework(providers = ['p-a', 'p-b', 'p-c']) {
  run++;
  const council = `council-${run}`;
  const ids = providers.map((p) => `${p}-${run}`);
  await registerOrganisation(context(council), { name: 'A council', kind: 'council' });
  for (const id of ids) await registerOrganisation(context(id), { name: id, kind: 'provider' });
  await establishCareFramework(context(council), {
    frameworkId: id('cah'),
    name: 'Care at home',
    contractStartDate: '2026-04-01',
    providers: ids,
  });
  return { council, providers: ids };
}
const firstRefusalOf = async (council: string, packageId: string) => {
  const [registered] = await store.readStream(streamIds.carePackage(council, packageId));
  return (registered!.data as CarePackageRegistered['data']).rotation.firstRefusal;
};

describe('referring packages (real PostgreSQL)', () => {
  it('gives packages referred at the same moment consecutive turns, never the same one', async () => {
    const { council, providers } = await framework();
    const ids = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    await Promise.all(
      ids.map((packageId) =>
        registerCarePackage(context(council), {
          frameworkId: id('cah'),
          packageId: id(packageId),
          ...PACKAGE,
        }),
      ),
    );
    const first = await Promise.all(ids.map((id) => firstRefusalOf(council, id)));
    // Six packages over three providers: each provider has first refusal of exactly two.
    expect(providers.map((p) => first.filter((f) => f === p).length)).toEqual([2, 2, 2]);
    const rotation = await store.readStream(streamIds.careFrameworkRotation(council, 'cah'));
    expect(rotation.map((e) => (e.data as { rotationPosition: number }).rotationPosition)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
  });

  it('keeps counting turns past the referrals it reads (the latest 200), so a long rotation stays right', async () => {
    const { council, providers } = await framework();
    for (let n = 0; n < 205; n++)
      await registerCarePackage(context(council), {
        frameworkId: id('cah'),
        packageId: id(`k${n}`),
        ...PACKAGE,
      });
    await registerCarePackage(context(council), {
      frameworkId: id('cah'),
      packageId: id('last'),
      ...PACKAGE,
    });
    // The 206th package (position 205): 205 mod 3 = 1.
    expect(await firstRefusalOf(council, 'last')).toBe(providers[1]);
    const [latest] = await store.readStream(streamIds.careFrameworkRotation(council, 'cah'), {
      direction: 'backward',
      maxCount: 1,
    });
    expect(latest!.data).toMatchObject({ packageId: 'last', rotationPosition: 205 });
  });

  it('finishes a referral whose registration never happened, with the turn it was given', async () => {
    const { council, providers } = await framework();
    await registerCarePackage(context(council), {
      frameworkId: id('cah'),
      packageId: id('k0'),
      ...PACKAGE,
    });
    // A crash after the turn was taken: the rotation has k1, the package stream has nothing.
    await handleCommand(
      context(council),
      streamIds.careFrameworkRotation(council, 'cah'),
      callOffRotationDecider,
      {
        type: 'ReferCarePackage',
        data: { frameworkId: 'cah', packageId: 'k1', providers, now },
      },
    );
    const retried = await registerCarePackage(context(council), {
      frameworkId: id('cah'),
      packageId: id('k1'),
      ...PACKAGE,
    });
    expect(retried.events.map((e) => e.type)).toEqual([
      'CarePackageRegistered',
      'CarePackageOffered',
    ]);
    expect(await firstRefusalOf(council, 'k1')).toBe(providers[1]);
    expect(await store.streamVersion(streamIds.careFrameworkRotation(council, 'cah'))).toBe(2);
  });

  it('writes nothing, and uses no turn, for a package with bad details', async () => {
    const { council } = await framework();
    await expect(
      registerCarePackage(context(council), {
        frameworkId: id('cah'),
        packageId: id('k0'),
        ...PACKAGE,
        hoursPerWeek: -1,
      }),
    ).rejects.toThrow(InvalidCommandError);
    expect(await store.streamVersion(streamIds.careFrameworkRotation(council, 'cah'))).toBe(0);
  });

  it('refuses a second package with the same id (409) and a framework that is not there (404)', async () => {
    const { council } = await framework();
    await registerCarePackage(context(council), {
      frameworkId: id('cah'),
      packageId: id('k0'),
      ...PACKAGE,
    });
    await expect(
      registerCarePackage(context(council), {
        frameworkId: id('cah'),
        packageId: id('k0'),
        ...PACKAGE,
      }),
    ).rejects.toThrow(ConflictError);
    await expect(
      registerCarePackage(context(council), {
        frameworkId: id('nope'),
        packageId: id('k9'),
        ...PACKAGE,
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('lets only providers on the framework answer: another tenant finds nothing (404)', async () => {
    const { council } = await framework();
    const other = await framework();
    await registerCarePackage(context(council), {
      frameworkId: id('cah'),
      packageId: id('k0'),
      ...PACKAGE,
    });
    for (const tenant of [other.council, other.providers[0]!, council])
      await expect(
        acceptCarePackage(context(tenant), { councilId: id(council), packageId: id('k0') }),
      ).rejects.toThrow(NotFoundError);
  });

  it('refuses a framework of organisations that are not registered providers', async () => {
    const { council, providers } = await framework();
    await expect(
      establishCareFramework(context(council), {
        frameworkId: id('second'),
        name: 'Another',
        contractStartDate: '2026-04-01',
        providers: [providers[0], 'nobody-registered', council],
      }),
    ).rejects.toMatchObject({
      problems: [
        {
          field: 'providers[1]',
          reason: 'nobody-registered is not a registered provider organisation',
        },
        { field: 'providers[2]', reason: `${council} is not a registered provider organisation` },
      ],
    });
  });
});
