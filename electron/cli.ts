/**
 * `warmnet` command line: the same store and analyses as the app.
 * Exit codes: 0 done, 1 bad input (reason on stderr), 2 wrong usage;
 * an import stopped by Ctrl-C or SIGTERM ends with 130 / 143 and changes nothing.
 * With --json, stdout carries exactly one JSON document.
 */
import { commands } from './cli/index';
import { CliError, UsageError, parseArgs } from './cli/args';
import { setCliLang } from './cli/lang';
import { maxOf } from '../core/arrays';
import { t } from '../core/i18n';

const HELP = `warmnet — ${t('zh', 'desktop.appName')} district-heating GIS (command line)

Usage: warmnet <command> [options]

Commands:
${'{{COMMANDS}}'}

Every command takes --lang zh or --lang en for its text (bilingual without it).

Exit codes: 0 done, 1 bad input, 2 wrong usage; 130 / 143 an import stopped by Ctrl-C / SIGTERM (nothing written).`;

async function help(): Promise<string> {
  const width = maxOf(Object.keys(commands).map((n) => n.length));
  const lines: string[] = [];
  for (const [name, load] of Object.entries(commands)) lines.push(`  ${name.padEnd(width)}  ${(await load()).usage}`);
  return HELP.replace('{{COMMANDS}}', lines.join('\n'));
}

/** Takes `--lang zh|en` (or `--lang=en`) out of the arguments; undefined when absent, null when the value is wrong. */
function takeLang(argv: string[]): { argv: string[]; lang: 'zh' | 'en' | undefined | null } {
  const out: string[] = [];
  let lang: 'zh' | 'en' | undefined | null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = a === '--lang' ? argv[++i] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (a === '--lang' || a.startsWith('--lang=')) lang = v === 'zh' || v === 'en' ? v : null;
    else out.push(a);
  }
  return { argv: out, lang };
}

export async function main(argvIn: string[]): Promise<number> {
  const { argv, lang } = takeLang(argvIn);
  if (lang === null) {
    process.stderr.write('warmnet: --lang takes zh or en\n');
    return 2;
  }
  setCliLang(lang ?? 'both');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write((await help()) + '\n');
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`warmnet: unknown command "${name}"\n\n${await help()}\n`);
    return 2;
  }
  const command = await load();
  try {
    const args = parseArgs(rest, command.options);
    await command.run(args);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`warmnet ${name}: ${err.message}\nUsage: warmnet ${name} ${command.usage}\n`);
      return 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`warmnet ${name}: ${err.message}\n`);
      return 1;
    }
    const e = err as Error;
    process.stderr.write(`warmnet ${name}: ${e?.message ?? String(err)}\n`);
    return 1;
  }
}
