import type { TestRun } from '../api/shapes.js'
import type { RunReport } from './verdict.js'

/**
 * The wait's progress in the log at a steady pace, whatever the number of runs or polls:
 * a line every `everyMs`, a line at once for a run that failed, and a last line at the end.
 */
export class ProgressLog {
  private readonly latest = new Map<string, { passed: number; failed: number; total: number }>()
  private finished = 0
  private failedRuns = 0
  private readonly timer: ReturnType<typeof setInterval>

  constructor(
    private readonly runs: number,
    private readonly info: (message: string) => void,
    everyMs = 20_000
  ) {
    this.timer = setInterval(() => this.info(this.line()), everyMs)
    this.timer.unref()
  }

  polled(run: TestRun): void {
    this.latest.set(run.id, { passed: run.passedCount, failed: run.failedCount + run.errorCount, total: run.testCaseCount })
  }

  finishedRun(report: RunReport): void {
    this.finished++
    this.latest.set(report.id, { passed: report.passed, failed: report.failed + report.errored, total: report.total })
    if (report.state !== 'passed') {
      this.failedRuns++
      this.info(`Test run ${report.id} ${report.state}${report.note ? ` (${report.note})` : ''}: ${report.passed}/${report.total} cases passed`)
    }
  }

  stop(): void {
    clearInterval(this.timer)
  }

  line(): string {
    let passed = 0
    let failed = 0
    let total = 0
    for (const counts of this.latest.values()) {
      passed += counts.passed
      failed += counts.failed
      total += counts.total
    }
    const runs = `${this.finished}/${this.runs} test runs finished${this.failedRuns > 0 ? ` (${this.failedRuns} did not pass)` : ''}`
    return `${runs}; cases so far: ${passed} passed, ${failed} failed or errored${total > 0 ? ` of ${total}` : ''}`
  }
}
