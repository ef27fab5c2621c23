import { publish } from '../report/outputs.js'
import type { ConfigFor } from '../config/config.js'
import type { Context } from '../step/context.js'
import { gateTestRuns } from '../gate/policy.js'

/** Waits on test runs named by ID alone, without a deployment call. */
export async function wait(ctx: Context<ConfigFor<'wait'>>): Promise<void> {
  const { record, config } = ctx
  record.action = `Waited for ${config.testRunIds.length} test run(s)`
  record.testRunIds = config.testRunIds
  publish(ctx)
  await gateTestRuns(ctx, config.testRunIds)
}
