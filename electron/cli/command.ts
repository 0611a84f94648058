/** What every `warmnet` subcommand declares: the index lists them, each command file implements one. */
import type { OptionSpec, ParsedArgs } from './args';

export interface Command {
  usage: string;
  options: Record<string, OptionSpec>;
  run(args: ParsedArgs): Promise<void> | void;
}
