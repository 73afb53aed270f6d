// Nothing left running after any signal to the workbook during a check whose lab server is stuck
// in an endless loop (support.ts).
import { afterAll, describe, it } from 'vitest';
import { SIGNALS, cleanUp, descendants, expectAllGone, start, stuckLabs, waitFor, waitSpinning } from './support.ts';

afterAll(cleanUp);

// A busy machine (the whole suite at once) can take a while to start a check: the waits are long, and end as soon as they can.
describe.runIf(process.platform === 'linux')('nothing the workbook started outlives it', { timeout: 90_000 }, () => {
  for (const signal of SIGNALS) {
    it(`after ${signal} during a check whose server is stuck in an endless loop`, async () => {
      const dir = stuckLabs();
      const workbook = start(['check', '02'], dir);
      const seen = await waitFor(workbook.pid!, [/02-basic-server\/server\.ts/], 40_000, workbook);
      // The server has its first datagram, and spins: it writes nothing more, so only being
      // stopped can end it.
      await waitSpinning(workbook.pid!, /02-basic-server\/server\.ts/);
      await expectAllGone(workbook, signal, new Map([...seen, ...descendants(workbook.pid!)]));
    });
  }
});
