/**
 * Rows changed by one `run()` (or one run statement of a `batch`). D1 reports
 * `meta.changes`, libSQL `rowsAffected`; code above src/db reads neither directly.
 */
export function affectedRows(result: unknown): number {
  if (result && typeof result === 'object') {
    if ('rowsAffected' in result && typeof result.rowsAffected === 'number') {
      return result.rowsAffected;
    }
    if ('meta' in result && result.meta && typeof result.meta === 'object') {
      const { changes } = result.meta as { changes?: unknown };
      if (typeof changes === 'number') return changes;
    }
  }
  throw new TypeError('affectedRows() needs the result of run() from D1 or libSQL');
}
