// Agent Studio branches off main, and merging them back, as the ADK's client sees it: a merge with
// conflicts answers 400 and is sent again with a resolution for each conflicting path.
import { ApiError } from './errors.js'
import { uuidLike } from './test-runs.js'

/**
 * @typedef {{ path: string[], type: 'add' | 'modify' | 'delete', baseValue?: unknown, oursValue?: unknown,
 *   theirsValue?: unknown }} Conflict
 * @typedef {{ branchId: string, name: string, parentBranchId: string, parentSequence: string,
 *   isDiverged: boolean, conflicts: Conflict[] }} Branch
 */

/** The conflict answer carries no error envelope: the ADK reads `hasConflicts` and `conflicts` from the body. */
export class MergeConflict extends ApiError {
  /** @param {Conflict[]} conflicts */
  constructor(conflicts) {
    super(400, '', 'The branch has conflicts with main')
    this.body = { hasConflicts: true, conflicts }
  }
}

export class Branches {
  /** @type {Branch[]} */
  #branches = []
  #sequence = 1

  /** main first, then the open branches. */
  list() {
    const main = { branchId: 'main', name: 'main', parentBranchId: null, parentSequence: null, isDiverged: false }
    return [main, ...this.#branches.map(({ conflicts, ...branch }) => ({ ...branch, isDiverged: conflicts.length > 0 }))]
  }

  /** @param {string} name @param {Conflict[]} conflicts */
  add(name, conflicts) {
    /** @type {Branch} */
    const branch = { branchId: uuidLike(Date.now()), name, parentBranchId: 'main', parentSequence: String(this.#sequence), isDiverged: false, conflicts }
    this.#branches.push(branch)
    return { ...branch }
  }

  /**
   * Merges into main when every conflict has a resolution; a merged branch is closed, so it leaves the list.
   * @param {string} branchId @param {{ path: string[], strategy: string }[]} resolutions
   */
  merge(branchId, resolutions) {
    if (branchId === 'main') throw new ApiError(400, 'BRANCH_VALIDATION_FAILED', 'main cannot be merged into itself.')
    const index = this.#branches.findIndex((branch) => branch.branchId === branchId)
    if (index === -1) throw new ApiError(404, 'BRANCH_NOT_FOUND', `Branch ${branchId} does not exist.`)
    const resolved = new Set(resolutions.map((resolution) => JSON.stringify(resolution.path)))
    const open = this.#branches[index].conflicts.filter((conflict) => !resolved.has(JSON.stringify(conflict.path)))
    if (open.length > 0) throw new MergeConflict(open)
    this.#branches.splice(index, 1)
    this.#sequence += 1
    return { sequence: String(this.#sequence) }
  }
}
