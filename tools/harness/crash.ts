// Turns what a crashed TypeScript program printed on stderr into the few lines a learner needs:
// the error, where it happened in their file, and a hint. Frames from Node's internals and from
// node_modules (tsx, esbuild) are dropped: they are the tooling's, not the learner's.

import { relativeToRoot } from '../course/paths.ts';

export interface CrashSummary {
  /** The lines worth showing, tooling frames removed. */
  lines: string[];
  /** `labs/02-basic-server/server.ts:12:5` when the error names a place in a .ts file. */
  location?: string;
  hint?: string;
}

const ESBUILD_ERROR = /^(\/.+?\.[cm]?tsx?):(\d+):(\d+): ERROR: (.+)$/;
const FRAME = /^\s+at .*$/;
const FILE_IN_FRAME = /(?:\(|at )(?:file:\/\/)?(\/[^():]+\.[cm]?tsx?):(\d+):(\d+)\)?$/;

export function summariseCrash(stderr: readonly string[]): CrashSummary {
  for (const line of stderr) {
    const m = ESBUILD_ERROR.exec(line);
    if (m) {
      const location = `${relativeToRoot(m[1]!)}:${m[2]}:${m[3]}`;
      return {
        lines: [`Syntax error in ${relativeToRoot(m[1]!)}, line ${m[2]}, column ${m[3]}: ${m[4]}`],
        location,
        hint: 'TypeScript could not read the file. Fix the line it names; your editor underlines it too.',
      };
    }
  }
  const kept = stderr.filter(
    (line) =>
      !/^Node\.js v\d/.test(line) &&
      !/triggerUncaughtException|^\s*\^+\s*$|^node:[\w/]+:\d+$|^node:internal|throw er; \/\/|^Emitted 'error' event|^\s+(errno|syscall|address|port): |^\s*[{}]\s*$/.test(line) &&
      !(FRAME.test(line) && /node:|node_modules/.test(line)),
  );
  const firstOwnFrame = stderr.find((line) => FRAME.test(line) && FILE_IN_FRAME.test(line) && !/node_modules/.test(line));
  const fm = firstOwnFrame ? FILE_IN_FRAME.exec(firstOwnFrame) : null;
  const location = fm ? `${relativeToRoot(fm[1]!)}:${fm[2]}:${fm[3]}` : undefined;
  const text = stderr.join('\n');
  let hint: string | undefined;
  if (/Unhandled 'error' event/.test(text) && /EADDRINUSE/.test(text)) {
    hint = "The port was already in use and nothing listened for the socket's 'error' event, so Node ended the process.";
  } else if (/Unhandled 'error' event/.test(text)) {
    hint = "An 'error' event had no listener, so Node ended the process. Add socket.on('error', ...).";
  } else if (/ERR_MODULE_NOT_FOUND|Cannot find module/.test(text)) {
    hint = 'An import names a file or package that does not exist. Imports of your own files end in .ts.';
  } else if (location) {
    hint = `An exception escaped at ${location}. An exception thrown in a 'message' handler ends the whole server: catch it there.`;
  }
  return { lines: kept.map((l) => l.replace(/file:\/\//g, '')).filter((l) => l.trim() !== ''), location, hint };
}
