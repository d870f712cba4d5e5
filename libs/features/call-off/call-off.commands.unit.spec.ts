import { ConflictError, InvalidCommandError, NotFoundError } from '@kpi/domain';
import { commandSpecification, id } from '@kpi/testing';
import { registerOrganisation } from '@kpi/features/organisation';
import {
  acceptCarePackage,
  addProviderToCareFramework,
  declineCarePackage,
  establishCareFramework,
  recordCareStarted,
  recordFamilyContact,
  registerCarePackage,
} from './call-off.use-cases';

/**
 * The call-off commands, given / when / then on the in-memory event store: the organisations
 * are registered by their own command, the framework and packages set up by the commands under
 * test, then each command's events, answer and refusals are checked.
 */
const COUNCIL = 'southwark';
const PROVIDERS = ['bright-care', 'kindly-care', 'willow-care'];
const NOW = new Date('2026-10-12T09:00:00Z'); // a Monday, 10:00 in London: no Friday hold

const framework = {
  frameworkId: id('home-care'),
  name: 'Care at home 2026',
  contractStartDate: '2026-04-01',
  providers: PROVIDERS,
};
const details = {
  hoursPerWeek: 12.5,
  outcomes: 'Personal care before school',
  startDate: '2026-10-19',
  urgent: false,
};
const referral = { frameworkId: id('home-care'), packageId: id('pkg-1'), ...details };
const thePackage = { councilId: id(COUNCIL), packageId: id('pkg-1') };
const as = (tenantId: string) => ({ tenantId });

async function organisations() {
  const spec = commandSpecification({ tenantId: COUNCIL, actor: 'user:commissioner', now: NOW });
  await registerOrganisation(spec.context(), { name: 'Southwark Council', kind: 'council' });
  for (const provider of [...PROVIDERS, 'oak-care'])
    await registerOrganisation(spec.context(as(provider)), { name: provider, kind: 'provider' });
  return spec;
}

async function withFramework() {
  const spec = await organisations();
  await establishCareFramework(spec.context(), framework);
  return spec;
}

async function withPackage() {
  const spec = await withFramework();
  await registerCarePackage(spec.context(), referral);
  return spec;
}

