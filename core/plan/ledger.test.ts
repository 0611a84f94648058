import { describe, expect, it } from 'vitest';
import { fixtureProject } from '../carto/fixture';
import { buildLedger, communityLedgers, sheetName } from './ledger';
import { allCharts, defaultPlanYear } from './charts';
import { projectInfo } from './info';

describe('ledger', () => {
  it('has the project list, network figures, summary and one sheet per community', () => {
    const l = buildLedger(fixtureProject(), 2026);
    expect(l.sheets.map((s) => s.name)).toEqual(['项目清单', '管网统计', '小区汇总', '幸福小区', '锦绣家园']);
    const projects = l.sheets[0].blocks[0];
    expect(projects.columns.map((c) => c.header)).toEqual(expect.arrayContaining(['问题', '任务', '措施', '责任单位', '时限', '状态', '投资(万元)']));
    expect(projects.rows.map((r) => r.id)).toEqual(['PRJ-1', 'PRJ-2']);
    expect(projects.totals?.budget_wan).toBe(245.5);
  });

  it('totals equal projectInfo (what `warmnet info` prints)', () => {
    const data = fixtureProject();
    const info = projectInfo(data, 2026);
    const stats = buildLedger(data, 2026).sheets[1];
    const byLevel = stats.blocks[0];
    for (const r of byLevel.rows) {
      const key = { 一级管网: 'primary', 二级管网: 'secondary', 庭院管网: 'courtyard' }[String(r.level)]!;
      expect(r.km).toBeCloseTo(info.pipes.kmByLevel[key], 3);
    }
    expect(byLevel.totals?.km).toBeCloseTo(info.pipes.km, 3);
    const plan = stats.blocks[2].rows[0];
    expect(plan.budget).toBeCloseTo(info.plan[0].budgetWan, 2);
    expect(plan.total).toBeCloseTo(info.plan[0].totalKm, 3);
  });

  it('lists what lies in each community: pipes crossing it, their incidents, its complaints and projects', () => {
    const [c1, c2] = communityLedgers(fixtureProject());
    expect(c1.pipes.map((p) => p.id)).toEqual(['P-003', 'P-004']);
    expect(c1.incidents.map((i) => i.id)).toEqual(['I-01', 'I-02']);
    expect(c1.complaints.map((q) => q.id)).toEqual(['Q-01', 'Q-02']);
    expect(c1.projects.map((p) => p.id)).toEqual(['PRJ-2']);
    expect(c1.station?.id).toBe('ST-1');
    // 21 000 m² of older stock at 62 W/m² on a 2 MW station.
    expect(c1.loadMW).toBeCloseTo(1.302, 6);
    expect(c1.stationRatio).toBeCloseTo(0.651, 6);
    expect(c2.pipes.map((p) => p.id)).toEqual(['P-005', 'P-006']);
    expect(c2.incidents).toHaveLength(0);
  });

  it('makes valid, unique Excel sheet names', () => {
    const taken = new Set<string>();
    expect(sheetName('a/b:c', taken)).toBe('a_b_c');
    expect(sheetName('A/B:C', taken)).toBe('A_B_C_2');
    expect(sheetName('长'.repeat(40), taken)).toHaveLength(31);
  });
});

describe('charts', () => {
  it('repeat the numbers of projectInfo', () => {
    const data = fixtureProject();
    const info = projectInfo(data, 2026);
    const [age, incidents, progress, stations] = allCharts(data, 2026, 2024);
    const levelTotals = age.categories.map((_, i) => age.series.reduce((s, se) => s + se.values[i], 0));
    expect(levelTotals[0]).toBeCloseTo(info.pipes.kmByLevel.primary, 2);
    expect(levelTotals[1]).toBeCloseTo(info.pipes.kmByLevel.secondary, 2);
    expect(levelTotals[2]).toBeCloseTo(info.pipes.kmByLevel.courtyard, 2);
    const pastLife = age.series.find((s) => s.key === 'past_life')!.values.reduce((a, b) => a + b, 0);
    expect(pastLife).toBeCloseTo(info.pipes.kmByAgeClass.past_life, 2);

    expect(incidents.categories).toEqual(['2022', '2023']);
    expect(incidents.series.map((s) => s.values.reduce((a, b) => a + b, 0)).reduce((a, b) => a + b, 0)).toBe(3);

    const renewed = progress.series.reduce((s, se) => s + se.values.reduce((a, b) => a + b, 0), 0);
    expect(renewed).toBeCloseTo(info.plan[0].totalKm, 2);
    expect(progress.cumulative!.values.at(-1)).toBeCloseTo(info.plan[0].totalKm, 2);
    expect(progress.references?.[0].value).toBeCloseTo(11.3);
    // PRJ-2 (deadline August) is completed, PRJ-1 (September) is under construction.
    expect(progress.series.find((s) => s.key === 'completed')!.values[7]).toBeGreaterThan(0);
    expect(progress.series.find((s) => s.key === 'in_progress')!.values[8]).toBeGreaterThan(0);

    // Highest load ratio first: 16 000 m² energy-saving at 45 W/m² on 1 MW, then 21 000 m² older stock at 62 W/m² on 2 MW.
    expect(stations.categories).toEqual(['2号换热站', '1号换热站']);
    expect(stations.series[0].values[0]).toBeCloseTo(0.72, 3);
    expect(stations.series[0].values[1]).toBeCloseTo(0.651, 3);
  });
});

describe('default plan year', () => {
  it('is the latest year with a target, else the latest project year', () => {
    const data = fixtureProject();
    data.projects.push({ ...data.projects[0], id: 'PRJ-9', year: 2025 });
    expect(defaultPlanYear(data, 2030)).toBe(2024);
    data.settings.planTargets = [];
    expect(defaultPlanYear(data, 2030)).toBe(2025);
    data.projects = [];
    expect(defaultPlanYear(data, 2030)).toBe(2030);
  });
});
