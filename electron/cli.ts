/**
 * `warmnet` command line: the same store and analyses as the app.
 * Exit codes: 0 done, 1 bad input (reason on stderr), 2 wrong usage;
 * an import stopped by Ctrl-C or SIGTERM ends with 130 / 143 and changes nothing.
 * With --json, stdout carries exactly one JSON document.
 */
import { commands } from './cli/index';
import { CliError, UsageError, parseArgs } from './cli/args';
import { maxOf } from '../core/arrays';

const HELP = `warmnet — 暖网 district-heating GIS (command line)

Usage: warmnet <command> [options]

Commands:
${'{{COMMANDS}}'}

Exit codes: 0 done, 1 bad input, 2 wrong usage; 130 / 143 an import stopped by Ctrl-C / SIGTERM (nothing written).`;

function help(): string {
  const width = maxOf(Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.usage}`);
  return HELP.replace('{{COMMANDS}}', lines.join('\n'));
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(help() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`warmnet: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
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
