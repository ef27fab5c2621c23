/** Where an operation writes its log lines: the runner's log, with the key redacted and the agent named in a fleet. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}
