import { deciderSpecification } from '@kpi/testing';
import { foldEvents } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type {
  CareFrameworkEstablished,
  CareFrameworkProviderAdded,
  CarePackageReferred,
} from './call-off.events';
import { callOffRotationDecider, type ReferCarePackage } from './call-off-rotation.decider';
import {
  careFrameworkDecider,
  rotationFrom,
  type AddProviderToCareFramework,
  type EstablishCareFramework,
} from './care-framework.decider';

const spec = deciderSpecification(careFrameworkDecider);
const rotationSpec = deciderSpecification(callOffRotationDecider);
const FRAMEWORK = 'care-at-home-2026';
const COUNCIL = 'southwark';
const now = new Date('2026-03-02T10:00:00Z'); // Monday, GMT

const establish = (data: Partial<EstablishCareFramework['data']> = {}): EstablishCareFramework => ({
  type: 'EstablishCareFramework',
  data: {
    frameworkId: FRAMEWORK,
    councilId: COUNCIL,
    name: 'Children with disabilities: care at home',
    contractStartDate: '2026-04-01',
    providers: ['alpha-care', 'beta-care', 'gamma-care'],
    establishedBy: 'user:commissioner-1',
    now,
    ...data,
  },
});
const established = (
  providers = ['alpha-care', 'beta-care', 'gamma-care'],
): CareFrameworkEstablished => ({
  type: 'CareFrameworkEstablished',
  data: {
    frameworkId: FRAMEWORK,
    name: 'Children with disabilities: care at home',
    contractStartDate: '2026-04-01',
    providers,
    establishedBy: 'user:commissioner-1',
    establishedAt: now.toISOString(),
  },
});
const addProvider = (providerId: string): AddProviderToCareFramework => ({
  type: 'AddProviderToCareFramework',
  data: { frameworkId: FRAMEWORK, providerId, addedBy: 'user:commissioner-1', now },
});
const providerAdded = (providerId: string): CareFrameworkProviderAdded => ({
  type: 'CareFrameworkProviderAdded',
  data: {
    frameworkId: FRAMEWORK,
    providerId,
    addedBy: 'user:commissioner-1',
    addedAt: now.toISOString(),
  },
});
const THREE = ['alpha-care', 'beta-care', 'gamma-care'];
const refer = (packageId: string, providers: readonly string[] = THREE): ReferCarePackage => ({
  type: 'ReferCarePackage',
  data: { frameworkId: FRAMEWORK, packageId, providers, now },
});
/** The framework's record of a package it referred (the rotation as the decider works it out). */
const referred = (
  packageId: string,
  rotationPosition: number,
  providers: readonly string[],
): CarePackageReferred => ({
  type: 'CarePackageReferred',
  data: {
    frameworkId: FRAMEWORK,
    packageId,
    rotationPosition,
    rotation: rotationFrom(providers, rotationPosition),
    referredAt: now.toISOString(),
  },
});

const problemsOf = (command: EstablishCareFramework) => {
  try {
    careFrameworkDecider.decide(command, careFrameworkDecider.initialState());
  } catch (error) {
    if (error instanceof InvalidCommandError) return error.problems.map((p) => p.field);
    throw error;
  }
  throw new Error('expected the command to be refused');
};

