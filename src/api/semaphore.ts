/**
 * At most `size` holders at a time; the others wait in order. A waiter costs one small promise, which
 * matters when hundreds of test runs are due at once.
 */
export class Semaphore {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(readonly size: number) {
    this.free = size
  }

  take(): Promise<void> {
    if (this.free > 0) {
      this.free--
      return Promise.resolve()
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  give(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free++
  }
}
