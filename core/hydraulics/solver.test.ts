import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveSystem, type SolverOptions } from './solver';
import { SystemBuilder } from './system';

const EPANET_G = 9.81456;
const NU = 3.9e-7;
const opts = (model: 'swamee-jain' | 'colebrook' = 'swamee-jain'): SolverOptions => ({
  friction: { model, laminarRe: 2000, turbulentRe: 4000 },
  maxIterations: 100,
  accuracy: 1e-10,
  barrierTolerance: 1e-9,
});
const m3h = (q: number) => q / 3600;

/** Head loss written out in the test (Swamee–Jain, turbulent), independent of friction.ts. */
function hSJ(q: number, L: number, D: number, eps: number, g = EPANET_G): number {
  const A = (Math.PI * D * D) / 4;
  const v = Math.abs(q) / A;
  const re = (v * D) / NU;
  const f = 0.25 / Math.log10(eps / D / 3.7 + 5.74 / re ** 0.9) ** 2;
  return Math.sign(q) * f * (L / D) * (v * v) / (2 * g);
}

describe('solver: hand-solved cases', () => {
  it('one pipe from a reservoir: head = reservoir − f·L/D·v²/2g (and EPANET 2.2 gives the same)', () => {
    const b = new SystemBuilder({ viscosityM2s: NU, gravityMs2: EPANET_G });
    const R = b.node(50);
    const J = b.node();
    b.pipe(R, J, 1000, 0.2, 0.0005);
    b.addDemand(J, m3h(100));
    const r = solveSystem(b.build(), opts());
    expect(r.converged).toBe(true);
    expect(r.flow[0] * 3600).toBeCloseTo(100, 9);
    expect(r.head[J]).toBeCloseTo(50 - hSJ(m3h(100), 1000, 0.2, 0.0005), 9);
    // EPANET 2.2 (epanet-js) on the same pipe printed 44.95471247223069 m.
    expect(Math.abs(r.head[J] - 44.95471247223069)).toBeLessThan(1e-4);
  });

  it('two parallel pipes split the flow so that both lose the same head', () => {
    const b = new SystemBuilder({ viscosityM2s: NU, gravityMs2: EPANET_G });
    const R = b.node(40);
    const J = b.node();
    b.pipe(R, J, 500, 0.15, 0.0005);
    b.pipe(R, J, 1500, 0.15, 0.0005);
    const Q = m3h(150);
    b.addDemand(J, Q);
    const r = solveSystem(b.build(), opts());
    // Bisection in the test: q1 with h(q1, 500) = h(Q − q1, 1500).
    let lo = 0, hi = Q;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (hSJ(mid, 500, 0.15, 0.0005) > hSJ(Q - mid, 1500, 0.15, 0.0005)) hi = mid;
      else lo = mid;
    }
    expect(r.flow[0]).toBeCloseTo(lo, 10);
    expect(r.flow[1]).toBeCloseTo(Q - lo, 10);
    // In fully rough flow the split is √(L2/L1) = √3 : 1; Reynolds effects keep it near that.
    expect(r.flow[0] / r.flow[1]).toBeGreaterThan(1.6);
    expect(r.flow[0] / r.flow[1]).toBeLessThan(1.8);
  });

  it('a three-loop network matches Hardy Cross written in the test', () => {
    // 2 × 4 grid: a0 a1 a2 a3 / b0 b1 b2 b3; reservoir at a0; 10 pipes, 3 loops.
    const L = 400, D = [0.3, 0.25, 0.2, 0.25, 0.2, 0.15, 0.3, 0.2, 0.2, 0.15], eps = 0.0005;
    const pipes: [string, string][] = [
      ['a0', 'a1'], ['a1', 'a2'], ['a2', 'a3'],
      ['b0', 'b1'], ['b1', 'b2'], ['b2', 'b3'],
      ['a0', 'b0'], ['a1', 'b1'], ['a2', 'b2'], ['a3', 'b3'],
    ];
    const demand: Record<string, number> = { a1: 40, a2: 60, a3: 30, b0: 50, b1: 20, b2: 70, b3: 45 };
    const names = ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3'];
    const b = new SystemBuilder({ viscosityM2s: NU, gravityMs2: EPANET_G });
    const id = new Map(names.map((n) => [n, n === 'a0' ? b.node(60) : b.node()]));
    pipes.forEach(([x, y], k) => b.pipe(id.get(x)!, id.get(y)!, L, D[k], eps));
    for (const [n, q] of Object.entries(demand)) b.addDemand(id.get(n)!, m3h(q));
    const r = solveSystem(b.build(), opts());
    expect(r.converged).toBe(true);

    // Hardy Cross: initial flows from a spanning tree (a-row then verticals), loop corrections.
    const q = new Array(10).fill(0);
    // Tree: a0→a1→a2→a3 and verticals ai→bi carry the b demands; b-row pipes start at 0.
    const tot = (ns: string[]) => ns.reduce((s, n) => s + m3h(demand[n] ?? 0), 0);
    q[6] = tot(['b0']);
    q[7] = tot(['b1']);
    q[8] = tot(['b2']);
    q[9] = tot(['b3']);
    q[2] = tot(['a3', 'b3']);
    q[1] = tot(['a2', 'b2']) + q[2];
    q[0] = tot(['a1', 'b1']) + q[1];
    // Loops (clockwise as seen with a above b): pipe index with sign.
    const loops: [number, number][][] = [
      [[0, 1], [7, 1], [3, -1], [6, -1]],
      [[1, 1], [8, 1], [4, -1], [7, -1]],
      [[2, 1], [9, 1], [5, -1], [8, -1]],
    ];
    for (let it = 0; it < 500; it++) {
      let worst = 0;
      for (const loop of loops) {
        let sh = 0, sd = 0;
        for (const [k, s] of loop) {
          const h = hSJ(q[k], L, D[k], eps);
          const dq = Math.max(1e-9, Math.abs(q[k]) * 1e-6);
          sh += s * h;
          sd += (hSJ(q[k] + dq, L, D[k], eps) - hSJ(q[k] - dq, L, D[k], eps)) / (2 * dq);
        }
        const corr = -sh / sd;
        for (const [k, s] of loop) q[k] += s * corr;
        worst = Math.max(worst, Math.abs(corr));
      }
      if (worst < 1e-14) break;
    }
    for (let k = 0; k < 10; k++) expect(r.flow[k]).toBeCloseTo(q[k], 9);
    // Energy balance around each loop and mass balance at each node.
    for (const loop of loops) expect(Math.abs(loop.reduce((s, [k, sg]) => s + sg * r.headLoss[k], 0))).toBeLessThan(1e-9);
    for (const n of names.slice(1)) {
      const v = id.get(n)!;
      let net = 0;
      pipes.forEach(([x, y], k) => {
        if (id.get(x) === v) net -= r.flow[k];
        if (id.get(y) === v) net += r.flow[k];
      });
      expect(net).toBeCloseTo(m3h(demand[n] ?? 0), 12);
    }
  });
});

