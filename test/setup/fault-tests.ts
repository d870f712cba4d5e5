// Fault tests stop and restart services and processes under the app and hold an outage
// for its whole length (Redis: 30 s): each may take a few minutes on a 2-core machine.
jest.setTimeout(300_000);
