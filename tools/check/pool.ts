/** Runs tasks at most `size` at a time, in the order they were added. */
export class Pool {
  private readonly size: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly all: Promise<unknown>[] = [];

  constructor(size: number) {
    this.size = Math.max(1, size);
  }

  add<T>(task: () => Promise<T>): Promise<T> {
    const result = this.slot().then(async () => {
      try {
        return await task();
      } finally {
        this.running--;
        this.waiting.shift()?.();
      }
    });
    this.all.push(result.catch(() => {}));
    return result;
  }

  /** Resolves when every task added so far has settled. */
  async idle(): Promise<void> {
    await Promise.all(this.all);
  }

  private slot(): Promise<void> {
    if (this.running < this.size) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }
}
