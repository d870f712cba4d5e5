import { PersonalDataVault } from '@kpi/personal-data';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import { progressBar } from '../progress-bar';
import { seedDemoAccounts, signInLines, type DemoAccounts } from './seed-demo/demo-accounts';
import { seedDemo, type SeedDemoOptions, type SeedDemoSummary } from './seed-demo/seed-demo';
import { filledIn, valuesLine } from './seed-demo/walkthrough';

export { seedDemo, SEED_DEMO_DEFAULTS, type SeedDemoOptions } from './seed-demo/seed-demo';

/**
 * `cli seed-demo`: a provider (3 regions, 12 children's homes, 24 months of returns by
 * default) and a council with a care-at-home framework and six direct services of its own
 * (24 months of returns), dated relative to now (the story:
 * apps/cli/src/commands/seed-demo/). Ends by printing the README's walkthrough with today's
 * months and ids filled in, after an account per role (apps/cli/src/commands/seed-demo/demo-accounts.ts)
 * and how to sign in as each.
 */
export async function seedDemoCommand(
  options: SeedDemoOptions & { baseUrl?: string },
): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    const vault = new PersonalDataVault(pool, config.PERSONAL_DATA_KEY);
    const summary = await seedDemo({ store, vault }, options, progressBar('seed-demo', 'returns'));
    const accounts = await seedDemoAccounts(store, pool, vault, summary);
    console.log(report(summary, accounts, options.baseUrl ?? `http://localhost:${config.PORT}`));
  } finally {
    await pool.end();
  }
}

/** What the seed wrote, in words, how to sign in, then the walkthrough to copy. */
export function report(
  { asOf, provider, council, directServices, walkthrough }: SeedDemoSummary,
  accounts: DemoAccounts,
  baseUrl: string,
): string {
  const lines = [
    `Demo data as of ${asOf} (everything dated before it):`,
    `  ${provider.tenant}: ${provider.regions} regions, ${provider.homes} homes, ${provider.returns} returns from ${provider.from} to ${provider.to}` +
      `; late: ${provider.late.map((r) => `${r.serviceId} ${r.period}`).join(', ')}` +
      `; amended: ${provider.amended.map((r) => `${r.serviceId} ${r.period}`).join(', ')}`,
    `  ${provider.stage3.managerId}: ${provider.stage3.indicatorCode} missed 4 months running, Stage 3 (${walkthrough.ENTRY}); ` +
      `${provider.stage1.managerId}: ${provider.stage1.indicatorCode} missed 2, Stage 1`,
    council
      ? `  ${council.councilId}: framework ${council.frameworkId} (${council.providers.join(', ')}; contract from ${council.contractStartDate}), ` +
        `${council.packages} packages (${council.placedAtFirstRefusal} at first refusal, ${council.movedOn} moved on, ${council.offeredToAll} offered to all), ` +
        `${council.capacityReturns} capacity and ${council.quarterlyReturns} quarterly returns; league table for ${council.quarter}`
      : `  demo-council was seeded already: left as it is (${provider.tenant} is not on its framework)`,
    directServices
      ? `  ${directServices.councilId}'s direct services: ${directServices.services.map((s) => s.serviceId).join(', ')}; ` +
        `${directServices.returns} returns from ${directServices.from} to ${directServices.to}; ` +
        `version 2 of the datasets in force from ${directServices.secondVersion.effectiveFrom} (published ${directServices.secondVersion.publishedAt}); ` +
        `referrals flagged: ${directServices.flagged.map((f) => `${f.serviceId} ${f.period} (${f.referrals})`).join(', ')}; ` +
        `reports for ${directServices.quarter} and ${directServices.year}`
      : `  demo-council's direct services were seeded already: left as they are`,
    '',
    ...signInLines(accounts, baseUrl),
    '',
    'The worker builds the read models within seconds (npm run cli -- projections shows how far behind).',
    "Then try the README's walkthrough, with today's values (the first line sets them for the README's copy):",
    '',
    valuesLine(walkthrough),
    ...filledIn(walkthrough, provider.tenant),
  ];
  return lines.join('\n');
}
