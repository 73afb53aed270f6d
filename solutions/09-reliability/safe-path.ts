// Lab 09 · Reliability: which file a filename names, and whether it may go.
//
// The server serves the files under its root folder (--root), and nothing
// else. A filename is relative to the root. Refused with ERROR 2, access
// violation, whether the file exists or not:
//   - an absolute filename ("/etc/passwd");
//   - a filename that leads out of the root ("../x", "a/../../x", and
//     "../files-old/x" when the root is ".../files": a sibling folder whose
//     name merely starts like the root's);
//   - a filename that stays inside, but reaches a symbolic link that points
//     out ("link/x", where link -> /etc).
// A name with ".." that stays inside ("a/../b.txt") is fine. A file that
// does not exist, or is not a regular file (a folder), is ERROR 1.

import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ERR } from './packets.ts';

export type Resolved =
  | { ok: true; file: string }
  | { ok: false; code: number; message: string };

/** Whether `target` is `root` itself or lies under it. */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  // Not rel.startsWith('..'): a file called "..notes" is inside. And not
  // target.startsWith(root): "/srv/files-old" starts with "/srv/files".
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(rel);
}

/** `root` must be a real path already: `await realpath(root)`. */
export async function resolveInRoot(
  root: string,
  filename: string,
): Promise<Resolved> {
  const denied = { ok: false, code: ERR.ACCESS } as const;
  if (path.isAbsolute(filename)) {
    return { ...denied, message: 'absolute paths are not served' };
  }
  // First the name as written: no ".." may climb out of the root.
  const lexical = path.resolve(root, filename);
  if (!isInside(root, lexical)) {
    return { ...denied, message: 'the path leads out of the root' };
  }
  // Then the file as it really is, every symbolic link followed.
  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    return { ok: false, code: ERR.NOT_FOUND, message: 'file not found' };
  }
  if (!isInside(root, real)) {
    return { ...denied, message: 'a symbolic link leads out of the root' };
  }
  if (!(await stat(real)).isFile()) {
    return { ok: false, code: ERR.NOT_FOUND, message: 'not a file' };
  }
  return { ok: true, file: real };
}
