/**
 * `warmnet hydraulics FILE [--scenario design|now|coldwave|outage] [--outdoor-c T]
 *  [--source-off ID…] [--open VALVE…] [--option RANK…] [--friction colebrook|swamee-jain]
 *  [--inp OUT.inp] [--json]`: steady-state hydraulics of the primary network
 * (DOMAIN.md §3 item 11). A run that does not converge prints its iteration
 * log and exits 1.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from './command';
import { CliError, UsageError, flag, num, positional, printJson, str } from './args';
import { readProjectAt, shownLocation } from '../backend/store/location';
import { runHydraulics, type HydraulicsRequest } from '../../core/hydraulics/scenario';
import { SCENARIOS, type ScenarioName } from '../../core/hydraulics/simulate';
import { HydraulicInputError } from '../../core/hydraulics/network';
import { writeInp } from '../../core/hydraulics/inp';
import { hydraulicsJson } from '../../core/hydraulics/report';
import { hydraulicsText } from './hydraulicsReport';
import { optionPipesOf } from '../../core/hydraulics/options';
import { prepareNetwork, runAnalysis } from '../../core/network/analyses';
import type { FrictionModel } from '../../core/hydraulics/friction';

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

/** The request a command line asks for (shared with tests). */
export function hydraulicsRequest(args: Parameters<Command['run']>[0]): HydraulicsRequest & { options: number[] } {
  const scenario = (str(args, 'scenario') ?? 'design') as ScenarioName;
  if (!SCENARIOS.includes(scenario)) throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${scenario}"`);
  const friction = (str(args, 'friction') ?? 'colebrook') as FrictionModel;
  if (friction !== 'colebrook' && friction !== 'swamee-jain') throw new UsageError(`--friction must be colebrook or swamee-jain, got "${friction}"`);
  const outdoorC = num(args, 'outdoor-c');
  if (scenario === 'now' && outdoorC === undefined) throw new UsageError('--scenario now needs --outdoor-c T (the outdoor temperature, °C)');
  const options = list(args.options.option).map((r) => {
    const n = Number(r);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--option takes loop-option ranks (1, 2, …), got "${r}"`);
    return n;
  });
  return {
    scenario,
    outdoorC,
    sourcesOff: list(args.options['source-off']),
    openValves: list(args.options.open),
    friction,
    options,
  };
}

export const hydraulicsCommand: Command = {
  usage:
    '<file.gpkg> [--scenario design|now|coldwave|outage] [--outdoor-c T] [--source-off ID…] [--open VALVE…] [--option RANK…] [--friction colebrook|swamee-jain] [--inp OUT.inp] [--json]',
  options: {
    scenario: { value: true },
    'outdoor-c': { value: true },
    'source-off': { value: true, multi: true },
    open: { value: true, multi: true },
    option: { value: true, multi: true },
    friction: { value: true },
    inp: { value: true },
    json: {},
  },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    if (args.positional.length > 1) throw new UsageError(`unexpected argument "${args.positional[1]}"`);
    const req = hydraulicsRequest(args);
    const project = (await readProjectAt(path)).data;
    let run;
    try {
      const addPipes = req.options.length ? optionPipesOf(req.options, runAnalysis('loops', prepareNetwork(project), {})) : [];
      run = runHydraulics(project, { ...req, addPipes });
    } catch (err) {
      if (err instanceof HydraulicInputError) throw new CliError(`${shownLocation(path)}: ${err.message}`);
      throw err;
    }
    const inp = str(args, 'inp');
    if (inp) writeFileSync(inp, writeInp(run.network, run.result));
    if (flag(args, 'json')) printJson(hydraulicsJson(run.result));
    else process.stdout.write(hydraulicsText(path, run.result));
    if (!run.result.converged) throw new CliError(`${shownLocation(path)}: the hydraulic solution did not converge (${run.result.reason}); see the iteration log`);
  },
};
