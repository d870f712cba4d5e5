import { Command, InvalidArgumentError } from 'commander';
import {
  calendarAddCommand,
  calendarListCommand,
  calendarRemoveCommand,
} from './commands/calendar.command';
import {
  callOffRequeueCommand,
  callOffRetryFailedCommand,
  callOffStatusCommand,
} from './commands/call-off.command';
import { createDatabaseCommand } from './commands/create-database.command';
import {
  deadlinesRequeueCommand,
  deadlinesRetryFailedCommand,
  deadlinesStatusCommand,
} from './commands/deadlines.command';
import { migrateCommand } from './commands/migrate.command';
import { projectionsCommand } from './commands/projections.command';
import { rebuildCommand } from './commands/rebuild.command';
import { seedDemoCommand } from './commands/seed-demo.command';
import { tokenCommand } from './commands/token.command';
import { verifyCommand } from './commands/verify.command';

/** The admin CLI: `npm run cli -- <command>`; `npm run cli -- help` lists the commands. */
const program = new Command('kpi-ledger')
  .description('Administer kpi-ledger: migrations, tokens, read models, audit verification')
  .showHelpAfterError();

program
  .command('create-database')
  .description('create the database DATABASE_URL names, if it does not exist')
  .action(createDatabaseCommand);

program.command('migrate').description('apply pending database migrations').action(migrateCommand);

program
  .command('token')
  .description('mint a bearer token for a tenant and role(s), signed with JWT_SECRET')
  .requiredOption('--tenant <id>', 'the tenant (organisation) the token is for')
  .requiredOption('--role <role...>', 'one or more roles, e.g. provider-admin regulator')
  .option('--subject <id>', 'the user id (sub claim)', 'user:cli')
  .option('--expires-in <duration>', 'lifetime: 90s, 15m, 8h, 7d', '8h')
  .action(tokenCommand);

program
  .command('rebuild <projection>')
  .description('rebuild a read model from the whole event log into a fresh table and swap it in')
  .option('--batch-size <n>', 'events per transaction', positiveInteger, 5000)
  .action(rebuildCommand);

program
  .command('verify')
  .description('recompute the hash chains; exit status 2 names broken links')
  .option('--stream <id>', 'only this stream')
  .option('--tenant <id>', "only this tenant's streams")
  .action(verifyCommand);

program
  .command('seed-demo')
  .description("write a demo provider: 3 regions, 12 children's homes, 24 months of returns")
  .option('--tenant <id>', 'the tenant to fill (must be empty)', 'demo-care')
  .option('--homes <n>', 'number of homes', positiveInteger, 12)
  .option('--months <n>', 'months of returns, ending last month', positiveInteger, 24)
  .action(seedDemoCommand);

const calendar = program
  .command('calendar')
  .description(
    'list and adjust the England & Wales bank holidays working-day deadlines count with',
  );
calendar
  .command('list')
  .description("list a year's bank holidays, adjustments marked")
  .option('--year <yyyy>', 'the year (default: this year)', year)
  .action(calendarListCommand);
calendar
  .command('add <date> <name>')
  .description('add a bank holiday (a weekday, YYYY-MM-DD) proclaimed after the data file')
  .option('--by <actor>', 'who makes the change: user:<id> or system:<name>', 'system:cli')
  .action(calendarAddCommand);
calendar
  .command('remove <date>')
  .description('remove a bank holiday (moved by proclamation, or wrong in the data file)')
  .requiredOption('--reason <text>', 'why it is no longer a bank holiday')
  .option('--by <actor>', 'who makes the change: user:<id> or system:<name>', 'system:cli')
  .action(calendarRemoveCommand);

const deadlines = program
  .command('deadlines')
  .description(
    'the deadline queue (BullMQ): status, requeue after a Redis data loss, retry failed',
  );
deadlines
  .command('status')
  .description('waiting, delayed, active, failed and completed deadline jobs, as JSON')
  .action(deadlinesStatusCommand);
deadlines
  .command('requeue')
  .description("schedule every deadline job again from the reactor's table (jobs in Redis stay)")
  .option('--tenant <tenantId>', 'one tenant only')
  .action(deadlinesRequeueCommand);
deadlines
  .command('retry-failed')
  .description('put every failed deadline job back to run')
  .action(deadlinesRetryFailedCommand);

const callOff = program
  .command('call-off')
  .description(
    'the call-off window timers (BullMQ): status, requeue after a Redis data loss, retry failed',
  );
callOff
  .command('status')
  .description("the call-off queue's jobs and the packages waiting for a window to close, as JSON")
  .option('--tenant <councilId>', 'one council only')
  .action(callOffStatusCommand);
callOff
  .command('requeue')
  .description(
    "schedule again every open window's timer, read from the log (jobs in Redis stay; a closed window runs at once)",
  )
  .option('--tenant <councilId>', 'one council only')
  .action(callOffRequeueCommand);
callOff
  .command('retry-failed')
  .description('put every failed call-off job back to run')
  .action(callOffRetryFailedCommand);

program
  .command('projections')
  .description('list read models, their versions and lag')
  .action(projectionsCommand);

function year(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('must be a year such as 2026');
  return Number(value);
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number from 1');
  return n;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
