/** Argument parsing shared by every `warmnet` command. */

/** Wrong usage: unknown option, missing argument (exit code 2). */
export class UsageError extends Error {}
/** Bad input: a file, feature or value the command cannot use (exit code 1). */
export class CliError extends Error {}

export interface OptionSpec {
  /** Option takes a value (`--out F`); otherwise it is a flag (`--json`). */
  value?: boolean;
  /** May be given more than once (`--map a=b --map c=d`). */
  repeat?: boolean;
  /** Takes every following argument up to the next option (`--source-off S-1 S-2`); implies repeat. */
  multi?: boolean;
}

export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | string[] | boolean | undefined>;
}

export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const positional: string[] = [];
  const options: ParsedArgs['options'] = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    let key = a.slice(2);
    let inline: string | undefined;
    const eq = key.indexOf('=');
    if (eq >= 0) {
      inline = key.slice(eq + 1);
      key = key.slice(0, eq);
    }
    const s = spec[key];
    if (!s) throw new UsageError(`unknown option --${key}`);
    if (!s.value) {
      options[key] = true;
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new UsageError(`--${key} needs a value`);
    if (s.multi) {
      const values = [v];
      if (inline === undefined) while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values.push(argv[++i]);
      options[key] = [...((options[key] as string[]) ?? []), ...values.flatMap((x) => x.split(',')).filter((x) => x !== '')];
    } else if (s.repeat) options[key] = [...((options[key] as string[]) ?? []), v];
    else options[key] = v;
  }
  return { positional, options };
}

export function str(args: ParsedArgs, key: string): string | undefined {
  const v = args.options[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(args: ParsedArgs, key: string): number | undefined {
  const v = str(args, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${key} must be a number, got "${v}"`);
  return n;
}

export function flag(args: ParsedArgs, key: string): boolean {
  return args.options[key] === true;
}

/** The n-th positional argument, or a usage error naming it. */
export function positional(args: ParsedArgs, index: number, what: string): string {
  const v = args.positional[index];
  if (v === undefined) throw new UsageError(`missing ${what}`);
  return v;
}

/** Print one JSON document on stdout (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