describe('a care-at-home framework agreement and its rotation', () => {
  describe('when it is established', () => {
    it('records its providers in rotation order and the contract start date', () => {
      spec.given([]).when(establish()).then([established()]);
    });

    it('trims the name', () => {
      spec
        .given([])
        .when(establish({ name: '  Children with disabilities: care at home  ' }))
        .then([established()]);
    });

    it('is established once', () => {
      spec
        .given([established()])
        .when(establish())
        .thenThrows(ConflictError, /already established/);
    });

    it.each([
      ['no list at all', undefined],
      ['a string instead of a list', 'alpha-care'],
      ['an empty list', []],
      ['more than 100 providers', Array.from({ length: 101 }, (_, i) => `provider-${i}`)],
    ])('refuses %s of providers', (_what, providers) => {
      expect(problemsOf(establish({ providers }))).toEqual(['providers']);
    });

    it('refuses a provider listed twice, naming the repeat', () => {
      expect(
        problemsOf(establish({ providers: ['alpha-care', 'beta-care', 'alpha-care'] })),
      ).toEqual(['providers[2]']);
    });

    it('refuses the council itself as a provider on its own framework', () => {
      spec
        .given([])
        .when(establish({ providers: ['alpha-care', COUNCIL] }))
        .thenThrows(InvalidCommandError, /providers\[1\]: is the council itself/);
    });

    it('refuses a provider id that is not an organisation id', () => {
      expect(problemsOf(establish({ providers: ['alpha-care', 'Beta Care', 7] }))).toEqual([
        'providers[1]',
        'providers[2]',
      ]);
    });

    it.each([
      ['missing', undefined],
      ['not a date', 'April 2026'],
      ['not a real day', '2026-02-30'],
      ['with a time', '2026-04-01T00:00:00Z'],
    ])('refuses a contract start date that is %s', (_what, contractStartDate) => {
      expect(problemsOf(establish({ contractStartDate }))).toEqual(['contractStartDate']);
    });

    it('names every problem at once', () => {
      expect(
        problemsOf(establish({ name: ' ', contractStartDate: 'soon', providers: [COUNCIL] })),
      ).toEqual(['name', 'contractStartDate', 'providers[0]']);
    });

    it('takes a framework of a single provider', () => {
      spec
        .given([])
        .when(establish({ providers: ['alpha-care'] }))
        .then([established(['alpha-care'])]);
    });
  });

  describe('when a provider is added', () => {
    it('puts it at the end of the rotation', () => {
      spec
        .given([established()])
        .when(addProvider('delta-care'))
        .then([providerAdded('delta-care')]);
    });

    it('refuses a provider already on the framework', () => {
      spec
        .given([established()])
        .when(addProvider('beta-care'))
        .thenThrows(ConflictError, /already on framework/);
    });

    it('refuses a provider added already', () => {
      spec
        .given([established(), providerAdded('delta-care')])
        .when(addProvider('delta-care'))
        .thenThrows(ConflictError);
    });

    it('needs the framework to exist', () => {
      spec.given([]).when(addProvider('delta-care')).thenThrows(NotFoundError);
    });

    it('gives the new provider its turn after the others', () => {
      const providers = ['alpha-care', 'beta-care', 'gamma-care'];
      spec
        .given([established(providers)])
        .when(addProvider('delta-care'))
        .then([providerAdded('delta-care')]);
      rotationSpec
        .given([
          referred('pkg-0', 0, providers),
          referred('pkg-1', 1, providers),
          referred('pkg-2', 2, providers),
        ])
        .when(refer('pkg-3', [...providers, 'delta-care']))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            rotationPosition: 3,
            rotation: {
              firstRefusal: 'delta-care',
              second: 'alpha-care',
              others: ['beta-care', 'gamma-care'],
            },
          }),
        );
    });
  });

  describe('when a package is referred', () => {
    const providers = ['alpha-care', 'beta-care', 'gamma-care'];

    it('gives the first package to the first provider, then the next, then the rest in order', () => {
      rotationSpec
        .given([])
        .when(refer('pkg-0'))
        .then([
          {
            type: 'CarePackageReferred',
            data: {
              frameworkId: FRAMEWORK,
              packageId: 'pkg-0',
              rotationPosition: 0,
              rotation: { firstRefusal: 'alpha-care', second: 'beta-care', others: ['gamma-care'] },
              referredAt: now.toISOString(),
            },
          },
        ]);
    });

    it('advances the rotation one place for the second package', () => {
      rotationSpec
        .given([referred('pkg-0', 0, providers)])
        .when(refer('pkg-1'))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            rotationPosition: 1,
            rotation: { firstRefusal: 'beta-care', second: 'gamma-care', others: ['alpha-care'] },
          }),
        );
    });

    it('advances it another place for the third', () => {
      rotationSpec
        .given([referred('pkg-0', 0, providers), referred('pkg-1', 1, providers)])
        .when(refer('pkg-2'))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            rotationPosition: 2,
            rotation: { firstRefusal: 'gamma-care', second: 'alpha-care', others: ['beta-care'] },
          }),
        );
    });

    it('wraps around to the first provider with the fourth package', () => {
      rotationSpec
        .given([
          referred('pkg-0', 0, providers),
          referred('pkg-1', 1, providers),
          referred('pkg-2', 2, providers),
        ])
        .when(refer('pkg-3'))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            rotationPosition: 3,
            rotation: { firstRefusal: 'alpha-care', second: 'beta-care', others: ['gamma-care'] },
          }),
        );
    });

    it('refuses a package id referred already, naming it', () => {
      const history = [referred('pkg-0', 0, providers)];
      rotationSpec
        .given(history)
        .when(refer('pkg-0'))
        .thenThrows(ConflictError, /pkg-0 is already referred/);
      expect(() =>
        callOffRotationDecider.decide(refer('pkg-0'), foldEvents(callOffRotationDecider, history)),
      ).toThrow(expect.objectContaining({ details: { packageId: 'pkg-0' } }));
    });

    it('offers a single provider its packages with nobody after it', () => {
      rotationSpec
        .given([referred('pkg-0', 0, ['alpha-care'])])
        .when(refer('pkg-1', ['alpha-care']))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            rotationPosition: 1,
            rotation: { firstRefusal: 'alpha-care', second: null, others: [] },
          }),
        );
    });

    it('alternates two providers, with nobody left for the offer to all', () => {
      const two = ['alpha-care', 'beta-care'];
      rotationSpec
        .given([referred('pkg-0', 0, two)])
        .when(refer('pkg-1', two))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            rotation: { firstRefusal: 'beta-care', second: 'alpha-care', others: [] },
          }),
        );
    });
  });

  describe('the rotation for the n-th package', () => {
    const four = ['a', 'b', 'c', 'd'];

    it.each([
      [0, { firstRefusal: 'a', second: 'b', others: ['c', 'd'] }],
      [1, { firstRefusal: 'b', second: 'c', others: ['d', 'a'] }],
      [2, { firstRefusal: 'c', second: 'd', others: ['a', 'b'] }],
      [3, { firstRefusal: 'd', second: 'a', others: ['b', 'c'] }],
      [4, { firstRefusal: 'a', second: 'b', others: ['c', 'd'] }],
      [9, { firstRefusal: 'b', second: 'c', others: ['d', 'a'] }],
    ])('starts package %i at provider n mod 4', (position, rotation) => {
      expect(rotationFrom(four, position)).toEqual(rotation);
    });
  });
});
