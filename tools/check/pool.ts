// A few long-lived check processes (CheckWorker) sharing a queue of checker runs: the self-test's
// hundreds of runs pay for a process start a few times, not once each. A worker that ends (a run
// out of time stops it) is replaced.

import type { Lesson } from '../course/lessons.ts';
import { CheckWorker, type CheckJob } from './child.ts';
import type { FileResult } from './results.ts';

interface Queued {
  lesson: Lesson;
  job: CheckJob;
  done: (result: FileResult) => void;
}

export class CheckPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly queue: Queued[] = [];
  private readonly idle: CheckWorker[] = [];
  private readonly all = new Set<CheckWorker>();
  private busy = 0;
  private closing = false;

  constructor(size: number, timeoutMs = 120_000) {
    this.size = Math.max(1, size);
    this.timeoutMs = timeoutMs;
  }

  run(lesson: Lesson, job: CheckJob): Promise<FileResult> {
    return new Promise((done) => {
      this.queue.push({ lesson, job, done });
      this.next();
    });
  }

  /** Ends every worker once the queue is empty. */
  close(): void {
    for (const worker of this.idle.splice(0)) worker.close();
    this.closing = true;
  }

  private next(): void {
    while (this.queue.length > 0 && this.busy < this.size) {
      const task = this.queue.shift()!;
      let worker = this.idle.pop();
      while (worker?.ended) worker = this.idle.pop();
      if (!worker) {
        worker = new CheckWorker(this.timeoutMs);
        this.all.add(worker);
      }
      this.busy++;
      const w = worker;
      void w.run(task.lesson, task.job).then((result) => {
        this.busy--;
        if (this.closing && this.queue.length === 0) w.close();
        else if (!w.ended) this.idle.push(w);
        task.done(result);
        this.next();
      });
    }
  }
}
