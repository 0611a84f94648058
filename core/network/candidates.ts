/**
 * Renewal candidates (DOMAIN.md §3.8, plan 三(三)2): a score per in-service
 * pipe from age against design life, incidents, water loss, condition and
 * heat-load mismatch, with reason codes a planner can read.
 *
 * score = Σ weight × part, each part in 0…1 (weights are settings, 100 in all
 * by default):
 *   age        = min(1, age / design life)           (pipe's own design life, else the default)
 *   leaks      = min(1, n / worst leak class (4))    n = leaks and bursts in the 5 years before
 *                                                      `asOf`: the larger of leak_count_5y and the
 *                                                      incidents layer (the two usually record the
 *                                                      same events, so they are not added)
 *   water loss = min(1, rate / (2 × high-loss rate))
 *   condition  = (condition − 1) / 4                  (1 good … 5 bad)
 *   mismatch   = 1 when the capacity check finds the pipe mismatched
 * A pipe is proposed when its score reaches `candidateMinScore`.
 */
import { message, type Message, type Params } from '../i18n';
import { ageClass, pipeAge } from '../model/classes';
import type { ProjectData } from '../model/project';
import { unitCostWanPerKm, type Settings } from '../model/settings';
import { asVerdicts, capacityCheck, verdictStatus, type CapacityReport, type CapacityVerdicts } from './capacity';
import { IdIndex } from './idIndex';
import { clamp, roundTo } from '../format/number';

export type ReasonCode = 'past_life' | 'near_life' | 'leaks' | 'water_loss' | 'poor_condition' | 'mismatch';

/**
 * One reason a pipe scores: its code and the numbers the sentence needs (the
 * sentence itself is `candidates.reason.<code>` in the message catalogue;
 * `reasonMessages` gives the typed messages).
 */
export interface CandidateReason {
  code: ReasonCode;
  params: Params;
  /** Points this reason adds to the score. */
  points: number;
}

/** The reasons of a candidate as typed messages (joined with '; ' by `say`). */
export function reasonMessages(reasons: readonly CandidateReason[]): Message[] {
  return reasons.map((r) => message(`candidates.reason.${r.code}`, r.params));
}

export interface RenewalCandidate {
  rank: number;
  id: string;
  level: string;
  dn: number | null;
  lengthM: number;
  installYear: number | null;
  ageYears: number | null;
  designLifeYears: number;
  /** Leaks and bursts counted in the 5-year window. */
  incidents5y: number;
  bursts5y: number;
  waterLossRate: number | null;
  condition: number | null;
  mismatched: boolean;
  score: number;
  candidate: boolean;
  reasons: CandidateReason[];
  /** Renewal cost at the unit cost of its DN, 万元. */
  costWan: number;
  renovationStatus: string | null;
  /** Projects the pipe belongs to (project_features and its project_id). */
  projects: string[];
}

export interface CandidatesReport {
  asOf: string;
  weights: { age: number; leaks: number; waterLoss: number; condition: number; mismatch: number };
  minScore: number;
  pipes: RenewalCandidate[];
  candidates: number;
}

/**
 * The empty list most pipes have (no reason, no project), one shared frozen
 * array: a million scored pipes need not carry a million empty arrays, and a
 * structured copy of the report (the analysis worker's) sends it once.
 */
const NONE = Object.freeze([]) as readonly never[] as never[];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** What the scoring reads of a project besides the capacity check: pipes, incidents, plan links, settings. */
export interface CandidatesInput {
  /** The pipes are iterated once, in one pass (a reader may give them one at a time). */
  layers: Pick<ProjectData['layers'], 'incidents'> & { pipes: Iterable<ProjectData['layers']['pipes'][number]> };
  projectFeatures: ProjectData['projectFeatures'];
  settings: Settings;
}

/** One pipe as the scoring reads it. */
type CandidatePipe = ProjectData['layers']['pipes'][number];

/** The records the scoring reads, less the settings (what the analysis worker reads of a file for it). */
export type CandidatesRecords = Omit<CandidatesInput, 'settings'>;

/**
 * Score and rank every in-service pipe; `asOf` (YYYY-MM-DD) sets the age and the 5-year window. Given
 * the capacity check, the project need hold only what the scoring reads (CandidatesInput).
 */
export function renewalCandidates(data: ProjectData, asOf: string, settings?: Settings, capacity?: CapacityReport): CandidatesReport;
export function renewalCandidates(data: CandidatesInput, asOf: string, settings: Settings, capacity: CapacityReport | CapacityVerdicts): CandidatesReport;
export function renewalCandidates(
  data: CandidatesInput,
  asOf: string,
  settings: Settings = data.settings,
  // (the first signature's: a whole project)
  capacity: CapacityReport | CapacityVerdicts = capacityCheck(data as ProjectData, settings),
): CandidatesReport {
  const s = scoring(data, asOf, settings, capacity);
  const scored: RenewalCandidate[] = [];
  for (const f of data.layers.pipes) {
    const c = s.score(f);
    if (c) scored.push(c);
  }
  scored.sort(byRank);
  scored.forEach((c, i) => (c.rank = i + 1));
  return { asOf: s.asOf, weights: s.weights, minScore: s.minScore, pipes: scored, candidates: scored.filter((c) => c.candidate).length };
}

