import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import type { SealedPersonalData } from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';

/**
 * Seals the texts of one decided record (an audit finding, a commentary version) under a data
 * subject of its own, derived from the command with `kind` (docs/decisions/0032): a retried
 * command seals once. One statement to the vault; `null` texts are kept null.
 */
export async function sealForRecord<Texts extends Record<string, string | null>>(
  vault: PersonalDataVault,
  context: Pick<CommandContext, 'tenantId' | 'commandId'>,
  kind: string,
  texts: Texts,
): Promise<{
  [K in keyof Texts]: Texts[K] extends string ? SealedPersonalData : SealedPersonalData | null;
}> {
  const names = Object.keys(texts).filter((name) => texts[name] !== null);
  const sealed = await vault.sealForNewSubject({
    tenantId: context.tenantId,
    subjectId: uuidFromParts(context.commandId, kind),
    plaintexts: names.map((name) => ({
      ref: uuidFromParts(context.commandId, kind, name),
      plaintext: texts[name]!,
    })),
  });
  const result: Record<string, SealedPersonalData | null> = {};
  for (const name of Object.keys(texts)) result[name] = null;
  names.forEach((name, index) => (result[name] = sealed[index]!));
  return result as never;
}
