import { Command, InvalidArgumentError } from 'commander';

/**
 * The admin CLI: `npm run cli -- <command>`; `npm run cli -- help` lists the commands.
 * A command's module is loaded only when that command runs (`lazy`): `token` or `--help` need
 * not load BullMQ, the event store and ExcelJS, which would double their start-up time.
 */
const program = new Command('kpi-ledger')
  .description('Administer kpi-ledger: migrations, tokens, read models, audit verification')
  .showHelpAfterError();

program
  .command('create-database')
  .description('create the database DATABASE_URL names, if it does not exist')
  .action(
    lazy(
      () => import('./commands/create-database.command'),
      (m) => m.createDatabaseCommand,
    ),
  );

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(
    lazy(
      () => import('./commands/migrate.command'),
      (m) => m.migrateCommand,
    ),
  );

program
  .command('token')
  .description('mint a bearer token for a tenant and role(s), signed with JWT_SECRET')
  .requiredOption('--tenant <id>', 'the tenant (organisation) the token is for')
  .requiredOption('--role <role...>', 'one or more roles, e.g. provider-admin regulator')
  .option('--subject <id>', 'the user id (sub claim)', 'user:cli')
  .option(
    '--manager <id>',
    'the manager id capability records know the user by (a home manager reads their own record)',
  )
  .option('--expires-in <duration>', 'lifetime: 90s, 15m, 8h, 7d', '8h')
  .action(
    lazy(
      () => import('./commands/token.command'),
      (m) => m.tokenCommand,
    ),
  );

const accounts = program
  .command('accounts')
  .description("an organisation's accounts: its first admin, its identity provider");
accounts
  .command('create-admin')
  .description(
    'invite an account admin (role admin) to a tenant; prints the invitation link, where they choose a password',
  )
  .requiredOption('--tenant <id>', 'the tenant (organisation) of the admin')
  .requiredOption('--email <address>', 'the email address they will sign in with')
  .option('--base-url <url>', 'the address of the pages, put before /app/invitations/…', '')
  .action(
    lazy(
      () => import('./commands/accounts.command'),
      (m) => m.createAdminCommand,
    ),
  );

accounts
  .command('set-identity-provider')
  .description(
    "set a tenant's own identity provider (OpenID Connect) and how its claims give roles; the client secret is read from IDENTITY_PROVIDER_CLIENT_SECRET",
  )
  .requiredOption('--tenant <id>', 'the tenant (organisation)')
  .requiredOption('--issuer <url>', "the provider's issuer URL (https://)")
  .requiredOption('--client-id <id>', 'the client id the provider gave KPI ledger')
  .requiredOption('--role-claim <name>', 'the claim whose values give roles, e.g. groups')
  .requiredOption(
    '--map <mapping...>',
    'claim value=role[,role…], one or more, e.g. kpi-hr=hr kpi-admins=admin,hr',
  )
  .option('--scope <scope...>', 'scopes to ask for besides openid email profile, e.g. groups')
  .option('--base-url <url>', 'the address of the pages, for the redirect URI it prints', '')
  .action(
    lazy(
      () => import('./commands/accounts.command'),
      (m) => m.setIdentityProviderCommand,
    ),
  );

program
  .command('rebuild <projection>')
  .description('rebuild a read model from the whole event log into a fresh table and swap it in')
  .option('--batch-size <n>', 'events per transaction', positiveInteger, 5000)
  .action(
    lazy(
      () => import('./commands/rebuild.command'),
      (m) => m.rebuildCommand,
    ),
  );

program
  .command('verify')
  .description(
    'recompute the hash chains and check them against the last seal; exit status 2 names broken links and rewritten streams',
  )
  .option('--stream <id>', 'only this stream')
  .option('--tenant <id>', "only this tenant's streams")
  .option(
    '--seals-file <path>',
    'seals kept outside the database (SEAL_FILE): each must be in the log, unchanged',
  )
  .action(
    lazy(
      () => import('./commands/verify.command'),
      (m) => m.verifyCommand,
    ),
  );

program
  .command('seed-demo')
  .description(
    "write the demo: a provider with 3 regions, 12 children's homes and 24 months of returns (one home's KPI missed into Stage 3), a council with a care-at-home framework, and an account per role; prints how to sign in and the walkthrough's commands with today's months",
  )
  .option('--tenant <id>', 'the tenant to fill (must be empty)', 'demo-care')
  .option('--homes <n>', 'number of homes', positiveInteger, 12)
  .option('--months <n>', 'months of returns, ending last month', positiveInteger, 24)
  .option(
    '--base-url <url>',
    'where people open the pages, for the sign-in line it prints (default: http://localhost:$PORT)',
  )
  .action(
    lazy(
      () => import('./commands/seed-demo.command'),
      (m) => m.seedDemoCommand,
    ),
  );

