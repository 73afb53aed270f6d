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
      // A check that ended before a look found its processes is asked for again (r), 3 times at most.
      let pressed = 0;
      const again = () => {
        const ended = (outer.output().match(/save a file to check again/g) ?? []).length;
        if (ended <= pressed || pressed === 3) return;
        pressed++;
        outer.stdin!.write('r', () => {});
      };
      const seen = await waitFor(workbook.pid!, [/check-child\.ts/, /02-basic-server\/server\.ts/], 40_000, outer, again);
      await waitSpinning(workbook.pid!, /02-basic-server\/server\.ts/);
      await expectAllGone(workbook, signal, new Map([...seen, ...descendants(workbook.pid!)]));
    });
  }
});