describe('establishing a care framework (in memory)', () => {
  it("writes the council's framework with its providers in rotation order", async () => {
    const spec = await organisations();
    const { result, events } = await spec.when(establishCareFramework, framework);
    expect(events).toMatchObject([
      {
        streamId: result.streamId,
        type: 'CareFrameworkEstablished',
        data: { frameworkId: 'home-care', providers: PROVIDERS, contractStartDate: '2026-04-01' },
        metadata: { tenantId: COUNCIL, actor: 'user:commissioner' },
      },
    ]);
    expect(result).toMatchObject({ streamVersion: 1, replayed: false });
    expect(result.state.framework).toMatchObject({ name: 'Care at home 2026' });
  });

  it('writes nothing twice: the same command again answers the first result, replayed', async () => {
    const spec = await organisations();
    const context = spec.context();
    const first = await establishCareFramework(context, framework);
    const { result, events } = await spec.when(establishCareFramework, framework, {
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result).toMatchObject({ streamVersion: first.streamVersion, replayed: true });
    expect(result.events.map((e) => e.type)).toEqual(['CareFrameworkEstablished']);
  });

  it('refuses a second framework of the same id (409)', async () => {
    const spec = await withFramework();
    await expect(spec.when(establishCareFramework, framework)).rejects.toThrow(ConflictError);
  });

  it('refuses a framework set up by a provider organisation (409), writing nothing', async () => {
    const spec = await organisations();
    await expect(spec.when(establishCareFramework, framework, as('bright-care'))).rejects.toThrow(
      'Only a council sets up a care framework',
    );
  });

  it('names each provider that is not a registered provider organisation (400)', async () => {
    const spec = await organisations();
    await expect(
      spec.when(establishCareFramework, {
        ...framework,
        providers: ['bright-care', 'nobody-registered'],
      }),
    ).rejects.toMatchObject({
      problems: [
        {
          field: 'providers[1]',
          reason: 'nobody-registered is not a registered provider organisation',
        },
      ],
    });
  });
});

describe('adding a provider to a framework (in memory)', () => {
  it('adds it at the end of the rotation', async () => {
    const spec = await withFramework();
    const { result, events } = await spec.when(addProviderToCareFramework, {
      frameworkId: id('home-care'),
      providerId: id('oak-care'),
    });
    expect(events).toMatchObject([
      { type: 'CareFrameworkProviderAdded', data: { providerId: 'oak-care' } },
    ]);
    expect(result.state.framework?.providers).toEqual([...PROVIDERS, 'oak-care']);
  });

  it('refuses the council itself (400), a provider already on it (409), no framework (404)', async () => {
    const spec = await withFramework();
    const add = (frameworkId: string, providerId: string) =>
      spec.when(addProviderToCareFramework, {
        frameworkId: id(frameworkId),
        providerId: id(providerId),
      });
    await expect(add('home-care', COUNCIL)).rejects.toThrow(
      'providerId: is the council itself, not a provider',
    );
    await expect(add('home-care', 'bright-care')).rejects.toThrow(ConflictError);
    await expect(add('no-such-framework', 'oak-care')).rejects.toThrow(NotFoundError);
  });
});

describe('referring a package (in memory)', () => {
  it('takes the next turn of the rotation and offers it to the first-refusal provider at once', async () => {
    const spec = await withFramework();
    const { result, events } = await spec.when(registerCarePackage, referral);
    expect(events.map((e) => [e.streamId, e.type])).toEqual([
      [`${COUNCIL}:care-framework-rotation:home-care`, 'CarePackageReferred'],
      [result.streamId, 'CarePackageRegistered'],
      [result.streamId, 'CarePackageOffered'],
    ]);
    expect(events[2]).toMatchObject({
      data: { round: 'first-refusal', providers: ['bright-care'] },
    });
    expect(result.state.package).toMatchObject({ packageId: 'pkg-1', accepted: null });
    expect(result.replayed).toBe(false);
  });

  it('writes nothing twice, and takes no second turn, for the same command again', async () => {
    const spec = await withFramework();
    const context = spec.context();
    await registerCarePackage(context, referral);
    const { result, events } = await spec.when(registerCarePackage, referral, {
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result.replayed).toBe(true);
  });

  it('refuses bad details naming the fields (400), and uses no turn', async () => {
    const spec = await withFramework();
    const refused = await spec
      .when(registerCarePackage, { ...referral, hoursPerWeek: 0, outcomes: '' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidCommandError);
    expect((refused as InvalidCommandError).problems.map((p) => p.field).sort()).toEqual([
      'hoursPerWeek',
      'outcomes',
    ]);
    const { events } = await spec.when(registerCarePackage, referral);
    expect(events[0]).toMatchObject({ data: { rotationPosition: 0 } });
  });

  it('refuses a package id used already (409) and a framework that is not there (404)', async () => {
    const spec = await withPackage();
    await expect(spec.when(registerCarePackage, referral)).rejects.toThrow(ConflictError);
    await expect(
      spec.when(registerCarePackage, { ...referral, frameworkId: id('nope') }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe("providers' answers (in memory)", () => {
  it('the first-refusal provider accepts, written to the council’s stream naming it', async () => {
    const spec = await withPackage();
    const { result, events } = await spec.when(acceptCarePackage, thePackage, as('bright-care'));
    expect(events).toMatchObject([
      {
        streamId: result.streamId,
        type: 'CarePackageAccepted',
        data: { providerId: 'bright-care', round: 'first-refusal' },
        metadata: { tenantId: COUNCIL },
      },
    ]);
    expect(result.state.package?.accepted).toMatchObject({ providerId: 'bright-care' });
  });

  it('writes nothing twice for the same acceptance again', async () => {
    const spec = await withPackage();
    const context = spec.context(as('bright-care'));
    await acceptCarePackage(context, thePackage);
    const { result, events } = await spec.when(acceptCarePackage, thePackage, {
      ...as('bright-care'),
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result.replayed).toBe(true);
  });

  it('refuses a provider whose turn it is not (409) and anyone not on the framework (404)', async () => {
    const spec = await withPackage();
    await expect(spec.when(acceptCarePackage, thePackage, as('kindly-care'))).rejects.toMatchObject(
      { details: { reason: 'not-your-turn' } },
    );
    await expect(spec.when(acceptCarePackage, thePackage, as('oak-care'))).rejects.toThrow(
      NotFoundError,
    );
    await expect(spec.when(acceptCarePackage, thePackage, as(COUNCIL))).rejects.toThrow(
      NotFoundError,
    );
  });

  it('a decline moves the offer on to the next in rotation at once', async () => {
    const spec = await withPackage();
    const { events } = await spec.when(
      declineCarePackage,
      { ...thePackage, reason: 'No capacity' },
      as('bright-care'),
    );
    expect(events).toMatchObject([
      { type: 'CarePackageDeclined', data: { providerId: 'bright-care', reason: 'No capacity' } },
      { type: 'CarePackageOffered', data: { round: 'second', providers: ['kindly-care'] } },
    ]);
  });

  it('the provider holding the package records the family contact and the start of care', async () => {
    const spec = await withPackage();
    await acceptCarePackage(spec.context(as('bright-care')), thePackage);
    const contact = await spec.when(
      recordFamilyContact,
      { ...thePackage, contactedAt: '2026-10-12T10:00:00+01:00' },
      as('bright-care'),
    );
    expect(contact.events).toMatchObject([
      { type: 'CarePackageFamilyContacted', data: { contactedAt: '2026-10-12T09:00:00.000Z' } },
    ]);
    const started = await spec.when(
      recordCareStarted,
      { ...thePackage, startedOn: '2026-10-12' },
      as('bright-care'),
    );
    expect(started.events).toMatchObject([
      { type: 'CarePackageCareStarted', data: { startedOn: '2026-10-12' } },
    ]);
  });

  it('refuses the family contact from a provider it was not placed with (409), or in the future (400)', async () => {
    const spec = await withPackage();
    await expect(
      spec.when(
        recordFamilyContact,
        { ...thePackage, contactedAt: '2026-10-12T10:00:00+01:00' },
        as('bright-care'),
      ),
    ).rejects.toMatchObject({ details: { reason: 'not-accepted' } });
    await acceptCarePackage(spec.context(as('bright-care')), thePackage);
    await expect(
      spec.when(
        recordFamilyContact,
        { ...thePackage, contactedAt: '2026-10-13T10:00:00+01:00' },
        as('bright-care'),
      ),
    ).rejects.toThrow('contactedAt: is in the future');
  });
});
