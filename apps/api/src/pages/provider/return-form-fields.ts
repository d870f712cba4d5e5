import {
  isReportedIn,
  kindOf,
  type FieldProblem,
  type IndicatorDefinition,
  type Period,
} from '@kpi/domain';

/** How an indicator is asked for on the form. */
export type FieldKind = 'number' | 'yes-no' | 'ratio' | 'breakdown';

/** One indicator's question: its inputs are named from `id` (see {@link inputNames}). */
export interface ReturnFormField {
  code: string;
  /** The input's id and name (a code may hold `-`, which ids allow). */
  id: string;
  name: string;
  group: string | null;
  unit: IndicatorDefinition['unit'];
  kind: FieldKind;
  /** A breakdown's categories, in order (their inputs are `<id>_part_<index>`). */
  categories: string[];
}

/** What the browser sent: every form field as text (a repeated field is its first value). */
export type FormBody = Record<string, string | string[] | undefined>;

/** The questions of a month's return: indicators reported that month, derived ones left out. */
export function returnFormFields(
  indicators: readonly IndicatorDefinition[],
  period: Period,
): ReturnFormField[] {
  return indicators
    .filter((indicator) => isReportedIn(indicator, period) && kindOf(indicator) !== 'derived')
    .map((indicator) => ({
      code: indicator.code,
      id: `v_${indicator.code}`,
      name: indicator.name,
      group: indicator.group ?? null,
      unit: indicator.unit,
      kind: indicator.breakdown
        ? 'breakdown'
        : indicator.unit === 'yes-no'
          ? 'yes-no'
          : indicator.unit === 'ratio'
            ? 'ratio'
            : 'number',
      categories: indicator.breakdown?.categories ?? [],
    }));
}

const text = (form: FormBody, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
};

/** A typed number as a number; anything else as typed, for the decider to name what is wrong. */
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const numberOrText = (typed: string): unknown => (NUMBER.test(typed) ? Number(typed) : typed);

/**
 * The values a form gives, shaped as the API's body takes them. A question left blank is left
 * out (a submission then names it as missing); "not applicable" with a reason is given when no
 * value is. Values are not checked here: the decider checks them and names each bad one.
 */
export function valuesFromForm(
  fields: readonly ReturnFormField[],
  form: FormBody,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const value = typedValue(field, form);
    const notApplicableReason = text(form, `${field.id}_na`);
    if (value !== undefined) values[field.code] = value;
    else if (notApplicableReason !== '')
      values[field.code] = { notApplicable: true, reason: notApplicableReason };
  }
  return values;
}

function typedValue(field: ReturnFormField, form: FormBody): unknown {
  switch (field.kind) {
    case 'number': {
      const typed = text(form, field.id);
      return typed === '' ? undefined : numberOrText(typed);
    }
    case 'yes-no': {
      const typed = text(form, field.id);
      return typed === 'yes' ? true : typed === 'no' ? false : undefined;
    }
    case 'ratio': {
      const numerator = text(form, `${field.id}_numerator`);
      const denominator = text(form, `${field.id}_denominator`);
      if (numerator === '' && denominator === '') return undefined;
      return { numerator: numberOrText(numerator), denominator: numberOrText(denominator) };
    }
    case 'breakdown': {
      const typed = field.categories.map((_c, i) => text(form, `${field.id}_part_${i}`));
      if (typed.every((part) => part === '')) return undefined;
      return {
        parts: Object.fromEntries(field.categories.map((c, i) => [c, numberOrText(typed[i]!)])),
      };
    }
  }
}

/** A stored value written back into the form's inputs (an amendment starts from them). */
export function formFromValues(
  fields: readonly ReturnFormField[],
  values: Record<string, unknown>,
): Record<string, string> {
  const form: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.code];
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && 'notApplicable' in value) {
      form[`${field.id}_na`] = String((value as unknown as { reason: unknown }).reason);
    } else if (field.kind === 'yes-no') form[field.id] = value === true ? 'yes' : 'no';
    else if (field.kind === 'ratio' && typeof value === 'object') {
      const { numerator, denominator } = value as { numerator: number; denominator: number };
      form[`${field.id}_numerator`] = String(numerator);
      form[`${field.id}_denominator`] = String(denominator);
    } else if (field.kind === 'breakdown' && typeof value === 'object') {
      const parts = (value as { parts: Record<string, number> }).parts;
      field.categories.forEach((c, i) => {
        if (parts[c] !== undefined) form[`${field.id}_part_${i}`] = String(parts[c]);
      });
    } else form[field.id] = String(value);
  }
  return form;
}

/** The values that differ from the stored ones: an amendment gives only what it changes. */
export function changedValues(
  values: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(
      ([code, value]) => JSON.stringify(value) !== JSON.stringify(stored[code]),
    ),
  );
}

/** An error summary's entry: what is wrong, linking to the input it is about. */
export interface ErrorSummaryItem {
  text: string;
  href: string;
}

/**
 * The decider's field problems as the GOV.UK error summary lists them, each naming the
 * indicator and linking to its input (`values.EDU` → `#v_EDU`, `values.X.numerator` →
 * `#v_X_numerator`; a member without an input of its own links to the indicator's first).
 */
export function errorSummary(
  problems: readonly FieldProblem[],
  fields: readonly ReturnFormField[],
): ErrorSummaryItem[] {
  return problems.map(({ field, reason }) => {
    const [top, code, member] = field.split('.');
    const indicator = top === 'values' ? fields.find((f) => f.code === code) : undefined;
    if (!indicator) {
      // A reason written as a sentence (the page's own) stands alone; the decider's name the field.
      const text = /^[A-Z]/.test(reason) ? reason : `${field} ${reason}`;
      return { text, href: `#${field.replace(/\W/g, '_')}` };
    }
    return {
      text: `${indicator.name} (${indicator.code}) ${reason}`,
      href: `#${firstInputOf(indicator, member)}`,
    };
  });
}

function firstInputOf(field: ReturnFormField, member: string | undefined): string {
  if (field.kind === 'ratio')
    return `${field.id}_${member === 'denominator' ? 'denominator' : 'numerator'}`;
  if (field.kind === 'breakdown') return `${field.id}_part_0`;
  return field.id;
}
