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
  // TODO: 1. This is the check most servers get wrong first: when the root
  //          is /srv/files, "/srv/files-private/key" starts with it too.
  //          Use path.relative(root, target): the target is inside unless
  //          that is "..", starts with ".." and path.sep, or is absolute.
  return target.startsWith(root);
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
  // TODO: 2. path.resolve() only reads the name. Follow every symbolic link
  //          with `await realpath(lexical)` (it fails when there is no such
  //          file: ERROR 1), and refuse with ERROR 2 a real path that is
  //          not inside the root.
  let info;
  try {
    info = await stat(lexical);
  } catch {
    return { ok: false, code: ERR.NOT_FOUND, message: 'file not found' };
  }
  if (!info.isFile()) {
    return { ok: false, code: ERR.NOT_FOUND, message: 'not a file' };
  }
  return { ok: true, file: lexical };
}
