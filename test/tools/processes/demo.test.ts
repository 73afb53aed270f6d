// Nothing left running after any signal to the workbook while its demo server runs (support.ts).
import { afterAll, describe, it } from 'vitest';
import { SIGNALS, cleanUp, expectAllGone, start, stuckLabs, waitFor, waitForOutput } from './support.ts';

afterAll(cleanUp);

describe.runIf(process.platform === 'linux')('nothing the workbook started outlives it', { timeout: 90_000 }, () => {
  for (const signal of SIGNALS) {
    it(`after ${signal} during the demo`, async () => {
      const dir = stuckLabs();
      const workbook = start(['demo', '02', '--serve'], dir);
      // Once it says so, the demo server is up: it writes nothing more unless spoken to.
      await waitForOutput(workbook, /is running on/);
      const seen = await waitFor(workbook.pid!, [/lessons\/02-basic-server\/server\.ts/], 40_000, workbook);
      await expectAllGone(workbook, signal, seen);
    });
  }
});
