import argon2 from 'argon2';
import { InvalidCommandError } from '@kpi/domain';

/** The shortest password accepted: length is what makes a password hard to guess. */
export const MINIMUM_PASSWORD_LENGTH = 12;

/** Why a password is refused (field `password`), or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): string | undefined {
  if ([...password].length < MINIMUM_PASSWORD_LENGTH) {
    return `must be at least ${MINIMUM_PASSWORD_LENGTH} characters`;
  }
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    return 'must not be your email address';
  }
  return undefined;
}

export function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw InvalidCommandError.of('password', problem);
}

/** argon2id with the package's defaults (64 MiB, 3 passes, 4 lanes), salted per hash. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function passwordMatches(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password);
}

/**
 * A hash of no one's password, checked when the email is unknown, so an unknown email takes
 * as long to refuse as a wrong password (the time does not tell who has an account).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('not anybody’s password');
  return decoyHash;
}
