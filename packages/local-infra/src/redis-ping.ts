import net from 'node:net';

export type PingResult = 'ok' | 'auth' | 'no';

/** One RESP command. */
const command = (...parts: string[]): string =>
  `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;

/**
 * PING a Redis at `url` over a raw socket. Resolves 'ok', 'auth' (answers but wants a password
 * we do not have) or 'no'.
 */
export function pingRedis(url: string, timeoutMs = 1000): Promise<PingResult> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve('no');
  }
  if (u.protocol !== 'redis:') return Promise.resolve('no');
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const user = decodeURIComponent(u.username || '');
  const pass = decodeURIComponent(u.password || '');
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    const socket = net.connect({ host, port });
    const finish = (result: PingResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('no'), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', () => finish('no'));
    socket.on('close', () => finish('no'));
    socket.on('connect', () => {
      if (pass) socket.write(user ? command('AUTH', user, pass) : command('AUTH', pass));
      socket.write(command('PING'));
    });
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (const line of buf.split('\r\n').slice(0, -1)) {
        if (line === '+PONG') return finish('ok');
        if (/^-(NOAUTH|WRONGPASS|ERR.*(auth|password))/i.test(line)) return finish('auth');
        if (line.startsWith('-')) return finish('no');
      }
    });
  });
}
