import { describe, expect, it } from 'vitest';
import { say } from '../i18n';
import { candidatesAnswer, rankCandidates, reasonMessages, renewalCandidates } from './candidates';
import { capacityCheck } from './capacity';
import { net } from './capacity.fixture';

/** One primary line S1 → HS1 with pipes of different histories; asOf 2025-06-30. */
function project() {
  return net()
    .source('S1', 0, 0)
    .station('HS1', 400, 0, { design_capacity_mw: 5 })
    .pipe('OLD', 'primary', [[0, 0], [100, 0]], { install_year: 1990, condition: 4, leak_count_5y: 3, water_loss_rate: 3.5 })
    .pipe('MID', 'primary', [[100, 0], [200, 0]], { install_year: 2003, condition: 2, leak_count_5y: 1 })
    .pipe('NEW', 'primary', [[200, 0], [300, 0]], { install_year: 2020, condition: 1 })
    .pipe('LEAKY', 'primary', [[300, 0], [400, 0]], { install_year: 2012, condition: 3, leak_count_5y: 0 })
    .pipe('GONE', 'primary', [[0, 0], [0, 100]], { install_year: 1970, status: 'abandoned', leak_count_5y: 9 })
    .community('C1', 'HS1', [350, 50, 450, 150], { heated_area_m2: 50_000 })
    .incident('I1', 'LEAKY', '2023-01-05', 'burst')
    .incident('I2', 'LEAKY', '2024-02-01', 'leak')
    .incident('I3', 'LEAKY', '2021-12-01', 'leak')
    .incident('I4', 'LEAKY', '2019-12-01', 'leak') // outside the 5 years before 2025-06-30
    .incident('I5', 'LEAKY', '2024-03-01', 'valve_failure') // not a pipe leak
    .project({ id: 'PRJ-2024-01', year: 2024 }, ['OLD']);
}

const get = (r: ReturnType<typeof renewalCandidates>, id: string) => r.pipes.find((p) => p.id === id)!;

