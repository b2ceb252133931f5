// Each thread's heartbeat: a counter that a long kernel (an SVC pair's solver, a tree's growth)
// bumps as it makes progress. The thread waiting for the others reads them
// (src/runtime/pool.ts) to tell a slow thread, which beats, from a dead one, which does not.
// Static data below the heap: every instance on the shared memory sees the same counters.

/** Counters for up to 64 threads (the pool has at most 48). */
const HEARTBEATS: usize = memory.data(64 * 4, 16);

/** Where the counters are: i32 per thread, thread t at heartbeats() + 4t. */
export function heartbeats(): usize {
  return HEARTBEATS;
}

/** Thread `thread` made progress. */
// @ts-ignore: decorator
@inline export function beat(thread: i32): void {
  const at = HEARTBEATS + (<usize>(thread & 63) << 2);
  if (ASC_FEATURE_THREADS) atomic.add<i32>(at, 1);
  else store<i32>(at, load<i32>(at) + 1);
}
