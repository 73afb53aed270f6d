// The files lab 09's checker serves, made afresh for each run in a folder of its own under the
// system's temp folder: seeded contents (the same bytes on every run), the sizes that matter to a
// TFTP server, and the ways out of its root that it must refuse. The folder is removed after the
// checker file.
//
//   <dir>/files/            the root, given to the server as --root
//     b0.bin … b513.bin     0, 511, 512 and 513 bytes
//     …                     one file per check (see FILES), twenty for the twenty clients
//     sub/                  a folder (not a file)
//     link-out.txt          → <dir>/outside/secret.txt
//     link-dir              → <dir>/outside
//   <dir>/outside/secret.txt        out of the root
//   <dir>/files-private/secret.txt  a sibling whose name starts like the root's

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Random } from '../../../tools/udp/random.ts';
import { track } from '../../../tools/harness/cleanup.ts';

/** Blocks of 8 bytes up to 65,535 and then a last one of 5: its number on the wire is 0. */
export const WRAP_SIZE = 65_535 * 8 + 5;

export const FILES = {
  b0: 0,
  b511: 511,
  b512: 512,
  b513: 513,
  big: 1024 * 1024,
  wrap: WRAP_SIZE,
  small: 3000,
  max: 70_000,
  window: 40 * 512 + 100,
  loss: 6 * 512 + 77,
  random: 64 * 1024 + 300,
  apprentice: 30 * 512 + 10,
  tid: 5 * 512 + 33,
  curl: 50 * 1024 + 99,
} as const;

export type FileName = keyof typeof FILES;

export const TWENTY = Array.from({ length: 20 }, (_, i) => `client-${String(i + 1).padStart(2, '0')}.bin`);

export interface Fixtures {
  dir: string;
  root: string;
  /** The contents of a file in the root, by name; the large ones are written when first asked for. */
  contents: (name: string) => Buffer;
  outside: string;
  sibling: string;
}

/** Written only when a check asks for them: a run of a few checks should not pay for a megabyte. */
const LAZY = new Set(['big.bin', 'wrap.bin']);

/** `n` bytes from a seed, four at a time. */
export function seededBytes(seed: number, n: number): Buffer {
  const random = new Random(seed);
  const out = Buffer.alloc(n + 3);
  for (let i = 0; i < n; i += 4) out.writeUInt32LE(Math.floor(random.next() * 0x1_0000_0000), i);
  return out.subarray(0, n);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Creates the folder now (the server needs --root when the checker loads) and removes it after the file. */
export function createFixtures(): Fixtures {
  const dir = mkdtempSync(path.join(tmpdir(), 'workbook-09-'));
  track(() => rmSync(dir, { recursive: true, force: true }), 'file');
  const root = path.join(dir, 'files');
  const outside = path.join(dir, 'outside');
  const sibling = path.join(dir, 'files-private');
  for (const d of [root, path.join(root, 'sub'), outside, sibling]) mkdirSync(d, { recursive: true });
  const made = new Map<string, Buffer>();
  const make = new Map<string, () => Buffer>();
  let seed = 9000;
  const add = (name: string, data: () => Buffer) => {
    const write = () => {
      const bytes = data();
      writeFileSync(path.join(root, name), bytes);
      made.set(name, bytes);
      return bytes;
    };
    if (LAZY.has(name)) make.set(name, write);
    else write();
  };
  for (const [name, size] of Object.entries(FILES)) {
    const s = ++seed;
    add(`${name}.bin`, () => seededBytes(s, size));
  }
  TWENTY.forEach((name, i) => {
    const s = ++seed;
    add(name, () => seededBytes(s, 2000 + i * 301));
  });
  const contents = (name: string) => made.get(name) ?? make.get(name)!();
  writeFileSync(path.join(outside, 'secret.txt'), 'secret: out of the root\n');
  writeFileSync(path.join(sibling, 'secret.txt'), 'secret: in a sibling of the root\n');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link-out.txt'));
  symlinkSync(outside, path.join(root, 'link-dir'));
  return { dir, root, contents, outside, sibling };
}
