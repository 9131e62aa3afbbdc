// The notifier's per-resource queues (protocol webhook/resource_queue.go): events of one resource
// (one egress, one room, …) go out one at a time and in order, so a slow or retried egress_started
// is never overtaken by its egress_ended, while other resources are not held up.
export interface ResourceQueues {
  /**
   * Runs `task` after the tasks queued earlier under `key`; `queuedMs` is how long it waited.
   * False, and `task` never runs, when `maxDepth` tasks are already waiting under `key`.
   */
  enqueue(key: string, task: (queuedMs: number) => Promise<void>): boolean;
}

export function createResourceQueues(maxDepth: number): ResourceQueues {
  const queues = new Map<string, { readonly queuedAt: number; readonly task: (queuedMs: number) => Promise<void> }[]>();

  async function drain(key: string): Promise<void> {
    const queue = queues.get(key)!;
    while (queue.length > 0) {
      const { queuedAt, task } = queue[0]!;
      // A task reports its own failure; one that throws must not stall the resource's queue.
      await task(performance.now() - queuedAt).catch(() => {});
      queue.shift();
    }
    queues.delete(key);
  }

  return {
    enqueue(key, task) {
      let queue = queues.get(key);
      const idle = queue === undefined;
      queue ??= [];
      // The task being sent is still in the list; the Go worker has already popped it.
      if (queue.length - (idle ? 0 : 1) >= maxDepth) return false;
      queue.push({ queuedAt: performance.now(), task });
      if (idle) {
        queues.set(key, queue);
        void drain(key);
      }
      return true;
    },
  };
}
