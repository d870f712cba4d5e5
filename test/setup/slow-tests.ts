// Integration and end-to-end tests talk to real PostgreSQL and Redis; on a 2-core machine
// some (16 writers x 1,000 batches, a worker restart) take tens of seconds.
jest.setTimeout(120_000);
