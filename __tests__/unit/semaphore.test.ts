import { describe, it, expect } from '@jest/globals'
import { Semaphore } from '../../src/api/semaphore.js'

/** Lets every settled promise's callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('Semaphore', () => {
  it('lets `size` holders in at once and the next one in as each gives its turn back, in order', async () => {
    const turns = new Semaphore(2)
    const entered: number[] = []
    for (const holder of [1, 2, 3, 4, 5]) void turns.take().then(() => entered.push(holder))
    await settle()
    expect(entered).toEqual([1, 2])

    turns.give()
    await settle()
    expect(entered).toEqual([1, 2, 3])

    turns.give()
    turns.give()
    await settle()
    expect(entered).toEqual([1, 2, 3, 4, 5])
  })

  it('is free again once every holder has given its turn back', async () => {
    const turns = new Semaphore(1)
    await turns.take()
    turns.give()
    let entered = 0
    void turns.take().then(() => entered++)
    await settle()
    expect(entered).toBe(1)
    // Taken again and not given back: a second taker waits.
    void turns.take().then(() => entered++)
    await settle()
    expect(entered).toBe(1)
  })
})
