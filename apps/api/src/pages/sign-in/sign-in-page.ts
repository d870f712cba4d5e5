/** What the sign-in template shows, beside the layout. */
export interface SignInPage {
  email: string;
  /** The organisation id typed to sign in through the organisation's identity provider. */
  organisation: string;
  returnTo: string;
  /** A banner above the forms: signed out, or an invitation just accepted. */
  notice: 'signed-out' | 'invitation-accepted' | null;
  errors: { text: string; href: string }[];
  errorOf: Record<string, string>;
}

/** The sign-in page with nothing typed yet, coming back to `returnTo` after. */
export function blankSignInPage(returnTo: string): SignInPage {
  return { email: '', organisation: '', returnTo, notice: null, errors: [], errorOf: {} };
}

/** The page with these problems, each `[field, text]`: in the summary and at its field. */
export function withProblems(page: SignInPage, problems: string[][]): SignInPage {
  const errors = problems.map(([field, text]) => ({ text: text!, href: `#${field!}` }));
  const errorOf = Object.fromEntries(problems.map(([field, text]) => [field!, text!]));
  return { ...page, errors, errorOf };
}
