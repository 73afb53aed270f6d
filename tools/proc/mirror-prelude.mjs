// Runs first in a program started from its compiled copy in the cache (mirror.ts, `?root=` the
// copies' folder): process.argv[1] names the program's own file again, as under the loader.
// (Node gives the copy as it was named, through a link or not: the folder given matches it.)
import path from 'node:path';

const root = new URL(import.meta.url).searchParams.get('root');
const main = process.argv[1];
if (root && main && main.startsWith(root + path.sep) && main.endsWith('.mjs')) process.argv[1] = main.slice(root.length, -'.mjs'.length);
