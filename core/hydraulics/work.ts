/**
 * Typed work arrays kept between solves: a solve's temporaries (the Newton
 * step's coefficients, the factor's values, the temperature walk's queues)
 * live only during the call, and allocating them anew each time makes a large
 * network allocate tens of megabytes of short-lived typed arrays per run,
 * which the engine answers with full garbage collections of everything the
 * project holds. Each name is one array, grown when a larger network needs
 * it; the caller owns it until it returns (nothing here may be kept in a
 * result) and must not assume any contents.
 */
const f64 = new Map<string, Float64Array>();
const i32 = new Map<string, Int32Array>();
const u8 = new Map<string, Uint8Array>();
const pools = [f64, i32, u8] as Map<string, { byteLength: number }>[];

/**
 * Up to this size the arrays of one step (the ordering's, the solve's) are kept for the next call
 * (small networks solve again and again); past it releaseWork lets them go once the step is done.
 */
export const STEP_WORK_KEEP_MAX_BYTES = 32 * 1024 * 1024;

function take<T extends Float64Array | Int32Array | Uint8Array>(pool: Map<string, T>, name: string, n: number, make: (n: number) => T): T {
  let a = pool.get(name);
  if (!a || a.length < n) {
    a = make(n);
    pool.set(name, a);
  }
  return a.subarray(0, n) as T;
}

/** The work array `name` of n doubles (contents left from earlier use). */
export const workF64 = (name: string, n: number): Float64Array => take(f64, name, n, (k) => new Float64Array(k));
/** The work array `name` of n 32-bit integers (contents left from earlier use). */
export const workI32 = (name: string, n: number): Int32Array => take(i32, name, n, (k) => new Int32Array(k));
/** The work array `name` of n bytes (contents left from earlier use). */
export const workU8 = (name: string, n: number): Uint8Array => take(u8, name, n, (k) => new Uint8Array(k));

/** Bytes the work arrays hold now. */
export function workBytes(): number {
  let n = 0;
  for (const pool of pools) for (const a of pool.values()) n += a.byteLength;
  return n;
}

/**
 * Let the work arrays go when they hold more than `maxBytes` (a run on a very large network): kept,
 * they would stay in memory for as long as the process runs; a later run makes them anew.
 */
export function trimWork(maxBytes: number): void {
  if (workBytes() <= maxBytes) return;
  for (const pool of pools) pool.clear();
}

/**
 * Let the work arrays whose names start with `prefix` go when together they hold more than
 * `maxBytes`: arrays used once per call of one step (the ordering's), on a network so large that
 * holding them through the rest of the run costs more than making them again.
 */
export function releaseWork(prefix: string, maxBytes = STEP_WORK_KEEP_MAX_BYTES): void {
  let n = 0;
  for (const pool of pools) for (const [name, a] of pool) if (name.startsWith(prefix)) n += a.byteLength;
  if (n <= maxBytes) return;
  for (const pool of pools) for (const name of [...pool.keys()]) if (name.startsWith(prefix)) pool.delete(name);
}