describe('solver: flow-controlled stations', () => {
  /** Supply reservoir S (head hs) → pipe → node A → station → node B → pipe → return reservoir R (head hr). */
  function line(hs: number, hr: number, qSetM3h: number, minHead: number, controlled = true) {
    const b = new SystemBuilder({ viscosityM2s: NU, gravityMs2: 9.80665 });
    const S = b.node(hs);
    const A = b.node();
    const B = b.node();
    const R = b.node(hr);
    b.pipe(S, A, 800, 0.1, 0.0005);
    const st = b.station(A, B, m3h(qSetM3h), minHead, controlled);
    b.pipe(B, R, 800, 0.1, 0.0005);
    return { sys: b.build(), A, B, st };
  }

  it('takes exactly its set flow when the head difference is ample', () => {
    const { sys, A, B, st } = line(100, 20, 30, 10);
    const r = solveSystem(sys, opts('colebrook'));
    expect(r.converged).toBe(true);
    expect(r.flow[st] * 3600).toBeCloseTo(30, 6);
    expect(r.head[A] - r.head[B]).toBeGreaterThan(10);
  });

  it('below its minimum it takes what the head gives through k q² (the same law both sides of the switch)', () => {
    const { sys, A, B, st } = line(40, 20, 60, 15);
    const r = solveSystem(sys, opts('colebrook'));
    expect(r.converged).toBe(true);
    const q = r.flow[st];
    const dh = r.head[A] - r.head[B];
    expect(q * 3600).toBeLessThan(60);
    expect(dh).toBeLessThan(15);
    expect(q).toBeCloseTo(m3h(60) * Math.sqrt(dh / 15), 10);
    expect(r.log.at(-1)!.stationsLimited).toBe(1);
  });

  it('passes no reverse flow when the return side is higher', () => {
    const { sys, st } = line(20, 40, 30, 10);
    const r = solveSystem(sys, opts('colebrook'));
    expect(r.converged).toBe(true);
    expect(Math.abs(r.flow[st])).toBeLessThan(1e-9);
  });

  it('sits exactly on the switch when the head equals the minimum at the set flow', () => {
    // Find the reservoir head that leaves exactly 10 m across the station at 30 m³/h.
    const probe = line(1000, 0, 30, 10);
    const r0 = solveSystem(probe.sys, opts('colebrook'));
    const loss = 1000 - (r0.head[probe.A] - r0.head[probe.B]);
    const { sys, A, B, st } = line(loss + 10, 0, 30, 10);
    const r = solveSystem(sys, opts('colebrook'));
    expect(r.converged).toBe(true);
    expect(r.flow[st] * 3600).toBeCloseTo(30, 5);
    expect(r.head[A] - r.head[B]).toBeCloseTo(10, 4);
  });

  it('converges on random station networks and every station is on its law (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 25 }), (seed, n) => {
        let s = seed;
        const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
        const b = new SystemBuilder({ viscosityM2s: NU, gravityMs2: 9.80665 });
        const src = b.node(30 + rnd() * 80);
        const ret = b.node(10);
        const sup: number[] = [src];
        const rtn: number[] = [ret];
        const stations: [number, number, number, number, number][] = [];
        for (let i = 0; i < n; i++) {
          const a = b.node();
          const c = b.node();
          const pa = sup[Math.floor(rnd() * sup.length)];
          const k = Math.floor(rnd() * sup.length);
          const D = [0.08, 0.1, 0.15, 0.2][Math.floor(rnd() * 4)];
          const len = 100 + rnd() * 900;
          b.pipe(pa, a, len, D, 0.0005);
          b.pipe(c, rtn[k === sup.indexOf(pa) ? k : sup.indexOf(pa)], len, D, 0.0005);
          if (rnd() < 0.3 && sup.length > 2) {
            // a loop on both sides
            const o = 1 + Math.floor(rnd() * (sup.length - 1));
            b.pipe(sup[o], a, 300 + rnd() * 500, 0.1, 0.0005);
            b.pipe(c, rtn[o], 300 + rnd() * 500, 0.1, 0.0005);
          }
          const q = m3h(5 + rnd() * 60);
          const hmin = 5 + rnd() * 10;
          stations.push([b.station(a, c, q, hmin), a, c, q, hmin]);
          sup.push(a);
          rtn.push(c);
        }
        const r = solveSystem(b.build(), opts('colebrook'));
        expect(r.converged).toBe(true);
        for (const [k, a, c, q, hmin] of stations) {
          const dh = r.head[a] - r.head[c];
          const f = r.flow[k];
          if (dh >= hmin) expect(f).toBeCloseTo(q, 7);
          else if (dh <= 0) expect(Math.abs(f)).toBeLessThan(1e-7);
          else expect(f).toBeCloseTo(q * Math.sqrt(dh / hmin), 7);
        }
      }),
      { numRuns: 120, seed: 1414 },
    );
  });
});
