/** A urlencoded form as the body parser gives it: a name → one value or several. */
export type FormBody = Record<string, string | string[] | undefined>;

/** A form field's text (its first value when sent twice); '' when absent. */
export function formText(form: FormBody | undefined, name: string): string {
  const value = form?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a field sent several times (checkboxes); [] when absent. */
export function formTexts(form: FormBody | undefined, name: string): string[] {
  const value = form?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
