/**
 * Work items (include/linux/workqueue.h), enough for deferred freeing: a work
 * item runs when the system workqueue is flushed — in a scenario, by
 * flush_scheduled_work() or at the end of the scenario. A work item that is
 * already pending is not queued twice, as schedule_work() returns false then.
 */
import { kernelState, type WorkStruct } from "./state.js";

export type { WorkStruct as work_struct };

/**
 * DECLARE_WORK / INIT_WORK: a work item that runs `func`.
 *
 * Differs from the C in its arguments: the kernel initialises a `struct work_struct` the caller
 * already has (`INIT_WORK(&w->work, func)`); TypeScript has no uninitialised struct, so
 * `INIT_WORK(func)` returns the initialised item and the caller stores it. `name` (default: the
 * function's name) labels it in reports.
 *
 * @c #define INIT_WORK(_work, _func)
 * @kernel include/linux/workqueue.h
 * @example
 * ```c
 * INIT_WORK(&w->work, my_work_func);
 * schedule_work(&w->work);
 * flush_work(&w->work);
 * ```
 * ```ts
 * import { flush_work, INIT_WORK, schedule_work, type work_struct } from "memdesc/sim";
 *
 * export function my_work_func(_work: work_struct): void {}
 *
 * export function kick(): boolean {
 *   const work = INIT_WORK(my_work_func);
 *   schedule_work(work);
 *   return flush_work(work);
 * }
 * ```
 */
export function INIT_WORK(func: (work: WorkStruct) => void, name = func.name || "work"): WorkStruct {
  return { func, name };
}

/**
 * schedule_work(work): queue on the system workqueue; false if already pending.
 *
 * @c static inline bool schedule_work(struct work_struct *work)
 * @kernel include/linux/workqueue.h
 */
export function schedule_work(work: WorkStruct): boolean {
  const s = kernelState();
  if (s.pending.includes(work)) return false;
  s.pending.push(work);
  return true;
}

/**
 * flush_work(work): run `work` now if it is pending; true if it ran.
 *
 * @c extern bool flush_work(struct work_struct *work)
 * @kernel include/linux/workqueue.h
 */
export function flush_work(work: WorkStruct): boolean {
  const s = kernelState();
  const i = s.pending.indexOf(work);
  if (i < 0) return false;
  s.pending.splice(i, 1);
  work.func(work);
  return true;
}

/**
 * flush_scheduled_work(): run every pending work item, including ones queued meanwhile.
 *
 * @c #define flush_scheduled_work()
 * @kernel include/linux/workqueue.h
 */
export function flush_scheduled_work(): void {
  const s = kernelState();
  for (let guard = 0; s.pending.length > 0; guard++) {
    if (guard > 1_000_000) throw new Error("flush_scheduled_work: work items keep requeueing themselves");
    const w = s.pending.shift()!;
    w.func(w);
  }
}
