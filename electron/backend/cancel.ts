/**
 * Work the UI can stop by its run id (`analysis:cancel`) besides the
 * analyses: an import registers here while it reads, and a cancel makes its
 * next checkpoint throw ImportCancelled (nothing is written).
 */
const running = new Map<string, () => void>();

/** Register a run's cancel; returns the function that unregisters it. */
export function registerCancel(runId: string, cancel: () => void): () => void {
  running.set(runId, cancel);
  return () => {
    if (running.get(runId) === cancel) running.delete(runId);
  };
}

/** Cancel a registered run; false when none has that id. */
export function cancelRun(runId: string): boolean {
  const c = running.get(runId);
  c?.();
  return !!c;
}
