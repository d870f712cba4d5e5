import { mintToken } from '@kpi/auth';
import { isRole, ROLES, type Role } from '@kpi/domain';
import { loadEnvironment } from '@kpi/runtime';

export interface TokenOptions {
  tenant: string;
  role: string[];
  subject: string;
  manager?: string;
  expiresIn: string;
}

/** `cli token`: mints a bearer token for a tenant and roles, signed with JWT_SECRET. */
export function tokenCommand(options: TokenOptions): void {
  const { config } = loadEnvironment('cli', { logTo: 'stderr' });
  const unknown = options.role.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    throw new Error(`Unknown role ${unknown.join(', ')}; roles are: ${ROLES.join(', ')}`);
  }
  const token = mintToken({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    subject: options.subject,
    tenantId: options.tenant,
    roles: options.role as Role[],
    ...(options.manager === undefined ? {} : { managerId: options.manager }),
    expiresInSeconds: parseDuration(options.expiresIn),
  });
  console.log(token);
}

/** `90s`, `15m`, `8h`, `7d` → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) throw new Error(`--expires-in must look like 90s, 15m, 8h or 7d; got "${text}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