describe('renewal candidates', () => {
  it('scores each part as documented and ranks by score', () => {
    const r = renewalCandidates(project().build(), '2025-06-30');
    const old = get(r, 'OLD');
    // age 35 ≥ 30 → 30; 3 leaks → 30 × 3/4 = 22.5; 3.5 % → 15 × 3.5/4 = 13.125; condition 4 → 15 × 3/4 = 11.25.
    expect(old.score).toBeCloseTo(30 + 22.5 + 13.125 + 11.25, 1);
    expect(old.reasons.map((x) => x.code)).toEqual(['past_life', 'leaks', 'water_loss', 'poor_condition']);
    expect(say('zh', reasonMessages(old.reasons))).toBe('超期服役(已35年/设计30年); 近5年泄漏3次; 失水率高(3.5%); 状况差(4/5)');
    expect(say('en', reasonMessages(old.reasons))).toBe('past design life (35 of 30 years); 3 leaks in 5 years; high water loss (3.5 %); poor condition (4 of 5)');
    expect(old.rank).toBe(1);
    expect(old.candidate).toBe(true);
    expect(old.projects).toEqual(['PRJ-2024-01']);
    const mid = get(r, 'MID');
    // age 22 → 30 × 22/30 = 22; 1 leak → 7.5; condition 2 → 3.75.
    expect(mid.score).toBeCloseTo(22 + 7.5 + 3.75, 1);
    expect(mid.reasons.map((x) => x.code)).toEqual(['near_life', 'leaks']);
    expect(mid.candidate).toBe(false);
    const scores = r.pipes.map((p) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('counts incidents of the last 5 years from the incidents layer, bursts named', () => {
    const r = renewalCandidates(project().build(), '2025-06-30');
    const leaky = get(r, 'LEAKY');
    expect(leaky.incidents5y).toBe(3);
    expect(leaky.bursts5y).toBe(1);
    const leaks = reasonMessages(leaky.reasons.filter((x) => x.code === 'leaks'));
    expect(say('zh', leaks)).toBe('近5年泄漏3次(含爆管1次)');
    expect(say('en', leaks)).toBe('3 leaks in 5 years (1 burst)');
    // Later, I3 (2021-12) falls out of the window.
    expect(get(renewalCandidates(project().build(), '2027-01-01'), 'LEAKY').incidents5y).toBe(2);
  });

  it('leaves out pipes not in service', () => {
    const r = renewalCandidates(project().build(), '2025-06-30');
    expect(r.pipes.map((p) => p.id).sort()).toEqual(['LEAKY', 'MID', 'NEW', 'OLD']);
  });

  it('adds the mismatch reason from the capacity check', () => {
    const b = project();
    b.data.layers.pipes[2].properties.dn = 80; // NEW carries 3.1 MW in DN80
    const r = renewalCandidates(b.build(), '2025-06-30');
    const nw = get(r, 'NEW');
    expect(nw.mismatched).toBe(true);
    expect(nw.reasons.map((x) => x.code)).toEqual(['mismatch']);
    expect(say('zh', reasonMessages(nw.reasons))).toMatch(/^负荷不匹配\(比摩阻\d+ Pa\/m\)$/);
    expect(nw.score).toBeCloseTo(10 + 30 * (5 / 30), 1);
  });

  it('takes weights and the threshold from settings', () => {
    const r = renewalCandidates(project().settings({ candidateWeightAge: 0, candidateMinScore: 5 }).build(), '2025-06-30');
    expect(get(r, 'NEW').score).toBe(0);
    expect(get(r, 'MID').candidate).toBe(true);
    expect(r.weights.age).toBe(0);
  });

  it('prices the renewal by DN', () => {
    const r = renewalCandidates(project().build(), '2025-06-30');
    // 100 m of DN200 at 180 万元/km.
    expect(get(r, 'OLD').costWan).toBeCloseTo(18, 0);
  });

  it('the app’s answer ranked in one pass equals the whole report cut to its first rows, for any number of rows', () => {
    const data = project().build();
    const capacity = capacityCheck(data, data.settings);
    const whole = renewalCandidates(data, '2025-06-30', data.settings, capacity);
    expect(whole.pipes.length).toBe(4);
    expect(whole.candidates).toBeGreaterThan(0);
    for (const rows of [0, 1, 2, 3, 4, 10, undefined]) {
      // the pipes given one at a time, as the analysis worker's reader gives them
      const once = { ...data, layers: { ...data.layers, pipes: { *[Symbol.iterator]() { yield* data.layers.pipes; } } } };
      const answer = rankCandidates(once, '2025-06-30', data.settings, capacity, rows);
      expect(answer, `rows ${rows}`).toEqual(candidatesAnswer(whole, rows));
    }
  });

  it('ranked in one pass over many pipes (the first rows cut back as they come), ties included, it equals the whole report cut', () => {
    const b = net().source('S1', 0, 0).station('HS1', 20_000, 0, { design_capacity_mw: 5 });
    // 150 pipes in a line with few distinct histories: many equal scores, ordered by incidents then code
    for (let i = 0; i < 150; i++)
      b.pipe(`P${(i * 37) % 151}`, 'primary', [[i * 100, 0], [(i + 1) * 100, 0]], { install_year: 1985 + (i % 4) * 10, leak_count_5y: i % 3, condition: 1 + (i % 5) });
    const data = b.build();
    const capacity = capacityCheck(data, data.settings);
    const whole = renewalCandidates(data, '2025-06-30', data.settings, capacity);
    expect(whole.pipes.length).toBe(150);
    expect(whole.candidates).toBeGreaterThan(0);
    expect(whole.candidates).toBeLessThan(150);
    for (const rows of [1, 5, 60, 149, 150, 200]) expect(rankCandidates(data, '2025-06-30', data.settings, capacity, rows), `rows ${rows}`).toEqual(candidatesAnswer(whole, rows));
  });
});
