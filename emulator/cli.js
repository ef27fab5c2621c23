#!/usr/bin/env node
// Runs the emulator on its own: `node emulator/cli.js [--port N] [--api-key K]`.
// The first line of stdout is exactly `emulator listening on <url>`, for scripts that wait for it.
import { startEmulator } from './server.js'

/** @param {string[]} args */
function parseArgs(args) {
  /** @type {{ port?: number, apiKey?: string }} */
  const options = {}
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]
    const [flag, inlineValue] = arg.split(/=(.*)/s, 2) // accepts both `--port 8080` and `--port=8080`
    const value = inlineValue ?? args[++index]
    if (flag === '--port' && /^\d+$/.test(value ?? '')) options.port = Number(value)
    else if (flag === '--api-key' && value) options.apiKey = value
    else throw new Error(`usage: node emulator/cli.js [--port N] [--api-key K] (could not read ${arg})`)
  }
  return options
}

let emulator
try {
  emulator = await startEmulator(parseArgs(process.argv.slice(2)))
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
}

if (emulator !== undefined) {
  const running = emulator
  console.log(`emulator listening on ${running.url}`)
  const stop = () => {
    running.close().then(() => console.error('emulator stopped'))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
