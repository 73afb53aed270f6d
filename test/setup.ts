// Runs before every test file: whatever a test opened (sockets, server processes) is closed after
// it, and whatever a file shared is closed after the file, even when a check fails half-way.
import { afterAll, afterEach } from 'vitest';
import { cleanupAll } from '../tools/harness/cleanup.ts';

afterEach(() => cleanupAll('test'));
afterAll(() => cleanupAll());
