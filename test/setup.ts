// Run before every test file, by vitest and by the fast runner alike (tools/check/settings.ts):
// whatever a test opened (sockets, server processes) is closed after it, and whatever a file
// shared is closed after the file, even when a check fails half-way. Under vitest, the checked
// tree comes from the environment; the fast runner sets it itself before the file loads.
import { afterAll, afterEach } from 'vitest';
import { cleanupAll } from '../tools/harness/cleanup.ts';
import { contextFromEnv, hasCheckContext, setCheckContext } from '../tools/harness/context.ts';

if (!hasCheckContext()) setCheckContext(contextFromEnv(process.env));

afterEach(() => cleanupAll('test'));
afterAll(() => cleanupAll());
