/**
 * The solved supply circuit of a hydraulic result, port by port, kept beside
 * the result (not in it, so the result stays small plain data): what the
 * EPANET writer and the 水压图 path need.
 */
/** The solved supply circuit, port by port (what the EPANET writer exports). */
export interface SolvedSupply {
  /** Ports of the networks that were solved. */
  activePort: Uint8Array;
  /** Supply head per port, m. */
  portHead: Float64Array;
  /** Outflow per port, m³/s: stations' flows less flow-set sources' injections. */
  portDemand: Float64Array;
  /** Ports held at a head by a source (pressure-holding or set head). */
  fixedPort: Uint8Array;
  /** Supply flow per graph edge, m³/s (+ along the pipe). */
  edgeFlow: Float64Array;
}
/** Keyed by the result object itself (a HydraulicResult of ./simulate, which imports this file). */
const solvedSupplies = new WeakMap<object, SolvedSupply>();

/** The solved supply circuit of a result from `simulateScenario`. */
export function solvedSupply(r: object): SolvedSupply | undefined {
  return solvedSupplies.get(r);
}

export function attachSolvedSupply(r: object, s: SolvedSupply): void {
  solvedSupplies.set(r, s);
}
