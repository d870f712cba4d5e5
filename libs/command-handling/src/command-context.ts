import type { EventStore } from '@kpi/event-store';

/**
 * Who is asking, for which tenant, and when: everything a command handler needs besides the
 * command. The tenant always comes from the caller's token (never from the request body).
 */
export interface CommandContext {
  store: EventStore;
  tenantId: string;
  /** `user:<id>` or `system:<component>`. */
  actor: string;
  /** The request's correlation id (x-request-id). */
  correlationId: string | null;
  /** Unique per command; retried commands reuse it (Idempotency-Key), so their events keep their ids. */
  commandId: string;
  now: Date;
}

/**
 * The context for a provider's act on a council's stream: the council's tenant (streams never
 * cross tenants), the provider named in the actor (`<user>@<provider>`).
 */
export function actingForProvider(context: CommandContext, councilId: string): CommandContext {
  return { ...context, tenantId: councilId, actor: `${context.actor}@${context.tenantId}` };
}
