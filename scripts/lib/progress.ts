/** A one-line progress bar on stderr when it is a terminal; quiet otherwise. */
export function progressBar(label: string, total: number) {
  const tty = process.stderr.isTTY;
  let last = -1;
  return {
    update(done: number) {
      if (!tty || total === 0) return;
      const pct = Math.floor((done / total) * 100);
      if (pct === last) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total})`,
      );
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
