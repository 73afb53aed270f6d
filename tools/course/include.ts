// Includes: a lesson shows a real file, or a marked region of one, so that what a learner reads
// is what runs.
//
//   <!-- include: server.ts -->        the whole file
//   <!-- include: server.ts#bind -->   the lines between `// #region bind` and `// #endregion bind`
//
// The comment must be alone on its line (outside code fences); the path is relative to the
// lesson's folder. The file becomes a fenced code block in its language (`.ts` → `ts`), titled
// with the path, indented like the comment. Region marker lines (`#region` / `#endregion` after
// `//`, `#`, `/*` or `<!--`) never appear in the output, whichever region is shown, and a
// region's common indentation is removed. A missing file or region becomes a problem (line and
// what is missing) and, in the text, a warning in place of the code.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface IncludeProblem {
  /** 1-based line of the include comment in the markdown. */
  line: number;
  /** What the comment asked for: "server.ts#bind". */
  include: string;
  /** What is missing, e.g. `server.ts has no region "bind" (mark it with // #region bind … // #endregion bind)`. */
  message: string;
}

const DIRECTIVE = /^(\s*)<!--\s*include:\s*(\S+?)\s*-->\s*$/;
const MARKER = /^\s*(?:\/\/|#|\/\*|<!--)\s*#(region|endregion)\b[ \t]*([^\s*]*)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LANGUAGES: Record<string, string> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json', '.py': 'python', '.sh': 'sh', '.md': 'md' };

export function resolveIncludes(markdown: string, baseDir: string): { markdown: string; problems: IncludeProblem[] } {
  const problems: IncludeProblem[] = [];
  let fence: string | undefined; // the open fence's marker, while inside one
  const lines = markdown.split('\n').flatMap((text, i) => {
    const fenceMark = FENCE.exec(text)?.[1];
    if (fence !== undefined) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && text.trim() === fenceMark) fence = undefined;
      return [text];
    }
    if (fenceMark) {
      fence = fenceMark;
      return [text];
    }
    const directive = DIRECTIVE.exec(text);
    if (!directive) return [text];
    const [, indent = '', include = ''] = directive;
    const found = readInclude(baseDir, include);
    if ('missing' in found) {
      problems.push({ line: i + 1, include, message: found.missing });
      return [`> **Warning**`, `> Missing include on line ${i + 1}: ${found.missing}`].map((l) => indent + l);
    }
    const file = include.split('#')[0]!;
    const ticks = '`'.repeat(Math.max(3, ...[...found.code.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    const lang = LANGUAGES[path.extname(file).toLowerCase()] ?? '';
    return [`${ticks}${lang} ${file}`, ...found.code.split('\n'), ticks].map((l) => (l === '' ? l : indent + l));
  });
  return { markdown: lines.join('\n'), problems };
}

/** The text an include names ("file" or "file#region"), or what is missing. */
function readInclude(baseDir: string, include: string): { code: string } | { missing: string } {
  const [file = '', region] = include.split('#');
  const full = path.resolve(baseDir, file);
  let text: string;
  try {
    if (!statSync(full).isFile()) return { missing: `${file} is not a file` };
    text = readFileSync(full, 'utf8');
  } catch {
    return { missing: `there is no file ${file}` };
  }
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  if (region === undefined) return { code: lines.filter((l) => !MARKER.test(l)).join('\n') };

  const how = `(mark it with // #region ${region} … // #endregion ${region})`;
  const start = lines.findIndex((l) => {
    const m = MARKER.exec(l);
    return m?.[1] === 'region' && m[2] === region;
  });
  if (start < 0) return { missing: `${file} has no region "${region}" ${how}` };
  const end = regionEnd(lines, start, region);
  if (end < 0) return { missing: `region "${region}" in ${file} has no end ${how}` };
  const body = lines.slice(start + 1, end).filter((l) => !MARKER.test(l));
  while (body.length > 0 && body[0]!.trim() === '') body.shift();
  while (body.length > 0 && body.at(-1)!.trim() === '') body.pop();
  if (body.length === 0) return { missing: `region "${region}" in ${file} is empty` };
  return { code: dedent(body).join('\n') };
}

/** The line that ends the region opened on line `start`: its named `#endregion`, or an unnamed one at the same depth. */
function regionEnd(lines: string[], start: number, name: string): number {
  let depth = 0;
  for (let i = start + 1; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]!);
    if (!m) continue;
    if (m[1] === 'region') depth++;
    else if (m[2] === name || (m[2] === '' && depth === 0)) return i;
    else depth = Math.max(0, depth - 1);
  }
  return -1;
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = Math.min(...indents);
  return lines.map((l) => l.slice(common));
}