/** The ranking's order: score, then incidents, highest first; then the code. */
function byRank(a: Pick<RenewalCandidate, 'score' | 'incidents5y' | 'id'>, b: Pick<RenewalCandidate, 'score' | 'incidents5y' | 'id'>): number {
  return b.score - a.score || b.incidents5y - a.incidents5y || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The scoring set up for a project and a day: what renewalCandidates and
 * rankCandidates share. `score` gives a pipe's scored row (rank 0), or null
 * for a pipe not in service.
 */
function scoring(data: CandidatesRecords, asOf: string, settings: Settings, capacity: CapacityReport | CapacityVerdicts) {
  // each pipe's verdict by its code, as numbers (a report's objects or a worker's columns alike)
  const verdicts = asVerdicts(capacity);
  // (a typed hash: a Map of a million codes costs tens of megabytes more)
  const verdictAt = IdIndex.ofIds(verdicts.ids);
  const asOfMs = Date.parse(asOf.slice(0, 10) + 'T00:00:00Z');
  if (!Number.isFinite(asOfMs)) throw new Error(`asOf "${asOf}" is not a date (YYYY-MM-DD)`);
  const year = new Date(asOfMs).getUTCFullYear();
  const windowStart = Date.UTC(year - 5, new Date(asOfMs).getUTCMonth(), new Date(asOfMs).getUTCDate());

  const incidents = new Map<string, { n: number; bursts: number }>();
  for (const inc of data.layers.incidents) {
    const pid = inc.properties.pipe_id;
    const kind = inc.properties.kind;
    if (typeof pid !== 'string' || (kind !== 'leak' && kind !== 'burst')) continue;
    const d = typeof inc.properties.date === 'string' ? Date.parse(inc.properties.date.slice(0, 10) + 'T00:00:00Z') : NaN;
    // An undated incident is counted: it is on record and cannot be placed outside the window.
    if (Number.isFinite(d) && (d <= windowStart || d > asOfMs)) continue;
    const e = incidents.get(pid) ?? { n: 0, bursts: 0 };
    e.n++;
    if (kind === 'burst') e.bursts++;
    incidents.set(pid, e);
  }
  const projectsOf = new Map<string, Set<string>>();
  for (const pf of data.projectFeatures)
    if (pf.layer === 'pipes') projectsOf.set(pf.feature_id, (projectsOf.get(pf.feature_id) ?? new Set()).add(pf.project_id));

  const w = {
    age: settings.candidateWeightAge,
    leaks: settings.candidateWeightLeaks,
    waterLoss: settings.candidateWeightWaterLoss,
    condition: settings.candidateWeightCondition,
    mismatch: settings.candidateWeightMismatch,
  };
  const worstLeaks = settings.leakClassBreaks[settings.leakClassBreaks.length - 1] ?? 4;

  const score = (f: CandidatePipe): RenewalCandidate | null => {
    const p = f.properties;
    const status = typeof p.status === 'string' && p.status !== '' ? p.status : 'in_service';
    if (status !== 'in_service') return null;
    const life = num(p.design_life_years) ?? settings.designLifeYears;
    const installYear = num(p.install_year);
    const age = pipeAge(installYear, year);
    const cls = ageClass(p, settings, year);
    const recorded = incidents.get(f.id) ?? { n: 0, bursts: 0 };
    const n = Math.max(num(p.leak_count_5y) ?? 0, recorded.n);
    const loss = num(p.water_loss_rate);
    const cond = num(p.condition);
    const at = verdictAt.get(f.id);
    const mismatched = at !== undefined && verdictStatus(verdicts, at) === 'mismatched';

    const reasons: CandidateReason[] = [];
    const agePts = age !== null && life > 0 ? w.age * Math.min(1, age / life) : 0;
    if (cls === 'past_life')
      reasons.push({ code: 'past_life', params: { age, life }, points: agePts });
    else if (cls === '20to30') reasons.push({ code: 'near_life', params: { age, life }, points: agePts });
    const leakPts = w.leaks * Math.min(1, n / worstLeaks);
    if (n > 0) reasons.push({ code: 'leaks', params: { n, bursts: recorded.bursts }, points: leakPts });
    const lossPts = loss !== null && settings.leakWaterLossPct > 0 ? w.waterLoss * Math.min(1, loss / (2 * settings.leakWaterLossPct)) : 0;
    if (loss !== null && loss > settings.leakWaterLossPct)
      reasons.push({ code: 'water_loss', params: { loss }, points: lossPts });
    const condPts = cond !== null ? w.condition * clamp((cond - 1) / 4, 0, 1) : 0;
    if (cond !== null && cond >= settings.candidatePoorCondition)
      reasons.push({ code: 'poor_condition', params: { cond }, points: condPts });
    const misPts = mismatched ? w.mismatch : 0;
    if (mismatched)
      reasons.push({ code: 'mismatch', params: { rPaM: Math.round(verdicts.rPaM[at!]) }, points: misPts });
    const score = roundTo(agePts + leakPts + lossPts + condPts + misPts, 1);
    const dn = num(p.dn);
    const lengthM = at !== undefined ? verdicts.lengthM[at] : 0;
    const projects = new Set(projectsOf.get(f.id) ?? []);
    if (typeof p.project_id === 'string' && p.project_id) projects.add(p.project_id);
    return {
      rank: 0,
      id: f.id,
      level: String(p.level ?? ''),
      dn,
      lengthM,
      installYear,
      ageYears: age,
      designLifeYears: life,
      incidents5y: n,
      bursts5y: recorded.bursts,
      waterLossRate: loss,
      condition: cond,
      mismatched,
      score,
      candidate: score >= settings.candidateMinScore,
      reasons: reasons.length ? reasons.map((r) => ({ ...r, points: roundTo(r.points, 1) })) : NONE,
      costWan: dn !== null ? roundTo((lengthM / 1000) * unitCostWanPerKm(settings, dn), 1) : 0,
      renovationStatus: typeof p.renovation_status === 'string' ? p.renovation_status : null,
      projects: projects.size ? [...projects].sort() : NONE,
    };
  };
  return { asOf: asOf.slice(0, 10), weights: w, minScore: settings.candidateMinScore, score };
}

/** Rows of the candidates' table the app draws, by rank (the command line's --json lists every pipe). */
export const CANDIDATE_ROWS_SHOWN = 200;

/**
 * What the app shows of a ranking: the first rows, every candidate's code (the planner adds them to a
 * project, shown or not), and how many pipes were scored — not a scored object per pipe of the network.
 */
export interface CandidatesAnswer extends Omit<CandidatesReport, 'pipes'> {
  /** The first `rows` pipes by rank. */
  pipes: RenewalCandidate[];
  /** In-service pipes scored (the report's whole list). */
  scored: number;
  /** Codes of the candidates (score ≥ minScore), by rank. */
  candidateIds: string[];
}

export function candidatesAnswer(r: CandidatesReport, rows: number = CANDIDATE_ROWS_SHOWN): CandidatesAnswer {
  const candidateIds: string[] = [];
  for (const p of r.pipes) if (p.candidate) candidateIds.push(p.id);
  return { asOf: r.asOf, weights: r.weights, minScore: r.minScore, pipes: r.pipes.slice(0, Math.max(0, rows)), scored: r.pipes.length, candidates: r.candidates, candidateIds };
}

/**
 * The app's answer, equal to `candidatesAnswer(renewalCandidates(…), rows)`, in
 * one pass over the pipes without a scored object kept per pipe: the first
 * `rows` are kept as the pipes come (cut back to `rows` now and then), the
 * candidates' codes with only what orders them. The pipes are iterated once
 * (a reader may give them one at a time).
 */
export function rankCandidates(
  data: CandidatesInput,
  asOf: string,
  settings: Settings,
  capacity: CapacityReport | CapacityVerdicts,
  rows: number = CANDIDATE_ROWS_SHOWN,
): CandidatesAnswer {
  const s = scoring(data, asOf, settings, capacity);
  const keep = Math.max(0, rows);
  // cut back to `keep` once twice as many (and a few) have come: O(n log keep) in all
  const cutAt = 2 * keep + 64;
  const top: RenewalCandidate[] = [];
  const candidates: Pick<RenewalCandidate, 'score' | 'incidents5y' | 'id'>[] = [];
  let scored = 0;
  for (const f of data.layers.pipes) {
    const c = s.score(f);
    if (!c) continue;
    scored++;
    if (c.candidate) candidates.push({ score: c.score, incidents5y: c.incidents5y, id: c.id });
    if (keep === 0) continue;
    top.push(c);
    if (top.length >= cutAt) {
      top.sort(byRank);
      top.length = keep;
    }
  }
  top.sort(byRank);
  if (top.length > keep) top.length = keep;
  top.forEach((c, i) => (c.rank = i + 1));
  candidates.sort(byRank);
  return { asOf: s.asOf, weights: s.weights, minScore: s.minScore, pipes: top, scored, candidates: candidates.length, candidateIds: candidates.map((c) => c.id) };
}
