import { run } from './main.js'

// A cancelled workflow gets SIGINT, then SIGTERM. The first stops all waiting (a write in flight may
// finish, so its outcome is known and reported); the second abandons that write too.
const cancel = new AbortController()
const abandon = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.exitCode = 1
    if (!cancel.signal.aborted) return cancel.abort()
    abandon.abort()
    // Reporting takes milliseconds; this only guards against something that will not let go.
    setTimeout(() => process.exit(1), 2000).unref()
  })
}

await run(cancel.signal, abandon.signal)
