// Nothing left running after the terminal closes (SIGHUP) or the workbook is killed (SIGKILL)
// during a check in watch mode, whose lab server is stuck in an endless loop (support.ts).
import { afterAll, describe, it } from 'vitest';
import { cleanUp, descendants, expectAllGone, start, stuckLabs, waitFor, waitSpinning, workbookOf } from './support.ts';

afterAll(cleanUp);

describe.runIf(process.platform === 'linux')('nothing the workbook started outlives it', { timeout: 90_000 }, () => {
  for (const signal of ['SIGHUP', 'SIGKILL'] as const) {
    it(`after ${signal} during a check in watch mode`, async () => {
      const dir = stuckLabs();
      const outer = start(['watch', '02'], dir, true);
      const workbook = await workbookOf(outer, true);
      const seen = await waitFor(workbook.pid!, [/check-child\.ts/, /02-basic-server\/server\.ts/], 40_000, outer);
      await waitSpinning(workbook.pid!, /02-basic-server\/server\.ts/);
      await expectAllGone(workbook, signal, new Map([...seen, ...descendants(workbook.pid!)]));
    });
  }
});
