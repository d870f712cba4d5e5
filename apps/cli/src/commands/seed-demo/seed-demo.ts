import { randomUUID } from 'node:crypto';
import { loadState } from '@kpi/command-handling';
import { regionDecider, streamIds } from '@kpi/domain';
import { seedCouncil, type CouncilDemoSummary } from './council-demo';
import { demoCalendar } from './demo-calendar';
import { seedDirectServices, type DirectServicesDemoSummary } from './direct-services-demo';
import { HOMES_NEEDED, MONTHS_NEEDED, stage3RunStart } from './demo-story';
import { REGIONS, seedProvider, type ProviderDemoSummary } from './provider-demo';
import type { WalkthroughValues } from './walkthrough';
import type { DemoContext, DemoStores, Progress } from './demo-context';

export interface SeedDemoOptions {
  /** The provider's tenant (must be empty). */
  tenant: string;
  homes: number;
  /** Months of returns, ending with the last month that has ended. */
  months: number;
  /** The moment the demo is seeded: nothing is dated after it (the real time by default). */
  now?: Date;
}

/** What `cli seed-demo` writes when given no option (the README's walkthrough expects these). */
export const SEED_DEMO_DEFAULTS = { tenant: 'demo-care', homes: 12, months: 24 } as const;

export interface SeedDemoSummary {
  asOf: string;
  provider: ProviderDemoSummary;
  /** Null when the council was there already (seeded with an earlier demo provider). */
  council: CouncilDemoSummary | null;
  /** Null when the council's direct services were there already. */
  directServices: DirectServicesDemoSummary | null;
  /** The README walkthrough's `$FROM`, `$TO`, `$QUARTER`, `$ENTRY`, `$YEAR` for this seed. */
  walkthrough: WalkthroughValues;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * The demo: a provider of children's homes with two years of returns and the capability story,
 * and a council with a care-at-home framework its providers report to, written through the same
 * use cases the API runs, dated relative to `now` and never after it. The story is fixed (see
 * demo-story.ts and council-demo.ts); only the background noise is drawn, from a seeded sequence.
 */
export async function seedDemo(
  { store, vault }: DemoStores,
  { tenant, homes, months, now = new Date() }: SeedDemoOptions,
  progress: Progress = silent,
): Promise<SeedDemoSummary> {
  if (homes < HOMES_NEEDED || months < MONTHS_NEEDED)
    throw new Error(
      `The demo's story needs at least ${HOMES_NEEDED} homes and ${MONTHS_NEEDED} months (got ${homes} and ${months})`,
    );
  const existing = await loadState(
    { store },
    streamIds.region(tenant, REGIONS[0]!.regionId),
    regionDecider,
  );
  if (existing.status === 'registered') {
    throw new Error(`Tenant "${tenant}" already has demo data; choose another with --tenant`);
  }
  const demo: DemoContext = {
    store,
    vault,
    tenant,
    context: (tenantId, at, actor = 'system:seed-demo') => ({
      store,
      tenantId,
      actor,
      correlationId: 'seed-demo',
      commandId: randomUUID(),
      now: at,
    }),
  };
  const calendar = demoCalendar(now, months);
  const provider = await seedProvider(demo, { homes, calendar }, progress);
  progress.stop();
  const council = await seedCouncil(demo, calendar);
  const directServices = await seedDirectServices(demo, calendar);
  return {
    asOf: now.toISOString(),
    provider,
    council,
    directServices,
    walkthrough: {
      FROM: calendar.shownFrom,
      TO: calendar.lastMonth,
      QUARTER: calendar.quarter.quarter,
      ENTRY: `${provider.stage3.serviceId}.${provider.stage3.indicatorCode}.${stage3RunStart(calendar)}.s3`,
      YEAR: calendar.financialYear,
    },
  };
}
