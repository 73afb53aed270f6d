// `npm start -- doctor`: is this machine ready for the workbook? Each need tried for real, with a
// ✔ or ✘ and, for a ✘, what to do (tools/workbook/doctor.ts). Exit 1 when something essential is
// missing; a ✘ that only skips some checks (no 127.0.0.2, no curl) still exits 0.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { discoverLessons } from '../../course/lessons.ts';
import { TREES } from '../../course/paths.ts';
import { writeLine } from '../../term/io.ts';
import { makeStyle } from '../../term/style.ts';
import { defineCommand } from '../command.ts';

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'check that this machine has what the workbook needs',
  async run(_input, io) {
    const st = makeStyle(io.color);
    const { examine } = await import('../../workbook/doctor.ts');
    const { TSX_IMPORT } = await import('../../harness/server-process.ts');
    const labs = io.env.WORKBOOK_TARGET ? path.resolve(io.root, io.env.WORKBOOK_TARGET) : TREES.labs;
    const findings = await examine({ root: io.root, labs, tsxImport: TSX_IMPORT, ports: defaultPorts(io.root) });
    for (const f of findings) {
      writeLine(io.stdout, `${f.ok ? st.ok('✔') : f.optional ? st.warn('✘') : st.fail('✘')} ${f.what}: ${f.found}`);
      if (!f.ok && f.fix) writeLine(io.stdout, `    ${f.fix}`);
    }
    const essential = findings.filter((f) => !f.ok && !f.optional);
    const optional = findings.filter((f) => !f.ok && f.optional);
    writeLine(io.stdout);
    if (essential.length > 0) writeLine(io.stdout, st.fail(`${essential.length} thing${essential.length === 1 ? '' : 's'} the workbook needs ${essential.length === 1 ? 'is' : 'are'} missing: see above.`));
    else writeLine(io.stdout, st.ok(`Ready.${optional.length ? ` (${optional.length} optional thing${optional.length === 1 ? '' : 's'} missing: the checks that need ${optional.length === 1 ? 'it' : 'them'} are skipped.)` : ''}`));
    return essential.length > 0 ? 1 : 0;
  },
});

/** The ports the demo servers and labs bind by default (their --port defaults). */
function defaultPorts(root: string): number[] {
  const ports = new Set<number>();
  for (const lesson of discoverLessons(root)) {
    for (const file of [path.join(lesson.dir, 'server.ts'), path.join(root, 'solutions', lesson.slug, 'server.ts')]) {
      if (!existsSync(file)) continue;
      const m = /port:\s*\{[^}]*default:\s*'(\d+)'/.exec(readFileSync(file, 'utf8'));
      if (m) ports.add(Number(m[1]));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
