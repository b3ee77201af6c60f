import WebSocket from 'ws';

/** A V8 CPU profile (Profiler.stop), as far as the bench reads it. */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: CallFrame;
    positionTicks?: { line: number; ticks: number }[];
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * A Chrome DevTools Protocol session over the inspector WebSocket at `url` (workerd's own, or
 * wrangler's inspector proxy, which only accepts DevTools' origins and localhost).
 */
export async function devtoolsSession(url: string) {
  const ws = new WebSocket(url, { headers: { Origin: 'http://localhost' } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  let nextId = 0;
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      waiting.set(id, resolve as (result: unknown) => void);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}
