/**
 * Builder of a solver system (solver.ts) from nodes, pipes and stations,
 * in SI units (m, m³/s). Used by the network model and by the tests that
 * solve hand-made networks.
 */
import { LINK_PIPE, LINK_STATION, LINK_STATION_OPEN, type HydraulicSystem } from './solver';

/** Physical constants a pipe's law needs. */
export interface PipePhysics {
  /** Kinematic viscosity, m²/s. */
  viscosityM2s: number;
  /** Gravity, m/s². */
  gravityMs2: number;
}

export class SystemBuilder {
  private fixed: number[] = [];
  private demand: number[] = [];
  /** Union-find parent with head offset to the parent (head[n] = head[parent] + off[n]). */
  private parent: number[] = [];
  private off: number[] = [];
  private from: number[] = [];
  private to: number[] = [];
  private kind: number[] = [];
  private r: number[] = [];
  private reF: number[] = [];
  private rough: number[] = [];
  private diam: number[] = [];
  private qSet: number[] = [];
  private hMin: number[] = [];

  constructor(private physics: PipePhysics) {}

  get nodeCount(): number {
    return this.fixed.length;
  }
  get linkCount(): number {
    return this.from.length;
  }

  /** A node: free (head unknown) or fixed at `head` (m). */
  node(head?: number): number {
    const n = this.fixed.length;
    this.fixed.push(head === undefined ? NaN : head);
    this.demand.push(0);
    this.parent.push(n);
    this.off.push(0);
    return n;
  }

  /** Add an outflow (m³/s, negative injects) at a node. */
  addDemand(n: number, q: number): void {
    this.demand[n] += q;
  }

  private find(n: number): [number, number] {
    let off = 0;
    let r = n;
    while (this.parent[r] !== r) {
      off += this.off[r];
      r = this.parent[r];
    }
    return [r, off];
  }

  /** Tie head[b] = head[a] + dh (an ideal pump holding a head difference). */
  tie(a: number, b: number, dh: number): void {
    const [ra, oa] = this.find(a);
    const [rb, ob] = this.find(b);
    if (ra === rb) return;
    // head[b] = head[rb] + ob = head[ra] + oa + dh → head[rb] = head[ra] + oa + dh − ob.
    this.parent[rb] = ra;
    this.off[rb] = oa + dh - ob;
  }

  /** A Darcy–Weisbach pipe: length (with minor losses folded in) m, inner diameter m, roughness m. */
  pipe(from: number, to: number, lengthM: number, diameterM: number, roughnessM: number): number {
    const A = (Math.PI * diameterM * diameterM) / 4;
    this.from.push(from);
    this.to.push(to);
    this.kind.push(LINK_PIPE);
    this.r.push(lengthM / (2 * this.physics.gravityMs2 * diameterM * A * A));
    this.reF.push(4 / (Math.PI * diameterM * this.physics.viscosityM2s));
    this.rough.push(roughnessM / diameterM);
    this.diam.push(diameterM);
    this.qSet.push(0);
    this.hMin.push(0);
    return this.from.length - 1;
  }

  /** A station from its supply node to its return node: set flow m³/s, minimum head difference m. */
  station(from: number, to: number, flowM3s: number, minHeadM: number, controlled = true): number {
    this.from.push(from);
    this.to.push(to);
    this.kind.push(controlled ? LINK_STATION : LINK_STATION_OPEN);
    this.r.push(0);
    this.reF.push(0);
    this.rough.push(0);
    this.diam.push(0);
    this.qSet.push(flowM3s);
    this.hMin.push(minHeadM);
    return this.from.length - 1;
  }

  build(): HydraulicSystem {
    const n = this.fixed.length;
    const nodeVar = new Int32Array(n).fill(-1);
    const nodeOffset = new Float64Array(n);
    // A group is fixed when any member is fixed: its root's head follows from that member.
    const rootHead = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(this.fixed[i])) continue;
      const [r, o] = this.find(i);
      if (!rootHead.has(r)) rootHead.set(r, this.fixed[i] - o);
    }
    const rootVar = new Map<number, number>();
    let varCount = 0;
    for (let i = 0; i < n; i++) {
      const [r, o] = this.find(i);
      const fixedRoot = rootHead.get(r);
      if (fixedRoot !== undefined) {
        nodeOffset[i] = Number.isNaN(this.fixed[i]) ? fixedRoot + o : this.fixed[i];
        continue;
      }
      let v = rootVar.get(r);
      if (v === undefined) rootVar.set(r, (v = varCount++));
      nodeVar[i] = v;
      nodeOffset[i] = o;
    }
    return {
      nodeCount: n,
      nodeVar,
      nodeOffset,
      varCount,
      demand: Float64Array.from(this.demand),
      linkCount: this.from.length,
      linkFrom: Int32Array.from(this.from),
      linkTo: Int32Array.from(this.to),
      linkKind: Uint8Array.from(this.kind),
      pipeR: Float64Array.from(this.r),
      pipeReFactor: Float64Array.from(this.reF),
      pipeRoughness: Float64Array.from(this.rough),
      pipeDiameter: Float64Array.from(this.diam),
      stationFlow: Float64Array.from(this.qSet),
      stationMinHead: Float64Array.from(this.hMin),
    };
  }
}