program
  .command('import-returns <file>')
  .description(
    'import monthly returns from a CSV or Excel file in the KPI grid layout: every row checked first, nothing stored if any is bad; prints the report as JSON',
  )
  .requiredOption('--tenant <id>', 'the tenant whose services the returns are for')
  .option('--dry-run', 'check and report, store nothing')
  .option('--by <actor>', 'who submits the returns: user:<id> or system:<name>', 'system:cli')
  .action(
    lazy(
      () => import('./commands/import-returns.command'),
      (m) => m.importReturnsCommand,
    ),
  );

const calendar = program
  .command('calendar')
  .description(
    'list and adjust the England & Wales bank holidays working-day deadlines count with',
  );
calendar
  .command('list')
  .description("list a year's bank holidays, adjustments marked")
  .option('--year <yyyy>', 'the year (default: this year)', year)
  .action(
    lazy(
      () => import('./commands/calendar.command'),
      (m) => m.calendarListCommand,
    ),
  );
calendar
  .command('add <date> <name>')
  .description('add a bank holiday (a weekday, YYYY-MM-DD) proclaimed after the data file')
  .option('--by <actor>', 'who makes the change: user:<id> or system:<name>', 'system:cli')
  .action(
    lazy(
      () => import('./commands/calendar.command'),
      (m) => m.calendarAddCommand,
    ),
  );
calendar
  .command('remove <date>')
  .description('remove a bank holiday (moved by proclamation, or wrong in the data file)')
  .requiredOption('--reason <text>', 'why it is no longer a bank holiday')
  .option('--by <actor>', 'who makes the change: user:<id> or system:<name>', 'system:cli')
  .action(
    lazy(
      () => import('./commands/calendar.command'),
      (m) => m.calendarRemoveCommand,
    ),
  );

const deadlines = program
  .command('deadlines')
  .description(
    'the deadline queue (BullMQ): status, requeue after a Redis data loss, retry failed',
  );
deadlines
  .command('status')
  .description('waiting, delayed, active, failed and completed deadline jobs, as JSON')
  .action(
    lazy(
      () => import('./commands/deadlines.command'),
      (m) => m.deadlinesStatusCommand,
    ),
  );
deadlines
  .command('requeue')
  .description("schedule every deadline job again from the reactor's table (jobs in Redis stay)")
  .option('--tenant <tenantId>', 'one tenant only')
  .action(
    lazy(
      () => import('./commands/deadlines.command'),
      (m) => m.deadlinesRequeueCommand,
    ),
  );
deadlines
  .command('retry-failed')
  .description('put every failed deadline job back to run')
  .action(
    lazy(
      () => import('./commands/deadlines.command'),
      (m) => m.deadlinesRetryFailedCommand,
    ),
  );

const notifications = program
  .command('notifications')
  .description('the email queue (BullMQ): status, requeue after a Redis data loss, retry failed');
notifications
  .command('status')
  .description('waiting, delayed, active, failed and completed notification jobs, as JSON')
  .action(
    lazy(
      () => import('./commands/notifications.command'),
      (m) => m.notificationsStatusCommand,
    ),
  );
notifications
  .command('requeue')
  .description('queue every email not sent yet again from the delivery rows (jobs in Redis stay)')
  .action(
    lazy(
      () => import('./commands/notifications.command'),
      (m) => m.notificationsRequeueCommand,
    ),
  );
notifications
  .command('retry-failed')
  .description('put every failed notification job back to run')
  .action(
    lazy(
      () => import('./commands/notifications.command'),
      (m) => m.notificationsRetryFailedCommand,
    ),
  );

const callOff = program
  .command('call-off')
  .description(
    'the call-off window timers (BullMQ): status, requeue after a Redis data loss, retry failed',
  );
callOff
  .command('status')
  .description("the call-off queue's jobs and the packages waiting for a window to close, as JSON")
  .option('--tenant <councilId>', 'one council only')
  .action(
    lazy(
      () => import('./commands/call-off.command'),
      (m) => m.callOffStatusCommand,
    ),
  );
callOff
  .command('requeue')
  .description(
    "schedule again every open window's timer, read from the log (jobs in Redis stay; a closed window runs at once)",
  )
  .option('--tenant <councilId>', 'one council only')
  .action(
    lazy(
      () => import('./commands/call-off.command'),
      (m) => m.callOffRequeueCommand,
    ),
  );
callOff
  .command('retry-failed')
  .description('put every failed call-off job back to run')
  .action(
    lazy(
      () => import('./commands/call-off.command'),
      (m) => m.callOffRetryFailedCommand,
    ),
  );

program
  .command('projections')
  .description('list read models, their versions and lag')
  .option('--json', 'print JSON (the default when stdout is not a terminal)')
  .action(
    lazy(
      () => import('./commands/projections.command'),
      (m) => m.projectionsCommand,
    ),
  );

/** The action of a command whose module is loaded when it runs. */
function lazy<M>(load: () => Promise<M>, pick: (module: M) => (...args: never[]) => unknown) {
  return async (...args: unknown[]): Promise<void> => {
    const action = pick(await load()) as (...args: unknown[]) => unknown;
    await action(...args);
  };
}

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
