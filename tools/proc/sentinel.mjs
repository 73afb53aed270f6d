// The sentinel (see guard.ts): started by a workbook process that starts other processes, in a
// session of its own. It reads "+PID" and "-PID" lines on stdin: the process groups its parent
// has started and seen end. When stdin ends, its parent has ended, however it ended (Ctrl+C, a
// closed terminal, SIGTERM, even SIGKILL, which nothing can catch): it then ends every group still
// listed, with SIGTERM and, a second later, SIGKILL, and exits. Plain JavaScript, no TypeScript:
// it starts in a few milliseconds.
const groups = new Set();
let buffered = '';

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

function signalAll(signal) {
  for (const pid of groups) {
    try {
      process.kill(-pid, signal);
    } catch {
      groups.delete(pid); // already gone
    }
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  let end;
  while ((end = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, end).trim();
    buffered = buffered.slice(end + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 1) continue;
    if (line.startsWith('+')) groups.add(pid);
    else if (line.startsWith('-')) groups.delete(pid);
  }
});
const finish = () => {
  signalAll('SIGTERM');
  if (groups.size === 0) process.exit(0);
  setTimeout(() => {
    signalAll('SIGKILL');
    process.exit(0);
  }, 1000);
};
process.stdin.on('end', finish);
process.stdin.on('error', finish);
