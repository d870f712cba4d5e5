import { eventIdFor, metadataOf, toDomainEvent } from '@kpi/command-handling';
import { foldEvents, streamIds } from '@kpi/domain';
import type { AlsoErase } from '@kpi/personal-data';
import { accountDecider } from './account.decider';
import type { AccountEvent } from './account.events';
import { erasedEmailOf } from './accounts-directory';

/**
 * What erasing a person whose account id is the data subject does to their account, in the
 * erasure's transaction (the vault destroys their key, so the invitation's sealed email is
 * unreadable): access removed for good — `AccessRemoved` on the account's stream by the
 * data-protection officer, unless it was removed already — and the account's mutable rows
 * cleared: the email replaced by `erased-<accountId>@invalid`, the password hash, the
 * invitation, the sessions (revoked) and the failed sign-ins counted against the email. The
 * roles, the manager id and the stream stay, as the trail needs them. A subject that is not an
 * account of the tenant is left alone.
 */
export const eraseAccountOfSubject: AlsoErase = async (tx, context, subjectId) => {
  const { tenantId, now } = context;
  const streamId = streamIds.account(tenantId, subjectId);
  const history = await context.store.readStream(streamId);
  if (history.length === 0) return;
  const state = foldEvents(accountDecider, history.map(toDomainEvent<AccountEvent>));
  const removal = accountDecider.decide(
    { type: 'RemoveAccess', data: { removedBy: context.actor, now } },
    state,
  );
  if (removal.length > 0) {
    await context.store.appendInTransaction(
      tx,
      streamId,
      removal.map((event, index) => ({
        eventId: eventIdFor(context.commandId, streamId, index),
        type: event.type,
        data: event.data,
        metadata: metadataOf(context),
      })),
      history[history.length - 1]!.streamVersion,
    );
  }
  const { rows } = await tx.query<{ email: string }>(
    `SELECT email FROM accounts WHERE tenant_id = $1 AND account_id = $2 FOR UPDATE`,
    [tenantId, subjectId],
  );
  const email = rows[0]?.email;
  await tx.query(
    `UPDATE accounts SET email = $3, status = 'removed', updated_at = $4
      WHERE tenant_id = $1 AND account_id = $2`,
    [tenantId, subjectId, erasedEmailOf(subjectId), now],
  );
  await tx.query('DELETE FROM credentials WHERE tenant_id = $1 AND account_id = $2', [
    tenantId,
    subjectId,
  ]);
  await tx.query('DELETE FROM invitations WHERE tenant_id = $1 AND account_id = $2', [
    tenantId,
    subjectId,
  ]);
  await tx.query(
    `UPDATE sessions SET revoked_at = $3
      WHERE tenant_id = $1 AND account_id = $2 AND revoked_at IS NULL`,
    [tenantId, subjectId, now],
  );
  if (email !== undefined) {
    const subject = `email:${email.toLowerCase()}`;
    await tx.query('DELETE FROM sign_in_failures WHERE subject = $1', [subject]);
    await tx.query('DELETE FROM sign_in_lockouts WHERE subject = $1', [subject]);
  }
};
