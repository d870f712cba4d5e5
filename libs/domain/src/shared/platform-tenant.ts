/**
 * The tenant id of data that belongs to no organisation but to the platform itself: the
 * England & Wales bank-holiday calendar (`platform:calendar:england-and-wales`). Reserved: no
 * organisation may register under it, so no tenant's token can name those streams.
 */
export const PLATFORM_TENANT_ID = 'platform';
