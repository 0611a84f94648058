/**
 * One progress line on stderr for long exports: rewritten in place on a
 * terminal, one line per step otherwise (logs, CI), so stdout stays clean.
 */
export interface Progress {
  step(done: number, total: number, what?: string): void;
  note(text: string): void;
  done(text: string): void;
}

export function stderrProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  const t0 = performance.now();
  let lastPct = -1;
  const secs = () => ((performance.now() - t0) / 1000).toFixed(1);
  return {
    step(done, total, what) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const line = `${label}: ${done}/${total} (${pct}%)${what ? ` ${what}` : ''} ${secs()} s`;
      if (tty) stream.write(`\r\x1b[K${line}`);
      else if (done === total || pct >= lastPct + 10) {
        stream.write(line + '\n');
        lastPct = pct;
      }
    },
    note(text) {
      stream.write(`${tty ? '\r\x1b[K' : ''}${label}: ${text}\n`);
    },
    done(text) {
      stream.write(`${tty ? '\r\x1b[K' : ''}${label}: ${text} (${secs()} s)\n`);
    },
  };
}
