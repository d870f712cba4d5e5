import { randomUUID } from 'node:crypto';
import { establishCareFramework } from '@kpi/features/call-off';
import { entityId, type CommandContext } from '@kpi/command-handling';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startApiUnderTest, type ApiUnderTest } from './api-under-test';
import { startProjections, type ProjectionsInProcess } from './worker-in-process';

/**
 * For specs about a council's care-at-home framework and the providers on it: the API and the
 * worker's projections on a database of the spec's own, with the clock at `now`, and the
 * setting up of the organisations and the framework. One per spec file:
 *
 *   beforeAll(async () => (env = await startCareFrameworkApi('my_e2e', NOW)));
 *   afterAll(() => env?.stop());
 */
export interface CareFrameworkApi {
  api: ApiUnderTest;
  projections: ProjectionsInProcess;
  /** A token of the organisation, user `ola`, with one role (provider-admin unless told). */
  as(tenantId: string, role?: Role): string;
  get(token: string, path: string, query?: Record<string, string>): ReturnType<typeof getRequest>;
  /** Registers each organisation, with its own token, as a council or a provider (201 each). */
  registerOrganisations(
    organisations: readonly (readonly [string, OrganisationKind])[],
  ): Promise<void>;
  /**
   * The council's framework {@link CARE_FRAMEWORK}, its contract started on
   * {@link CONTRACT_START}, with the providers in rotation order: set up with the use case
   * against the API's database.
   */
  establishFramework(councilId: string, providers: string[]): Promise<void>;
  stop(): Promise<void>;
}

type OrganisationKind = 'council' | 'provider';

export const CARE_FRAMEWORK = 'care-at-home-2026';
export const CONTRACT_START = '2026-04-01';

/** An id of the spec's own (`southwark-1a2b3c4d`), so runs never share a tenant. */
export const uniqueId = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/** A framework's path: `/councils/<council>/care-frameworks/<framework>`. */
export const frameworkPath = (councilId: string, frameworkId = CARE_FRAMEWORK) =>
  `/councils/${councilId}/care-frameworks/${frameworkId}`;

const getRequest = (api: ApiUnderTest, token: string, path: string, query = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

export async function startCareFrameworkApi(label: string, now: Date): Promise<CareFrameworkApi> {
  const api = await startApiUnderTest(label);
  const store = new PostgresEventStore(api.pool, eventTypeRegistry());
  const projections = await startProjections(api.pool, store).catch(async (error: unknown) => {
    await api.close();
    throw error;
  });
  api.setNow(now);
  const as = (tenantId: string, role: Role = 'provider-admin') =>
    api.tokenFor({ tenantId, roles: [role], userId: 'ola' });

  return {
    api,
    projections,
    as,
    get: (token, path, query = {}) => getRequest(api, token, path, query),

    async registerOrganisations(organisations) {
      for (const [tenantId, kind] of organisations) {
        const response = await api
          .http()
          .post('/organisation')
          .set('Authorization', `Bearer ${as(tenantId)}`)
          .send({ name: tenantId, kind });
        expect({ tenantId, status: response.status, body: response.body }).toMatchObject({
          tenantId,
          status: 201,
        });
      }
    },

    async establishFramework(councilId, providers) {
      const context: CommandContext = {
        store,
        tenantId: councilId,
        actor: 'commissioner-kim',
        correlationId: null,
        commandId: randomUUID(),
        now,
      };
      await establishCareFramework(context, {
        frameworkId: entityId(CARE_FRAMEWORK, 'frameworkId'),
        name: 'Care at home for children and young people',
        contractStartDate: CONTRACT_START,
        providers,
      });
    },

    async stop() {
      await projections.stop();
      await api.close();
    },
  };
}
