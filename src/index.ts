import { run } from './main.js'

// A cancelled workflow sends SIGINT, then SIGTERM: stop polling, report what is known, and exit non-zero.
const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    controller.abort()
    process.exitCode = 1
    // Reporting takes milliseconds; this only guards against something that will not let go.
    setTimeout(() => process.exit(1), 3000).unref()
  })
}

await run(controller.signal)
