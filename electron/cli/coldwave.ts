/**
 * `warmnet coldwave <file.gpkg> --forecast F.csv [--json]`: the −29 °C / 48 h
 * cold-wave rule on a 5-day forecast (CSV `time`,`temperature_c`), when the
 * primary flow must be raised, loads at the forecast minimum against
 * capacity, the heating curve and coal reserve days. A malformed forecast is
 * refused with its line and the reason (exit code 1).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from './command';
import { CliError, flag, positional, printJson, str, UsageError } from './args';
import { readProjectAt, shownLocation } from '../backend/store/location';
import { ForecastError, parseForecastCsv } from '../../core/plan/forecast';
import { coldWaveCheck, type ColdWaveReport } from '../../core/plan/coldwave';
import { say } from './lang';
import { gloss, label, one } from './lang';
import { fixed } from '../../core/format/number';


function text(path: string, forecastPath: string, r: ColdWaveReport): string {
  const out = [
    `${shownLocation(path)}: ${gloss('cli.coldWaveCheck')}, forecast ${forecastPath} (${r.forecast.from} → ${r.forecast.to}, ${r.forecast.resolution}, ${r.forecast.hours} h)`,
    `  rule: ≤ ${r.rule.thresholdC} °C for more than ${r.rule.hours} h; raise primary flow ${r.rule.leadHours} h ahead`,
    `  minimum ${r.minTemperatureC} °C at ${r.minTemperatureAt}; longest run at or below threshold ${r.longestColdHours} h`,
  ];
  if (r.triggered && r.coldPeriod)
    out.push(
      `  ${gloss('cli.triggered')}: ${r.coldPeriod.start} → ${r.coldPeriod.end} (${r.coldPeriod.hours} h, min ${r.coldPeriod.minTemperatureC} °C)`,
      `  ${gloss('cli.raiseFlowBy')}: ${r.flowIncreaseBy}${r.flowIncreaseLate ? ` — ${gloss('cli.actNow')}` : ''}`,
    );
  else out.push(`  ${gloss('cli.notTriggered')}`);
  out.push('', `${label('cli.sources')} at ${r.minTemperatureC} °C (relative load ${fixed(r.loadRatioAtMin, 3, '-')}):`);
  for (const s of r.sources)
    out.push(
      `  ${s.id.padEnd(8)} design ${fixed(s.designLoadMW, 2, '-')} → ${fixed(s.loadAtTMW, 2, '-')} MW / cap ${s.capacityMW ?? '-'} MW  ${s.status.padEnd(10)} reserve ${fixed(s.reserveDays, 1, '-')} d${s.reserveLow ? ' LOW' : ''}  ${say(s.reason)}`,
    );
  out.push('', `${label('cli.stations')} short or near limit at ${r.minTemperatureC} °C:`);
  const tight = r.stations.filter((s) => s.status === 'short' || s.status === 'near_limit');
  if (tight.length === 0) out.push('  (none)');
  for (const s of tight) out.push(`  ${s.id.padEnd(8)} ${fixed(s.loadAtTMW, 2, '-')} MW / cap ${s.capacityMW ?? '-'} MW  ${s.status.padEnd(10)} ${say(s.reason)}`);
  out.push('', `${label('cli.heatingCurve')} (°C): outdoor → primary supply/return, secondary supply/return`);
  for (const h of r.heatingCurve)
    out.push(`  ${(h.date ? `${h.date} ${one('cli.dailyMean')}` : one('engineering.minimum')).padEnd(34)} ${fixed(h.outdoorC, 1, '-').padStart(6)} → ${fixed(h.primarySupplyC, 1, '-')}/${fixed(h.primaryReturnC, 1, '-')}  ${fixed(h.secondarySupplyC, 1, '-')}/${fixed(h.secondaryReturnC, 1, '-')}`);
  return out.join('\n') + '\n';
}

export const coldwaveCommand: Command = {
  usage: '<file.gpkg> --forecast F.csv [--json]',
  options: { json: {}, forecast: { value: true } },
  async run(args) {
    const path = positional(args, 0, 'the project (a .gpkg file or postgres://…?schema=NAME)');
    const forecastPath = str(args, 'forecast');
    if (!forecastPath) throw new UsageError('missing --forecast F.csv');
    if (!existsSync(forecastPath)) throw new CliError(`${forecastPath}: no such file`);
    const data = (await readProjectAt(path)).data;
    let forecast;
    try {
      forecast = parseForecastCsv(readFileSync(forecastPath, 'utf8'), data.settings.coldWaveForecastDays);
    } catch (e) {
      if (e instanceof ForecastError) throw new CliError(`${forecastPath}: ${e.message}`);
      throw e;
    }
    const r = coldWaveCheck(data, forecast);
    if (flag(args, 'json')) printJson({ file: shownLocation(path), forecastFile: forecastPath, ...r });
    else process.stdout.write(text(path, forecastPath, r));
  },
};
